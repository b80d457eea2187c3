//! RTF, read in one pass over its bytes with an explicit group stack: no
//! recursion, whatever the nesting. 8-bit text is decoded with the code
//! page the document or its font declares; `\u` escapes give Unicode.

use std::collections::HashMap;

use encoding_rs::Encoding;

use crate::text::TextSink;
use crate::{Document, Format, FormatError, Limits};

/// Groups deeper than this are counted, not tracked.
const MAX_DEPTH: usize = 256;

/// Destinations whose content is not document text.
const SKIPPED: &[&str] = &[
    "fonttbl", "colortbl", "stylesheet", "listtable", "listoverridetable", "rsidtbl", "generator", "info", "pict",
    "object", "objdata", "themedata", "colorschememapping", "datastore", "latentstyles", "xmlnstbl", "mmathPr",
    "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf", "fldinst", "bkmkstart",
    "bkmkend", "revtbl", "filetbl", "pgdsctbl", "listtext", "pntext", "pntxta", "pntxtb",
];

#[derive(Clone, Copy)]
struct Group {
    skip: bool,
    /// Inside the font table: `\f` and `\fcharset` define fonts.
    font_table: bool,
    /// Fallback characters after `\u`.
    uc: usize,
    font: i32,
}

struct Reader<'s> {
    sink: &'s mut TextSink,
    pending: Vec<u8>,
    pending_encoding: &'static Encoding,
}

impl Reader<'_> {
    fn byte(&mut self, b: u8, encoding: &'static Encoding) {
        if encoding != self.pending_encoding {
            self.flush();
            self.pending_encoding = encoding;
        }
        self.pending.push(b);
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let (text, _, _) = self.pending_encoding.decode(&self.pending);
            self.sink.push(&text);
            self.pending.clear();
        }
    }

    fn text(&mut self, s: &str) {
        self.flush();
        self.sink.push(s);
    }

    fn newline(&mut self) {
        self.flush();
        self.sink.newline();
    }
}

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err(FormatError::corrupt(Format::Rtf, "it does not start with {\\rtf"));
    }
    let mut sink = TextSink::new(limits);
    let mut document_codepage = 1252u32;
    let mut font_codepages: HashMap<i32, u32> = HashMap::new();
    let mut defining_font = 0i32;
    let mut stack: Vec<Group> = Vec::new();
    let mut overflow = 0usize;
    let mut group = Group { skip: false, font_table: false, uc: 1, font: -1 };
    let mut group_opened = false;
    let mut fallback = 0usize;
    let mut high_surrogate: Option<u32> = None;
    let mut reader = Reader { sink: &mut sink, pending: Vec::new(), pending_encoding: encoding_rs::WINDOWS_1252 };
    let encoding_of = |font: i32, codepages: &HashMap<i32, u32>, default: u32| {
        codepage_encoding(codepages.get(&font).copied().unwrap_or(default))
    };
    let mut i = 0;
    while i < bytes.len() && !reader.sink.is_full() {
        let b = bytes[i];
        i += 1;
        match b {
            b'{' => {
                if stack.len() < MAX_DEPTH {
                    stack.push(group);
                } else {
                    overflow += 1;
                }
                group_opened = true;
                continue;
            }
            b'}' => {
                reader.flush();
                if overflow > 0 {
                    overflow -= 1;
                } else if let Some(outer) = stack.pop() {
                    group = outer;
                }
                fallback = 0;
            }
            b'\\' => {
                let Some(&next) = bytes.get(i) else { break };
                if next.is_ascii_alphabetic() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_alphabetic() && i - start < 32 {
                        i += 1;
                    }
                    let word = std::str::from_utf8(&bytes[start..i]).unwrap_or("");
                    let num_start = i;
                    if i < bytes.len() && bytes[i] == b'-' {
                        i += 1;
                    }
                    while i < bytes.len() && bytes[i].is_ascii_digit() && i - num_start < 11 {
                        i += 1;
                    }
                    let param: Option<i64> = std::str::from_utf8(&bytes[num_start..i]).ok().and_then(|s| s.parse().ok());
                    if i < bytes.len() && bytes[i] == b' ' {
                        i += 1;
                    }
                    if group_opened && SKIPPED.contains(&word) {
                        if word == "fonttbl" {
                            group.font_table = true;
                        }
                        group.skip = true;
                    }
                    group_opened = false;
                    match word {
                        "bin" => {
                            i = i.saturating_add(param.unwrap_or(0).max(0) as usize).min(bytes.len());
                        }
                        "uc" => group.uc = param.unwrap_or(1).clamp(0, 8) as usize,
                        "ansicpg" => document_codepage = param.unwrap_or(1252) as u32,
                        "f" if group.font_table => defining_font = param.unwrap_or(0) as i32,
                        "f" => group.font = param.unwrap_or(0) as i32,
                        "fcharset" if group.font_table => {
                            if let Some(cp) = charset_codepage(param.unwrap_or(0)) {
                                font_codepages.insert(defining_font, cp);
                            }
                        }
                        _ if group.skip => {}
                        "u" => {
                            let unit = param.unwrap_or(0);
                            let unit = if unit < 0 { unit + 65536 } else { unit } as u32;
                            match (high_surrogate.take(), unit) {
                                (None, 0xD800..=0xDBFF) => high_surrogate = Some(unit),
                                (Some(high), 0xDC00..=0xDFFF) => {
                                    let c = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00);
                                    reader.text(&char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER).to_string());
                                }
                                (_, unit) => {
                                    reader.text(&char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER).to_string())
                                }
                            }
                            fallback = group.uc;
                        }
                        "par" | "line" | "sect" | "page" | "row" => reader.newline(),
                        "tab" | "cell" => reader.text("\t"),
                        "emdash" => reader.text("—"),
                        "endash" => reader.text("–"),
                        "lquote" => reader.text("‘"),
                        "rquote" => reader.text("’"),
                        "ldblquote" => reader.text("“"),
                        "rdblquote" => reader.text("”"),
                        "bullet" => reader.text("•"),
                        _ => {}
                    }
                    continue;
                }
                i += 1;
                group_opened = false;
                match next {
                    b'*' => group.skip = true,
                    b'\'' => {
                        let hex = bytes.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                        let value = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                        i = (i + 2).min(bytes.len());
                        if let (Some(v), false) = (value, group.skip) {
                            if fallback > 0 {
                                fallback -= 1;
                            } else {
                                reader.byte(v, encoding_of(group.font, &font_codepages, document_codepage));
                            }
                        }
                    }
                    _ if group.skip => {}
                    b'\\' | b'{' | b'}' => reader.byte(next, encoding_rs::WINDOWS_1252),
                    b'~' => reader.text("\u{a0}"),
                    b'_' => reader.text("-"),
                    b'\n' | b'\r' => reader.newline(),
                    _ => {}
                }
            }
            b'\r' | b'\n' => {}
            _ => {
                group_opened = false;
                if group.skip {
                    continue;
                }
                if fallback > 0 {
                    fallback -= 1;
                    continue;
                }
                reader.byte(b, encoding_of(group.font, &font_codepages, document_codepage));
            }
        }
    }
    reader.flush();
    Ok(sink.finish(None))
}

