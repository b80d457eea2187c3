//! Office Open XML: Word (DOCX), PowerPoint (PPTX) and Excel (XLSX).
//!
//! Parts are found through the package's relationships, never by guessing
//! file names: slides in the order the presentation lists them, sheets in
//! the order the workbook lists them.

use std::collections::HashMap;

use crate::archive::{dir_of, resolve, Archive};
use crate::text::TextSink;
use crate::xml::{self, attribute, name, Node, Skipping, Xml};
use crate::{Document, Format, FormatError, Limits};

/// One `Relationship` of a `.rels` part.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// The relationships of `part` (`word/document.xml` →
/// `word/_rels/document.xml.rels`), with targets resolved in the archive.
fn relationships_of(archive: &mut Archive, part: &str, format: Format) -> Result<Vec<Relationship>, FormatError> {
    let dir = dir_of(part);
    let file = &part[dir.len()..].trim_start_matches('/');
    let rels_name = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
    let Some(bytes) = archive.read_optional(&rels_name)? else { return Ok(Vec::new()) };
    let text = xml::decode(&bytes);
    let mut parser = Xml::new(&text, format);
    let mut out = Vec::new();
    while let Some(node) = parser.next()? {
        if let Node::Start { element, .. } = node {
            if name(&element) != "Relationship" || attribute(&element, "TargetMode").as_deref() == Some("External") {
                continue;
            }
            let (Some(id), Some(kind), Some(target)) =
                (attribute(&element, "Id"), attribute(&element, "Type"), attribute(&element, "Target"))
            else {
                continue;
            };
            if let Some(target) = resolve(dir, &target) {
                out.push(Relationship { id, kind, target });
            }
        }
    }
    Ok(out)
}

/// The package's main part (`word/document.xml`, `ppt/presentation.xml`,
/// `xl/workbook.xml` as a rule).
fn main_part(archive: &mut Archive, format: Format, usual: &str) -> Result<String, FormatError> {
    if !archive.contains("[Content_Types].xml") {
        return Err(FormatError::corrupt(format, "it has no [Content_Types].xml, so it is not an Office document"));
    }
    let rels = relationships_of(archive, "", format)?;
    Ok(rels
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| r.target)
        .unwrap_or_else(|| usual.to_string()))
}

/// `dc:title` from `docProps/core.xml`, when there is one.
fn core_title(archive: &mut Archive, format: Format) -> Result<Option<String>, FormatError> {
    let Some(bytes) = archive.read_optional("docProps/core.xml")? else { return Ok(None) };
    let text = xml::decode(&bytes);
    element_text(&text, format, "title")
}

/// The text of the first element whose local name is `wanted`.
pub(crate) fn element_text(text: &str, format: Format, wanted: &str) -> Result<Option<String>, FormatError> {
    let mut parser = Xml::new(text, format);
    let mut inside = false;
    let mut out = String::new();
    while let Some(node) = parser.next()? {
        match node {
            Node::Start { element, empty: false } if name(&element) == wanted => inside = true,
            Node::End { name } if inside && name == wanted => break,
            Node::Text(t) if inside => out.push_str(&t),
            _ => {}
        }
    }
    Ok(Some(out.trim().to_string()).filter(|t| !t.is_empty()))
}

