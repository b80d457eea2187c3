//! Documents in the formats Nook reads, built byte by byte: Office Open XML,
//! OpenDocument, EPUB, PDF, RTF, e-mail and JPEG headers with EXIF. Small,
//! valid, and with known text, so tests can check what a reader finds; plus
//! the hostile ones (bombs, encrypted, truncated) that readers must refuse.

use std::io::{Cursor, Write};

/// A ZIP archive holding `parts`, deflated.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(parts.iter().any(|(_, b)| b.len() as u64 >= u32::MAX as u64));
    for (name, bytes) in parts {
        out.start_file(*name, options).expect("writing to memory");
        out.write_all(bytes).expect("writing to memory");
    }
    out.finish().expect("writing to memory").into_inner()
}

fn zip_owned(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let borrowed: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    zip_of(&borrowed)
}

const CONTENT_TYPES: &[u8] =
    b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

fn rels(entries: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (id, kind, target) in entries {
        out += &format!(
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{target}\"/>"
        );
    }
    (out + "</Relationships>").into_bytes()
}

/// Escapes text for XML.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Word paragraph holding `text` (already XML).
pub fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A Word document whose `w:body` holds `body`, titled "Quarterly report".
pub fn docx(body: &str) -> Vec<u8> {
    docx_with_document(
        format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
             xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>{body}</w:body></w:document>"
        )
        .as_bytes(),
    )
}

/// A Word document whose main part is `document` as given.
pub fn docx_with_document(document: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", &rels(&[("rId1", "officeDocument", "word/document.xml")])),
        ("word/document.xml", document),
        (
            "docProps/core.xml",
            b"<cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"d\"><dc:title>Quarterly report</dc:title></cp:coreProperties>",
        ),
    ])
}

/// A Word document of paragraphs of plain text.
pub fn docx_of_paragraphs(paragraphs: &[&str]) -> Vec<u8> {
    docx(&paragraphs.iter().map(|p| para(&xml_escape(p))).collect::<String>())
}

/// A presentation of `slides` (text, speaker notes), listed in
/// `presentation.xml` in the reverse order of their file names.
pub fn pptx(slides: &[(&str, Option<&str>)]) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.to_vec()),
        ("_rels/.rels".into(), rels(&[("rId1", "officeDocument", "ppt/presentation.xml")])),
    ];
    let mut list = String::new();
    let mut pres_rels = Vec::new();
    for (i, (text, notes)) in slides.iter().enumerate() {
        let file = slides.len() - i;
        list += &format!("<p:sldId id=\"{}\" r:id=\"rId{}\"/>", 256 + i, i + 10);
        pres_rels.push((format!("rId{}", i + 10), format!("slides/slide{file}.xml")));
        let slide = format!(
            "<p:sld xmlns:p=\"p\" xmlns:a=\"a\"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
            xml_escape(text)
        );
        parts.push((format!("ppt/slides/slide{file}.xml"), slide.into_bytes()));
        if let Some(notes) = notes {
            parts.push((
                format!("ppt/slides/_rels/slide{file}.xml.rels"),
                rels(&[("rId1", "notesSlide", &format!("../notesSlides/notesSlide{file}.xml"))]),
            ));
            parts.push((
                format!("ppt/notesSlides/notesSlide{file}.xml"),
                format!("<p:notes xmlns:p=\"p\" xmlns:a=\"a\"><a:p><a:r><a:t>{}</a:t></a:r></a:p></p:notes>", xml_escape(notes))
                    .into_bytes(),
            ));
        }
    }
    let entries: Vec<(&str, &str, &str)> = pres_rels.iter().map(|(id, t)| (id.as_str(), "slide", t.as_str())).collect();
    parts.push(("ppt/_rels/presentation.xml.rels".into(), rels(&entries)));
    parts.push((
        "ppt/presentation.xml".into(),
        format!("<p:presentation xmlns:p=\"p\" xmlns:r=\"r\"><p:sldIdLst>{list}</p:sldIdLst></p:presentation>").into_bytes(),
    ));
    zip_owned(&parts)
}

/// A workbook of `sheets` (name, the inside of `sheetData`) and a shared
/// strings table.
pub fn xlsx(sheets: &[(&str, &str)], shared: &[&str]) -> Vec<u8> {
    let sst: String = shared.iter().map(|s| format!("<si><t>{}</t></si>", xml_escape(s))).collect();
    xlsx_with_shared_strings(sheets, format!("<sst xmlns=\"m\">{sst}</sst>").as_bytes())
}