fn charset_codepage(charset: i64) -> Option<u32> {
    let cp = match charset {
        128 => 932,
        134 => 936,
        129 => 949,
        136 => 950,
        161 => 1253,
        162 => 1254,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        _ => return None,
    };
    Some(cp)
}

fn codepage_encoding(codepage: u32) -> &'static Encoding {
    let label = match codepage {
        932 => "shift_jis".to_string(),
        936 => "gbk".to_string(),
        949 => "euc-kr".to_string(),
        950 => "big5".to_string(),
        874 => "windows-874".to_string(),
        10000 => "macintosh".to_string(),
        cp => format!("windows-{cp}"),
    };
    Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rtf: &str) -> String {
        read(rtf.as_bytes(), &Limits::default()).unwrap().sections.first().map(|s| s.text.clone()).unwrap_or_default()
    }

    #[test]
    fn paragraphs_and_tables_without_the_font_table_or_styles() {
        let rtf = r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}{\colortbl;\red255\green0\blue0;}{\*\generator Writer;}
\pard Meeting notes\par
{\b Budget:} travel \endash  cut by 10%\par
Q1\cell 12\cell\row}";
        assert_eq!(text(rtf), "Meeting notes\nBudget: travel – cut by 10%\nQ1\t12\n");
    }

    #[test]
    fn code_pages_and_unicode_escapes_are_decoded() {
        let rtf = r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset0 Arial;}{\f1\fcharset204 Arial Cyr;}}
caf\'e9 {\f1 \'cf\'f0\'e8\'e2\'e5\'f2} \uc1\u8364?5 \u-10179?\u-8704?\par}";
        assert_eq!(text(rtf), "café Привет €5 😀\n");
    }

    #[test]
    fn deep_nesting_and_binary_blobs_cost_nothing() {
        let deep = format!("{{\\rtf1 {}deep{}}}", "{".repeat(100_000), "}".repeat(100_000));
        assert_eq!(text(&deep), "deep\n");
        let mut blob = b"{\\rtf1 before {\\pict\\bin6 ".to_vec();
        blob.extend(b"{}}\\\\\x00");
        blob.extend(b"} after}");
        assert_eq!(read(&blob, &Limits::default()).unwrap().sections[0].text, "before  after\n");
    }

    #[test]
    fn files_that_are_not_rtf_are_refused() {
        assert!(matches!(read(b"hello", &Limits::default()), Err(FormatError::Corrupt { .. })));
    }
}
