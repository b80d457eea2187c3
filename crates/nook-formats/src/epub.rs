//! EPUB books: the container names the package, the package's spine gives
//! the reading order, and each spine document is one section.

use std::collections::HashMap;

use crate::archive::{dir_of, resolve, Archive};
use crate::text::TextSink;
use crate::xml::{self, attribute, name, Node, Skipping, Xml};
use crate::{Document, Format, FormatError, Limits};

const FORMAT: Format = Format::Epub;

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    let mut archive = Archive::open(bytes, FORMAT, limits)?;
    if let Some(encryption) = archive.read_optional("META-INF/encryption.xml")? {
        // Fonts are often obfuscated; encrypted chapters mean DRM.
        let listing = String::from_utf8_lossy(&encryption).to_ascii_lowercase();
        if [".xhtml\"", ".html\"", ".htm\""].iter().any(|ext| listing.contains(ext)) {
            return Err(FormatError::Encrypted);
        }
    }
    let container = archive.read("META-INF/container.xml")?;
    let container = xml::decode(&container);
    let mut package = None;
    let mut parser = Xml::new(&container, FORMAT);
    while let Some(node) = parser.next()? {
        if let Node::Start { element, .. } = node {
            if name(&element) == "rootfile" {
                package = attribute(&element, "full-path");
                break;
            }
        }
    }
    let package = package.ok_or_else(|| FormatError::corrupt(FORMAT, "its container names no package"))?;
    let opf = archive.read(&package)?;
    let opf = xml::decode(&opf);
    let (title, spine) = spine(&opf, dir_of(&package))?;

    let mut sink = TextSink::new(limits);
    for (i, item) in spine.iter().enumerate() {
        if sink.is_full() {
            break;
        }
        let Some(bytes) = archive.read_optional(item)? else { continue };
        let (text, heading) = xhtml_text(&xml::decode(&bytes), limits.max_text_bytes);
        if text.trim().is_empty() {
            continue;
        }
        let label = heading.map(|h| format!("chapter “{h}”")).unwrap_or_else(|| format!("part {}", i + 1));
        if !sink.start_section(Some(label)) {
            break;
        }
        sink.push(&text);
    }
    Ok(sink.finish(title))
}

/// The book's title and its reading order (archive paths of the spine's
/// XHTML documents).
fn spine(opf: &str, base: &str) -> Result<(Option<String>, Vec<String>), FormatError> {
    let mut items: HashMap<String, String> = HashMap::new();
    let mut order = Vec::new();
    let mut title = None;
    let mut in_title = false;
    let mut parser = Xml::new(opf, FORMAT);
    while let Some(node) = parser.next()? {
        match node {
            Node::Start { element, empty } => match name(&element) {
                "title" if !empty && title.is_none() => in_title = true,
                "item" => {
                    let media = attribute(&element, "media-type").unwrap_or_default();
                    if let (Some(id), Some(href)) = (attribute(&element, "id"), attribute(&element, "href")) {
                        if media.contains("html") {
                            if let Some(path) = resolve(base, &href) {
                                items.insert(id, path);
                            }
                        }
                    }
                }
                "itemref" => order.extend(attribute(&element, "idref")),
                _ => {}
            },
            Node::End { name } if name == "title" => in_title = false,
            Node::Text(t) if in_title => title.get_or_insert_with(String::new).push_str(&t),
            _ => {}
        }
    }
    let spine = order.into_iter().filter_map(|id| items.get(&id).cloned()).collect();
    Ok((title, spine))
}

/// The readable text of an XHTML document and its first heading. Markup
/// errors end the document where they occur: books are often hand-made.
fn xhtml_text(xhtml: &str, max_bytes: usize) -> (String, Option<String>) {
    let mut out = String::new();
    let mut heading: Option<String> = None;
    let mut in_heading = false;
    let mut skipping = Skipping::default();
    let mut in_body = !xhtml.contains("<body");
    let mut parser = Xml::lenient(xhtml, FORMAT);
    while let Ok(Some(node)) = parser.next() {
        if out.len() > max_bytes {
            break;
        }
        if skipping.skips(&node, |n| matches!(n.to_ascii_lowercase().as_str(), "head" | "script" | "style")) {
            continue;
        }
        match node {
            Node::Start { element, empty } => match name(&element).to_ascii_lowercase().as_str() {
                "body" => in_body = true,
                "br" => out.push('\n'),
                "h1" | "h2" | "h3" if !empty && heading.is_none() => in_heading = true,
                _ => {}
            },
            Node::End { name } => match name.to_ascii_lowercase().as_str() {
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "tr" | "blockquote" | "pre"
                | "section" | "dt" | "dd" => {
                    if in_heading {
                        in_heading = false;
                        heading = heading.map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "));
                        heading = heading.filter(|h| !h.is_empty()).map(|h| h.chars().take(80).collect());
                    }
                    if !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
                "td" | "th" => out.push('\t'),
                _ => {}
            },
            Node::Text(t) if in_body => {
                if in_heading {
                    heading.get_or_insert_with(String::new).push_str(&t);
                }
                out.push_str(&t);
            }
            Node::Text(_) => {}
        }
    }
    (out, heading)
}

#[cfg(test)]
mod tests {
    use nook_corpus::documents::{epub, zip_of};

    use super::*;

    #[test]
    fn chapters_come_in_spine_order_named_by_their_headings() {
        let doc = read(&epub(&["<h1>The Storm</h1><p>Waves&nbsp;rose.</p>", "<p>Untitled <br/>part</p>"]), &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("The Lighthouse"));
        assert_eq!(doc.sections[0].label.as_deref(), Some("part 1"));
        assert_eq!(doc.sections[0].text, "Untitled \npart\n");
        assert_eq!(doc.sections[1].label.as_deref(), Some("chapter “The Storm”"));
        assert_eq!(doc.sections[1].text, "The Storm\nWaves\u{a0}rose.\n");
    }

    #[test]
    fn sloppy_xhtml_keeps_what_came_before_the_mistake() {
        let doc = read(&epub(&["<p>open <b>bold</p><p>after</i> stray</p>"]), &Limits::default()).unwrap();
        assert!(doc.sections[0].text.contains("open bold"), "{:?}", doc.sections);
    }

    #[test]
    fn books_with_encrypted_chapters_are_refused() {
        let bytes = zip_of(&[
            ("META-INF/encryption.xml", b"<encryption><EncryptedData><CipherData><CipherReference URI=\"OEBPS/ch1.xhtml\"/></CipherData></EncryptedData></encryption>"),
            ("META-INF/container.xml", b"<container/>"),
        ]);
        assert_eq!(read(&bytes, &Limits::default()), Err(FormatError::Encrypted));
    }
}