/// A workbook whose shared strings part is `shared` as given.
pub fn xlsx_with_shared_strings(sheets: &[(&str, &str)], shared: &[u8]) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.to_vec()),
        ("_rels/.rels".into(), rels(&[("rId1", "officeDocument", "xl/workbook.xml")])),
    ];
    let mut list = String::new();
    let mut wb_rels = vec![("rIdS".to_string(), "sharedStrings".to_string(), "sharedStrings.xml".to_string())];
    for (i, (name, rows)) in sheets.iter().enumerate() {
        list += &format!("<sheet name=\"{name}\" sheetId=\"{}\" r:id=\"rId{}\"/>", i + 1, i + 1);
        wb_rels.push((format!("rId{}", i + 1), "worksheet".into(), format!("worksheets/sheet{}.xml", i + 1)));
        parts.push((
            format!("xl/worksheets/sheet{}.xml", i + 1),
            format!("<worksheet xmlns=\"m\"><sheetData>{rows}</sheetData></worksheet>").into_bytes(),
        ));
    }
    let entries: Vec<(&str, &str, &str)> = wb_rels.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    parts.push(("xl/_rels/workbook.xml.rels".into(), rels(&entries)));
    parts.push((
        "xl/workbook.xml".into(),
        format!("<workbook xmlns=\"m\" xmlns:r=\"r\"><sheets>{list}</sheets></workbook>").into_bytes(),
    ));
    parts.push(("xl/sharedStrings.xml".into(), shared.to_vec()));
    zip_owned(&parts)
}

/// A row of inline-string cells for [`xlsx`].
pub fn xlsx_row(row: usize, cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .enumerate()
        .map(|(c, text)| {
            let col = (b'A' + c as u8) as char;
            format!("<c r=\"{col}{row}\" t=\"inlineStr\"><is><t>{}</t></is></c>", xml_escape(text))
        })
        .collect();
    format!("<row r=\"{row}\">{cells}</row>")
}

/// An OpenDocument file of `kind` (`text`, `spreadsheet`, `presentation`)
/// whose `office:body` holds `body`, titled "Field notes".
pub fn odf(kind: &str, body: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"o\" xmlns:text=\"t\" xmlns:table=\"tb\" xmlns:draw=\"d\" \
         xmlns:presentation=\"p\"><office:body>{body}</office:body></office:document-content>"
    );
    zip_of(&[
        ("mimetype", format!("application/vnd.oasis.opendocument.{kind}").as_bytes()),
        ("content.xml", content.as_bytes()),
        (
            "meta.xml",
            b"<office:document-meta xmlns:office=\"o\" xmlns:dc=\"dc\"><office:meta><dc:title>Field notes</dc:title></office:meta></office:document-meta>",
        ),
    ])
}

/// An OpenDocument text of plain paragraphs.
pub fn odt_of_paragraphs(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|p| format!("<text:p>{}</text:p>", xml_escape(p))).collect();
    odf("text", &format!("<office:text>{body}</office:text>"))
}

/// A book "The Lighthouse" whose chapters hold `chapters` (XHTML body
/// content), listed in the manifest in the reverse of the spine's order.
pub fn epub(chapters: &[&str]) -> Vec<u8> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("mimetype".into(), b"application/epub+zip".to_vec()),
        (
            "META-INF/container.xml".into(),
            b"<container><rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles></container>".to_vec(),
        ),
    ];
    let mut manifest = String::new();
    let mut spine = String::new();
    for (i, body) in chapters.iter().enumerate() {
        manifest += &format!("<item id=\"c{i}\" href=\"Text/ch{i}.xhtml\" media-type=\"application/xhtml+xml\"/>");
        spine = format!("<itemref idref=\"c{i}\"/>") + &spine;
        parts.push((
            format!("OEBPS/Text/ch{i}.xhtml"),
            format!(
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>x</title><style>p {{}}</style></head><body>{body}</body></html>"
            )
            .into_bytes(),
        ));
    }
    parts.push((
        "OEBPS/content.opf".into(),
        format!(
            "<package><metadata><dc:title>The Lighthouse</dc:title></metadata><manifest>{manifest}</manifest><spine>{spine}</spine></package>"
        )
        .into_bytes(),
    ));
    zip_owned(&parts)
}

