//! ZIP containers (OOXML, OpenDocument, EPUB) read within limits.
//!
//! The sizes an archive declares are checked before a part is inflated, and
//! the zip crate refuses to inflate past the declared size, so a forged
//! header cannot make a small file decompress into gigabytes.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::{Format, FormatError, Limits};

/// What every password-protected Office file starts with: OOXML encryption
/// wraps the package in an OLE compound file.
const OLE_MAGIC: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

pub(crate) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    format: Format,
    limits: Limits,
    read_total: u64,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8], format: Format, limits: &Limits) -> Result<Archive<'a>, FormatError> {
        if bytes.starts_with(OLE_MAGIC) {
            return Err(FormatError::Encrypted);
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| FormatError::corrupt(format, format!("ZIP: {e}")))?;
        if zip.len() > limits.max_entries {
            return Err(FormatError::TooManyEntries { count: zip.len(), limit: limits.max_entries });
        }
        Ok(Archive { zip, format, limits: *limits, read_total: 0 })
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        let name = name.trim_start_matches('/');
        self.zip.index_for_name(name).or_else(|| {
            (0..self.zip.len()).find(|&i| {
                self.zip.name_for_index(i).and_then(Result::ok).is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
        })
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    /// The part called `name`, which must be there.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, FormatError> {
        self.read_optional(name)?.ok_or_else(|| FormatError::corrupt(self.format, format!("the part {name} is missing")))
    }

    /// The part called `name`, or `None` when the archive has no such part.
    pub fn read_optional(&mut self, name: &str) -> Result<Option<Vec<u8>>, FormatError> {
        let Some(index) = self.index_of(name) else { return Ok(None) };
        let corrupt = |e: zip::result::ZipError| FormatError::corrupt(self.format, format!("{name}: {e}"));
        let entry = self.zip.by_index_data(index).map_err(corrupt)?;
        if entry.encrypted() {
            return Err(FormatError::Encrypted);
        }
        let size = entry.size();
        if size > self.limits.max_part_bytes {
            return Err(FormatError::TooLarge { what: format!("the part {name}"), size, limit: self.limits.max_part_bytes });
        }
        if self.read_total + size > self.limits.max_total_bytes {
            return Err(FormatError::TooLarge {
                what: "the parts of this document".to_string(),
                size: self.read_total + size,
                limit: self.limits.max_total_bytes,
            });
        }
        self.read_total += size;
        let format = self.format;
        let part = self.zip.by_index(index).map_err(|e| FormatError::corrupt(format, format!("{name}: {e}")))?;
        let mut bytes = Vec::with_capacity(size as usize);
        part.take(size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| FormatError::corrupt(format, format!("{name}: {e}")))?;
        if bytes.len() as u64 > size {
            return Err(FormatError::TooLarge { what: format!("the part {name}"), size: bytes.len() as u64, limit: size });
        }
        Ok(Some(bytes))
    }
}

/// Resolves a relationship target against the folder of the part that
/// names it, inside the archive. `None` for targets outside the archive.
pub(crate) fn resolve(base_dir: &str, target: &str) -> Option<String> {
    if target.contains("://") {
        return None;
    }
    let target = percent_decode(target);
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if base_dir.is_empty() => target.to_string(),
        None => format!("{}/{target}", base_dir.trim_end_matches('/')),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The folder of a part: `word/document.xml` → `word`.
pub(crate) fn dir_of(part: &str) -> &str {
    part.rfind('/').map_or("", |i| &part[..i])
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use nook_corpus::documents::zip_of;

    use super::*;

    #[test]
    fn a_part_larger_than_the_limit_is_refused_before_it_is_inflated() {
        let zeros = vec![0u8; 10 << 20];
        let bytes = zip_of(&[("big.xml", &zeros)]);
        assert!(bytes.len() < 100_000, "10 MB of zeros deflates to {} bytes", bytes.len());
        let limits = Limits { max_part_bytes: 1 << 20, ..Limits::default() };
        let mut archive = Archive::open(&bytes, Format::Docx, &limits).unwrap();
        assert!(matches!(archive.read("big.xml"), Err(FormatError::TooLarge { size, .. }) if size == 10 << 20));
    }

    #[test]
    fn parts_are_bounded_together_too() {
        let part = vec![b'a'; 600];
        let bytes = zip_of(&[("a", &part), ("b", &part)]);
        let limits = Limits { max_total_bytes: 1000, ..Limits::default() };
        let mut archive = Archive::open(&bytes, Format::Docx, &limits).unwrap();
        assert_eq!(archive.read("a").unwrap().len(), 600);
        assert!(matches!(archive.read("b"), Err(FormatError::TooLarge { .. })));
    }

    #[test]
    fn a_forged_declared_size_cannot_inflate_more() {
        // Shrink the sizes both headers declare for a 1000-byte part to 10.
        let part = vec![b'x'; 1000];
        let mut bytes = zip_of(&[("p", &part)]);
        let size_le = 1000u32.to_le_bytes();
        let mut patched = 0;
        for i in 0..bytes.len() - 4 {
            if bytes[i..i + 4] == size_le {
                bytes[i..i + 4].copy_from_slice(&10u32.to_le_bytes());
                patched += 1;
            }
        }
        assert_eq!(patched, 2, "local and central headers");
        let mut archive = Archive::open(&bytes, Format::Docx, &Limits::default()).unwrap();
        assert!(archive.read("p").is_err());
    }

    #[test]
    fn ole_wrapped_office_files_are_reported_as_encrypted() {
        let mut bytes = OLE_MAGIC.to_vec();
        bytes.extend([0u8; 512]);
        assert!(matches!(Archive::open(&bytes, Format::Xlsx, &Limits::default()), Err(FormatError::Encrypted)));
    }

    #[test]
    fn relationship_targets_resolve_inside_the_archive_only() {
        assert_eq!(resolve("ppt", "slides/slide1.xml").as_deref(), Some("ppt/slides/slide1.xml"));
        assert_eq!(resolve("ppt/slides", "../notesSlides/n1.xml").as_deref(), Some("ppt/notesSlides/n1.xml"));
        assert_eq!(resolve("word", "/word/document.xml").as_deref(), Some("word/document.xml"));
        assert_eq!(resolve("OEBPS", "Text/ch%201.xhtml").as_deref(), Some("OEBPS/Text/ch 1.xhtml"));
        assert_eq!(resolve("a", "../../etc/passwd"), None);
        assert_eq!(resolve("a", "https://example.com/x"), None);
    }
}
