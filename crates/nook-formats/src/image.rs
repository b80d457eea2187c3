//! Photos and pictures: found by name and metadata, never by their pixels.
//! The text written for an image is its name, when it was taken, with what
//! camera, and its size.

use std::io::Cursor;

use crate::{Document, Format, FormatError, Section};

/// Metadata read from an image's header and EXIF block.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ImageInfo {
    /// `YYYY-MM-DD HH:MM:SS`, camera-local time.
    pub taken: Option<String>,
    pub camera: Option<String>,
    pub dimensions: Option<(usize, usize)>,
}

pub(crate) fn read(name: &str, bytes: &[u8]) -> Result<Document, FormatError> {
    let info = info(bytes)?;
    let mut text = format!("Image {name}\n");
    if let Some(taken) = &info.taken {
        text += &format!("Taken {taken}\n");
    }
    if let Some(camera) = &info.camera {
        text += &format!("Camera {camera}\n");
    }
    if let Some((w, h)) = info.dimensions {
        text += &format!("{w} × {h} pixels\n");
    }
    Ok(Document { title: None, sections: vec![Section { label: None, text }], truncated: false })
}

pub(crate) fn info(bytes: &[u8]) -> Result<ImageInfo, FormatError> {
    let dimensions = imagesize::blob_size(bytes)
        .map_err(|e| FormatError::corrupt(Format::Image, format!("its header cannot be read ({e})")))?;
    let mut info = ImageInfo { dimensions: Some((dimensions.width, dimensions.height)), ..ImageInfo::default() };
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let exif = match reader.read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => partial.into_inner().0,
        // Most PNG, GIF and WebP files carry no EXIF; that is no failure.
        Err(_) => return Ok(info),
    };
    let ascii = |tag| {
        exif.get_field(tag, exif::In::PRIMARY).and_then(|f| match &f.value {
            exif::Value::Ascii(v) => v.first().map(|b| {
                String::from_utf8_lossy(b).trim_matches(char::from(0)).trim().to_string()
            }),
            _ => None,
        })
    };
    info.taken = [exif::Tag::DateTimeOriginal, exif::Tag::DateTimeDigitized, exif::Tag::DateTime]
        .into_iter()
        .filter_map(|tag| ascii(tag))
        .find_map(|s| exif::DateTime::from_ascii(s.as_bytes()).ok())
        .map(|d| format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", d.year, d.month, d.day, d.hour, d.minute, d.second));
    let make = ascii(exif::Tag::Make).filter(|m| !m.is_empty());
    let model = ascii(exif::Tag::Model).filter(|m| !m.is_empty());
    info.camera = match (make, model) {
        // Models usually repeat the make ("Canon" + "Canon EOS 5D").
        (Some(make), Some(model)) if model.to_lowercase().starts_with(&make.to_lowercase()) => Some(model),
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (make, model) => make.or(model),
    };
    // Portrait photos are stored sideways with an orientation tag.
    let rotated = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .is_some_and(|o| (5..=8).contains(&o));
    if rotated {
        info.dimensions = info.dimensions.map(|(w, h)| (h, w));
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use nook_corpus::documents::jpeg;

    use super::*;

    #[test]
    fn a_photo_is_described_by_name_date_camera_and_size() {
        let bytes = jpeg(4000, 3000, "Canon", "Canon EOS 5D", "2024:07:14 18:02:11", 1);
        let doc = read("lisbon-sunset.jpg", &bytes).unwrap();
        assert_eq!(
            doc.sections[0].text,
            "Image lisbon-sunset.jpg\nTaken 2024-07-14 18:02:11\nCamera Canon EOS 5D\n4000 × 3000 pixels\n"
        );
    }

    #[test]
    fn portrait_photos_report_their_upright_size() {
        let bytes = jpeg(4000, 3000, "FUJIFILM", "X-T3", "2023:01:02 03:04:05", 6);
        let info = info(&bytes).unwrap();
        assert_eq!(info.dimensions, Some((3000, 4000)));
        assert_eq!(info.camera.as_deref(), Some("FUJIFILM X-T3"));
    }

    #[test]
    fn an_image_without_exif_still_has_its_name_and_size() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x40\x00\x00\x00\x20\x08\x02\x00\x00\x00\x00\x00\x00\x00";
        let doc = read("diagram.png", png).unwrap();
        assert_eq!(doc.sections[0].text, "Image diagram.png\n64 × 32 pixels\n");
    }

    #[test]
    fn bytes_that_are_no_image_fail_with_a_reason() {
        assert!(matches!(read("x.jpg", b"not an image at all"), Err(FormatError::Corrupt { .. })));
    }
}