/// A PDF with one page per entry of `pages`, each showing its text in
/// Helvetica (ASCII without parentheses or backslashes); `extra_trailer` is
/// added to the trailer dictionary.
pub fn pdf(pages: &[&str], extra_trailer: &str) -> Vec<u8> {
    let contents: Vec<String> = pages.iter().map(|text| format!("BT /F1 12 Tf 72 712 Td ({text}) Tj ET")).collect();
    pdf_with_contents(&contents, extra_trailer)
}

/// A PDF whose pages have the content streams given.
pub fn pdf_with_contents(contents: &[String], extra_trailer: &str) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let n = contents.len();
    // 1: catalog, 2: pages, 3: font, then (page, content) pairs.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for (i, content) in contents.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R {extra_trailer} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes(),
    );
    out
}

/// The trailer entries of a PDF that the empty password does not open.
pub const PDF_PASSWORD_REQUIRED: &str = "/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 \
    /O <0000000000000000000000000000000000000000000000000000000000000000> \
    /U <0000000000000000000000000000000000000000000000000000000000000000> >> \
    /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]";

/// An RTF document of plain paragraphs (ASCII).
pub fn rtf(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|p| format!("\\pard {p}\\par\n")).collect();
    format!("{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}\n{body}}}").into_bytes()
}

/// An e-mail message with a plain-text body.
pub fn eml(from: &str, to: &str, subject: &str, date: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n")
        .into_bytes()
}

/// A JPEG header (no pixels) of `width` × `height` with EXIF make, model,
/// orientation and date taken (`YYYY:MM:DD HH:MM:SS`).
pub fn jpeg(width: u16, height: u16, make: &str, model: &str, taken: &str, orientation: u16) -> Vec<u8> {
    // TIFF, little-endian: IFD0 (Make, Model, Orientation, ExifIFD) then the
    // Exif IFD (DateTimeOriginal); the strings after the IFDs.
    let ascii = |s: &str| {
        let mut b = s.as_bytes().to_vec();
        b.push(0);
        b
    };
    let (make, model, taken) = (ascii(make), ascii(model), ascii(taken));
    let ifd0_at = 8u32;
    let exif_at = ifd0_at + 2 + 4 * 12 + 4;
    let make_at = exif_at + 2 + 12 + 4;
    let model_at = make_at + make.len() as u32;
    let taken_at = model_at + model.len() as u32;
    let mut tiff = b"II\x2a\x00".to_vec();
    tiff.extend(ifd0_at.to_le_bytes());
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(kind.to_le_bytes());
        tiff.extend(count.to_le_bytes());
        tiff.extend(value.to_le_bytes());
    };
    tiff.extend(4u16.to_le_bytes());
    entry(&mut tiff, 0x010f, 2, make.len() as u32, make_at);
    entry(&mut tiff, 0x0110, 2, model.len() as u32, model_at);
    entry(&mut tiff, 0x0112, 3, 1, orientation as u32);
    entry(&mut tiff, 0x8769, 4, 1, exif_at);
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    entry(&mut tiff, 0x9003, 2, taken.len() as u32, taken_at);
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(make);
    tiff.extend(model);
    tiff.extend(taken);

    let mut jpeg = b"\xff\xd8\xff\xe1".to_vec();
    jpeg.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    jpeg.extend(b"Exif\0\0");
    jpeg.extend(tiff);
    jpeg.extend(b"\xff\xc0\x00\x11\x08");
    jpeg.extend(height.to_be_bytes());
    jpeg.extend(width.to_be_bytes());
    jpeg.extend(b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01");
    jpeg.extend(b"\xff\xd9");
    jpeg
}

/// A Word document whose body inflates to `bytes` bytes: a few hundred
/// kilobytes on disk.
pub fn docx_bomb(bytes: usize) -> Vec<u8> {
    docx_with_document(&padded(b"<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>", b"</w:t></w:r></w:p></w:body></w:document>", bytes))
}

/// `head`, then letters, then `tail`: `bytes` bytes in all.
fn padded(head: &[u8], tail: &[u8], bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes);
    out.extend(head);
    out.resize(bytes - tail.len(), b'a');
    out.extend(tail);
    out
}

/// A workbook whose shared strings inflate to `bytes` bytes.
pub fn xlsx_bomb(bytes: usize) -> Vec<u8> {
    let shared = padded(b"<sst xmlns=\"m\"><si><t>", b"</t></si></sst>", bytes);
    xlsx_with_shared_strings(&[("Sheet1", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")], &shared)
}

/// A password-protected Office file as Office writes it: an OLE compound
/// file, not a ZIP.
pub fn office_encrypted() -> Vec<u8> {
    let mut bytes = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    bytes.resize(4096, 0);
    bytes
}
