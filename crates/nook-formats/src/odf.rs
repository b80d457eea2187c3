//! OpenDocument: text (ODT), spreadsheets (ODS) and presentations (ODP),
//! all read from `content.xml` with one walker.

use crate::archive::Archive;
use crate::ooxml::element_text;
use crate::text::TextSink;
use crate::xml::{self, attribute, name, Node, Skipping, Xml};
use crate::{Document, Format, FormatError, Limits};

/// Spaces one `text:s` may stand for.
const MAX_SPACES: usize = 64;

pub(crate) fn read(format: Format, bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    let mut archive = Archive::open(bytes, format, limits)?;
    if let Some(mimetype) = archive.read_optional("mimetype")? {
        let mimetype = String::from_utf8_lossy(&mimetype);
        if !mimetype.trim().starts_with("application/vnd.oasis.opendocument.") {
            return Err(FormatError::corrupt(format, format!("its mimetype is {:?}", mimetype.trim())));
        }
    }
    if let Some(manifest) = archive.read_optional("META-INF/manifest.xml")? {
        if String::from_utf8_lossy(&manifest).contains("encryption-data") {
            return Err(FormatError::Encrypted);
        }
    }
    let title = match archive.read_optional("meta.xml")? {
        Some(meta) => element_text(&xml::decode(&meta), format, "title")?,
        None => None,
    };
    let content = archive.read("content.xml")?;
    let content = xml::decode(&content);
    let mut sink = TextSink::new(limits);
    walk_content(&content, format, &mut sink)?;
    Ok(sink.finish(title))
}

fn walk_content(content: &str, format: Format, sink: &mut TextSink) -> Result<(), FormatError> {
    // LibreOffice marks where pages broke when it last laid out a text.
    let paged = format == Format::Odt && content.contains("soft-page-break");
    let mut page = 1;
    if paged {
        sink.start_section(Some("page 1".to_string()));
    }
    let mut slide = 0;
    let mut in_body = false;
    let mut in_cell = false;
    let mut skipping = Skipping::default();
    let mut parser = Xml::new(content, format);
    while let Some(node) = parser.next()? {
        if sink.is_full() {
            break;
        }
        if skipping.skips(&node, |n| matches!(n, "tracked-changes" | "sequence-decls" | "forms" | "annotation")) {
            continue;
        }
        match node {
            Node::Start { element, empty } => {
                match name(&element) {
                    "body" => in_body = true,
                    "table" if format == Format::Ods && in_body => {
                        let sheet = attribute(&element, "name").unwrap_or_default();
                        if !sink.start_section(Some(format!("sheet {sheet}"))) {
                            break;
                        }
                    }
                    "page" if format == Format::Odp && in_body => {
                        slide += 1;
                        if !sink.start_section(Some(format!("slide {slide}"))) {
                            break;
                        }
                    }
                    "notes" if format == Format::Odp => {
                        sink.end_line();
                        sink.push("Notes: ");
                    }
                    "table-cell" | "covered-table-cell" if !empty => in_cell = true,
                    "table-cell" | "covered-table-cell" => {}
                    "soft-page-break" if paged => {
                        page += 1;
                        sink.start_section(Some(format!("page {page}")));
                    }
                    "s" => {
                        let count = attribute(&element, "c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1);
                        sink.push(&" ".repeat(count.clamp(1, MAX_SPACES)));
                    }
                    "tab" => sink.push("\t"),
                    "line-break" => sink.newline(),
                    "p" | "h" if empty && !in_cell => sink.newline(),
                    _ => {}
                }
            }
            Node::End { name } => match name.as_str() {
                "p" | "h" if in_cell => sink.separate(' '),
                "p" | "h" | "list-item" => sink.newline(),
                "table-cell" | "covered-table-cell" => {
                    in_cell = false;
                    sink.separate('\t');
                }
                "table-row" => sink.newline(),
                _ => {}
            },
            Node::Text(t) if in_body => sink.push(&t),
            Node::Text(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use nook_corpus::documents::{odf, zip_of};

    use super::*;

    #[test]
    fn odt_paragraphs_spaces_and_pages() {
        let body = "<office:text><text:h>Field notes</text:h><text:p>two<text:s text:c=\"3\"/>spaces<text:tab/>tab</text:p>\
                    <text:tracked-changes><text:p>old deleted text</text:p></text:tracked-changes>\
                    <text:soft-page-break/><text:p>second page</text:p></office:text>";
        let doc = read(Format::Odt, &odf("text", body), &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Field notes"));
        assert_eq!(doc.sections[0].label.as_deref(), Some("page 1"));
        assert_eq!(doc.sections[0].text, "Field notes\ntwo   spaces\ttab\n");
        assert_eq!(doc.sections[1].label.as_deref(), Some("page 2"));
        assert_eq!(doc.sections[1].text, "second page\n");
    }

    #[test]
    fn ods_sheets_never_expand_repeated_empty_cells() {
        let body = "<office:spreadsheet><table:table table:name=\"Trips\"><table:table-row><table:table-cell><text:p>Lisbon</text:p></table:table-cell>\
                    <table:table-cell table:number-columns-repeated=\"16384\"/><table:table-cell><text:p>420</text:p></table:table-cell></table:table-row>\
                    <table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row></table:table>\
                    <table:table table:name=\"Notes\"><table:table-row><table:table-cell><text:p>pack light</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>";
        let doc = read(Format::Ods, &odf("spreadsheet", body), &Limits::default()).unwrap();
        let sheets: Vec<_> = doc.sections.iter().map(|s| (s.label.clone().unwrap(), s.text.clone())).collect();
        assert_eq!(sheets, [("sheet Trips".into(), "Lisbon\t420\n".into()), ("sheet Notes".into(), "pack light\n".into())]);
    }

    #[test]
    fn odp_pages_are_slides_with_their_notes() {
        let body = "<office:presentation><draw:page draw:name=\"a\"><draw:frame><draw:text-box><text:p>Roadmap</text:p></draw:text-box></draw:frame>\
                    <presentation:notes><draw:frame><draw:text-box><text:p>skip the demo</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>\
                    <draw:page draw:name=\"b\"><draw:frame><draw:text-box><text:p>Thanks</text:p></draw:text-box></draw:frame></draw:page></office:presentation>";
        let doc = read(Format::Odp, &odf("presentation", body), &Limits::default()).unwrap();
        assert_eq!(doc.sections[0].label.as_deref(), Some("slide 1"));
        assert_eq!(doc.sections[0].text, "Roadmap\nNotes: skip the demo\n");
        assert_eq!(doc.sections[1].label.as_deref(), Some("slide 2"));
    }

    #[test]
    fn an_encrypted_opendocument_is_reported_as_such() {
        let bytes = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("META-INF/manifest.xml", b"<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"),
            ("content.xml", b"\x00\x01garbage"),
        ]);
        assert_eq!(read(Format::Odt, &bytes, &Limits::default()), Err(FormatError::Encrypted));
    }
}