pub(crate) fn read_docx(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    let format = Format::Docx;
    let mut archive = Archive::open(bytes, format, limits)?;
    let main = main_part(&mut archive, format, "word/document.xml")?;
    let title = core_title(&mut archive, format)?;
    let body = archive.read(&main)?;
    let text = xml::decode(&body);
    // Word records where pages broke when it last laid the document out;
    // when it did, sections are those pages.
    let paged = text.contains("lastRenderedPageBreak") || text.contains("w:type=\"page\"");
    let mut sink = TextSink::new(limits);
    let mut page = 1;
    if paged {
        sink.start_section(Some("page 1".to_string()));
    }
    let mut parser = Xml::new(&text, format);
    let mut skipping = Skipping::default();
    let mut in_text = false;
    while let Some(node) = parser.next()? {
        if sink.is_full() {
            break;
        }
        if skipping.skips(&node, |n| matches!(n, "delText" | "instrText" | "Fallback")) {
            continue;
        }
        match node {
            Node::Start { element, empty } => match name(&element) {
                "t" if !empty => in_text = true,
                "tab" => sink.push("\t"),
                "noBreakHyphen" => sink.push("-"),
                "cr" => sink.newline(),
                "br" => {
                    if paged && attribute(&element, "type").as_deref() == Some("page") {
                        page += 1;
                        sink.start_section(Some(format!("page {page}")));
                    } else {
                        sink.newline();
                    }
                }
                "lastRenderedPageBreak" if paged => {
                    page += 1;
                    sink.start_section(Some(format!("page {page}")));
                }
                "p" if empty => sink.newline(),
                _ => {}
            },
            Node::End { name } => match name.as_str() {
                "t" => in_text = false,
                "p" | "tr" => sink.newline(),
                "tc" => sink.separate('\t'),
                _ => {}
            },
            Node::Text(t) if in_text => sink.push(&t),
            Node::Text(_) => {}
        }
    }
    Ok(sink.finish(title))
}

/// The text of DrawingML paragraphs (`a:t`, `a:p`, `a:br`), as slides and
/// notes hold it.
fn drawing_text(text: &str, format: Format, sink: &mut TextSink) -> Result<(), FormatError> {
    let mut parser = Xml::new(text, format);
    let mut in_text = false;
    while let Some(node) = parser.next()? {
        if sink.is_full() {
            break;
        }
        match node {
            Node::Start { element, empty } => match name(&element) {
                "t" if !empty => in_text = true,
                "br" => sink.newline(),
                "p" if empty => sink.newline(),
                _ => {}
            },
            Node::End { name } => match name.as_str() {
                "t" => in_text = false,
                "p" => sink.newline(),
                _ => {}
            },
            Node::Text(t) if in_text => sink.push(&t),
            Node::Text(_) => {}
        }
    }
    Ok(())
}

/// An attribute whose name has a namespace prefix: `r:id`, not `id`.
fn prefixed_attribute(element: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    element.attributes().flatten().find_map(|a| {
        let key = a.key.into_inner();
        let (prefix, rest) = key.split_once(':')?;
        (!prefix.is_empty() && rest == local).then(|| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())).flatten()
    })
}

pub(crate) fn read_pptx(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    let format = Format::Pptx;
    let mut archive = Archive::open(bytes, format, limits)?;
    let main = main_part(&mut archive, format, "ppt/presentation.xml")?;
    let title = core_title(&mut archive, format)?;
    let rels: HashMap<String, String> =
        relationships_of(&mut archive, &main, format)?.into_iter().map(|r| (r.id, r.target)).collect();
    let presentation = archive.read(&main)?;
    let presentation = xml::decode(&presentation);
    let mut slides = Vec::new();
    let mut parser = Xml::new(&presentation, format);
    while let Some(node) = parser.next()? {
        if let Node::Start { element, .. } = node {
            if name(&element) == "sldId" {
                if let Some(target) = prefixed_attribute(&element, "id").and_then(|id| rels.get(&id)) {
                    slides.push(target.clone());
                }
            }
        }
    }
    let mut sink = TextSink::new(limits);
    for (i, slide) in slides.iter().enumerate() {
        if !sink.start_section(Some(format!("slide {}", i + 1))) || sink.is_full() {
            break;
        }
        let Some(bytes) = archive.read_optional(slide)? else { continue };
        drawing_text(&xml::decode(&bytes), format, &mut sink)?;
        let notes = relationships_of(&mut archive, slide, format)?
            .into_iter()
            .find(|r| r.kind.ends_with("/notesSlide"))
            .map(|r| r.target);
        if let Some(bytes) = notes.map(|n| archive.read_optional(&n)).transpose()?.flatten() {
            sink.end_line();
            sink.push("Notes: ");
            drawing_text(&xml::decode(&bytes), format, &mut sink)?;
        }
    }
    Ok(sink.finish(title))
}

