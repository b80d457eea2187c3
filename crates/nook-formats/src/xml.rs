//! A thin pull-parser over quick-xml for the readers: element names without
//! namespace prefixes, text with references resolved, no recursion.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{Format, FormatError};

pub(crate) enum Node<'a> {
    /// An opening tag; `empty` for `<x/>`, which has no matching [`Node::End`].
    Start { element: BytesStart<'a>, empty: bool },
    End { name: String },
    Text(Cow<'a, str>),
}

pub(crate) struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    format: Format,
}

impl<'a> Xml<'a> {
    /// A strict parser for machine-written XML (OOXML, ODF, OPF).
    pub fn new(text: &'a str, format: Format) -> Xml<'a> {
        Xml { reader: Reader::from_str(text), format }
    }

    /// A forgiving parser for hand-written XHTML: mismatched and stray end
    /// tags are accepted.
    pub fn lenient(text: &'a str, format: Format) -> Xml<'a> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        Xml { reader, format }
    }

    pub fn next(&mut self) -> Result<Option<Node<'a>>, FormatError> {
        loop {
            let event = self.reader.read_event().map_err(|e| FormatError::corrupt(self.format, format!("XML: {e}")))?;
            let node = match event {
                Event::Start(element) => Node::Start { element, empty: false },
                Event::Empty(element) => Node::Start { element, empty: true },
                Event::End(end) => Node::End { name: end.local_name().into_inner().to_string() },
                Event::Text(text) => Node::Text(text.xml10_content()),
                Event::CData(data) => Node::Text(Cow::Owned(data.xml10_content().into_owned())),
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                        _ => named_entity(&reference).map(Cow::Borrowed),
                    };
                    match resolved {
                        Some(text) => Node::Text(text),
                        None => continue,
                    }
                }
                Event::Eof => return Ok(None),
                _ => continue,
            };
            return Ok(Some(node));
        }
    }
}

/// Counts nesting below an element whose content is left out (deleted
/// text, field codes, fallback copies of text boxes).
#[derive(Default)]
pub(crate) struct Skipping(usize);

impl Skipping {
    /// Whether `node` is inside (or opens) a skipped element.
    pub(crate) fn skips(&mut self, node: &Node, starts_skip: impl Fn(&str) -> bool) -> bool {
        match node {
            Node::Start { element, empty } => {
                if self.0 > 0 || starts_skip(name(element)) {
                    if !empty {
                        self.0 += 1;
                    }
                    return true;
                }
                false
            }
            Node::End { .. } if self.0 > 0 => {
                self.0 -= 1;
                true
            }
            Node::Text(_) => self.0 > 0,
            Node::End { .. } => false,
        }
    }
}

/// The local name of an element: `w:p` → `p`.
pub(crate) fn name<'e>(element: &'e BytesStart<'_>) -> &'e str {
    element.local_name().into_inner()
}

/// The value of the attribute whose local name is `local` (`r:id` → `id`).
pub(crate) fn attribute(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element.attributes().flatten().find_map(|attribute| {
        let key = attribute.key.local_name();
        (key.into_inner() == local).then(|| attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())).flatten()
    })
}

/// XML's five entities and the HTML ones books and mail use most.
fn named_entity(name: &str) -> Option<&'static str> {
    let text = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "laquo" => "«",
        "raquo" => "»",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "shy" => "",
        "bull" => "•",
        "middot" => "·",
        "eacute" => "é",
        "egrave" => "è",
        "agrave" => "à",
        "uuml" => "ü",
        "ouml" => "ö",
        "auml" => "ä",
        "szlig" => "ß",
        "ccedil" => "ç",
        _ => return None,
    };
    Some(text)
}

/// XML bytes as text: UTF-8 (with or without a byte-order mark) or UTF-16
/// with one; invalid sequences become U+FFFD rather than failing the file.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return String::from_utf8_lossy(rest);
    }
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units = rest.chunks_exact(2).map(|p| unit([p[0], p[1]]));
        Cow::Owned(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(rest, u16::from_be_bytes);
    }
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Result<String, FormatError> {
        let mut parser = Xml::new(xml, Format::Docx);
        let mut out = String::new();
        while let Some(node) = parser.next()? {
            if let Node::Text(t) = node {
                out.push_str(&t);
            }
        }
        Ok(out)
    }

    #[test]
    fn references_are_resolved_and_unknown_ones_dropped() {
        assert_eq!(texts("<a>Fish &amp; chips &#x2014; &#169;&bogus;</a>").unwrap(), "Fish & chips — ©");
    }

    #[test]
    fn nesting_a_hundred_thousand_deep_costs_no_stack() {
        let deep = "<a>".repeat(100_000) + "deep" + &"</a>".repeat(100_000);
        assert_eq!(texts(&deep).unwrap(), "deep");
    }

    #[test]
    fn entity_definitions_are_not_expanded() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>"#;
        assert_eq!(texts(laughs).unwrap(), "");
    }

    #[test]
    fn mismatched_tags_are_an_error_for_strict_xml() {
        assert!(texts("<a><b></a>").is_err());
    }

    #[test]
    fn utf16_and_byte_order_marks_are_decoded() {
        assert_eq!(decode(b"\xef\xbb\xbf<a/>"), "<a/>");
        assert_eq!(decode(b"\xff\xfe<\x00a\x00/\x00>\x00"), "<a/>");
    }
}