pub(crate) fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    let format = Format::Xlsx;
    let mut archive = Archive::open(bytes, format, limits)?;
    let main = main_part(&mut archive, format, "xl/workbook.xml")?;
    let title = core_title(&mut archive, format)?;
    let rels = relationships_of(&mut archive, &main, format)?;
    let shared = match rels.iter().find(|r| r.kind.ends_with("/sharedStrings")) {
        Some(r) => {
            let target = r.target.clone();
            match archive.read_optional(&target)? {
                Some(bytes) => shared_strings(&xml::decode(&bytes), format)?,
                None => Vec::new(),
            }
        }
        None => Vec::new(),
    };
    let targets: HashMap<String, String> = rels.into_iter().map(|r| (r.id, r.target)).collect();
    let workbook = archive.read(&main)?;
    let workbook = xml::decode(&workbook);
    let mut sheets = Vec::new();
    let mut parser = Xml::new(&workbook, format);
    while let Some(node) = parser.next()? {
        if let Node::Start { element, .. } = node {
            if name(&element) == "sheet" {
                let sheet_name = attribute(&element, "name").unwrap_or_default();
                if let Some(target) = prefixed_attribute(&element, "id").and_then(|id| targets.get(&id)) {
                    sheets.push((sheet_name, target.clone()));
                }
            }
        }
    }
    let mut sink = TextSink::new(limits);
    for (sheet_name, target) in sheets {
        if !sink.start_section(Some(format!("sheet {sheet_name}"))) || sink.is_full() {
            break;
        }
        let Some(bytes) = archive.read_optional(&target)? else { continue };
        sheet_text(&xml::decode(&bytes), format, &shared, &mut sink)?;
    }
    Ok(sink.finish(title))
}

/// The shared strings table: each `si`'s text, rich runs joined, phonetic
/// guides left out.
fn shared_strings(text: &str, format: Format) -> Result<Vec<String>, FormatError> {
    let mut parser = Xml::new(text, format);
    let mut strings = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut skipping = Skipping::default();
    while let Some(node) = parser.next()? {
        if skipping.skips(&node, |n| n == "rPh") {
            continue;
        }
        match node {
            Node::Start { element, empty } => match name(&element) {
                "si" if empty => strings.push(String::new()),
                "t" if !empty => in_text = true,
                _ => {}
            },
            Node::End { name } => match name.as_str() {
                "t" => in_text = false,
                "si" => strings.push(std::mem::take(&mut current)),
                _ => {}
            },
            Node::Text(t) if in_text => current.push_str(&t),
            Node::Text(_) => {}
        }
    }
    Ok(strings)
}

/// A worksheet's cells, a row per line and a tab between cells. Only cells
/// the sheet holds are visited: a sheet whose used range spans a million
/// rows costs what its cells cost, not what its range does.
fn sheet_text(text: &str, format: Format, shared: &[String], sink: &mut TextSink) -> Result<(), FormatError> {
    let mut parser = Xml::new(text, format);
    let mut cell_type = String::new();
    let mut value = String::new();
    let mut in_value = false;
    while let Some(node) = parser.next()? {
        if sink.is_full() {
            break;
        }
        match node {
            Node::Start { element, empty } => match name(&element) {
                "c" if !empty => {
                    cell_type = attribute(&element, "t").unwrap_or_default();
                    value.clear();
                }
                "v" | "t" if !empty => in_value = true,
                _ => {}
            },
            Node::End { name } => match name.as_str() {
                "v" | "t" => in_value = false,
                "c" => {
                    let shown = match cell_type.as_str() {
                        "s" => value.trim().parse::<usize>().ok().and_then(|i| shared.get(i)).cloned().unwrap_or_default(),
                        "b" => if value.trim() == "1" { "TRUE".into() } else { "FALSE".into() },
                        _ => std::mem::take(&mut value),
                    };
                    if !shown.trim().is_empty() {
                        sink.separate('\t');
                        sink.push(shown.trim());
                    }
                }
                "row" => sink.newline(),
                _ => {}
            },
            Node::Text(t) if in_value => value.push_str(&t),
            Node::Text(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use nook_corpus::documents::{docx, para, pptx, xlsx, zip_of};

    use super::*;

    #[test]
    fn docx_paragraphs_tables_and_title() {
        let body = para("Revenue grew &amp; costs fell.")
            + "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Q1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            + "<w:p><w:r><w:delText>deleted words</w:delText><w:instrText>PAGE</w:instrText><w:t>kept</w:t></w:r></w:p>";
        let doc = read_docx(&docx(&body), &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Quarterly report"));
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.sections[0].label, None);
        let text = &doc.sections[0].text;
        assert!(text.contains("Revenue grew & costs fell.\n"), "{text:?}");
        assert!(text.contains("Q1\n"), "{text:?}");
        assert!(text.contains("kept") && !text.contains("deleted") && !text.contains("PAGE"), "{text:?}");
    }

    #[test]
    fn docx_text_boxes_are_read_once_not_twice() {
        let body = "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>boxed</w:t></mc:Choice><mc:Fallback><w:t>boxed</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>";
        let doc = read_docx(&docx(body), &Limits::default()).unwrap();
        assert_eq!(doc.sections[0].text.matches("boxed").count(), 1);
    }

    #[test]
    fn docx_pages_come_from_where_word_last_broke_them() {
        let body = para("one") + "<w:p><w:r><w:lastRenderedPageBreak/><w:t>two</w:t></w:r></w:p>" + "<w:p><w:r><w:br w:type=\"page\"/><w:t>three</w:t></w:r></w:p>";
        let doc = read_docx(&docx(&body), &Limits::default()).unwrap();
        let pages: Vec<_> = doc.sections.iter().map(|s| (s.label.clone().unwrap(), s.text.trim().to_string())).collect();
        assert_eq!(pages, [("page 1".into(), "one".into()), ("page 2".into(), "two".into()), ("page 3".into(), "three".into())]);
    }

    #[test]
    fn a_zip_that_is_not_an_office_package_is_refused() {
        let bytes = zip_of(&[("hello.txt", b"hi")]);
        assert!(matches!(read_docx(&bytes, &Limits::default()), Err(FormatError::Corrupt { .. })));
    }

    #[test]
    fn pptx_slides_follow_the_presentation_order_with_their_notes() {
        let doc = read_pptx(&pptx(&[("Welcome", None), ("Budget 2026", Some("mention the travel cuts")), ("Questions", None)]), &Limits::default()).unwrap();
        let slides: Vec<_> = doc.sections.iter().map(|s| (s.label.clone().unwrap(), s.text.clone())).collect();
        assert_eq!(slides[0], ("slide 1".to_string(), "Welcome\n".to_string()));
        assert_eq!(slides[1].0, "slide 2");
        assert!(slides[1].1.starts_with("Budget 2026\n") && slides[1].1.contains("Notes: mention the travel cuts"), "{:?}", slides[1]);
        assert_eq!(slides[2], ("slide 3".to_string(), "Questions\n".to_string()));
    }

    #[test]
    fn xlsx_sheets_hold_their_cells_row_by_row() {
        let budget = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>\
                      <row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>1250.5</v></c><c r=\"C2\" t=\"b\"><v>1</v></c></row>\
                      <row r=\"1048576\"><c r=\"XFD1048576\" t=\"inlineStr\"><is><t>far corner</t></is></c></row>";
        let doc = read_xlsx(&xlsx(&[("Budget", budget), ("Empty", "")], &["Item", "Cost", "Travel"]), &Limits::default()).unwrap();
        assert_eq!(doc.sections.len(), 1, "the empty sheet has no text");
        assert_eq!(doc.sections[0].label.as_deref(), Some("sheet Budget"));
        assert_eq!(doc.sections[0].text, "Item\tCost\nTravel\t1250.5\tTRUE\nfar corner\n");
    }
}
