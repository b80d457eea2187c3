//! Reading a file and turning its bytes into text.
//!
//! Invariant: **line N of the extracted text is line N of the file.** HTML
//! tags, scripts and comments are blanked, not removed, so the line ranges
//! kept with each chunk point into the file as the user sees it.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use nook_core::FileKind;

use crate::rules::{self, Sniff, SkipReason};

/// A file that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: vanished before Nook could read it")]
    Vanished { path: PathBuf },
    #[error("{path}: permission denied; Nook's user cannot read it")]
    PermissionDenied { path: PathBuf },
    #[error("{path}: grew past the size limit while being read")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl ReadError {
    /// Why the file could not be read, without its path: what `nook status`
    /// shows next to the path.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Vanished { .. } => "vanished before Nook could read it".to_string(),
            ReadError::PermissionDenied { .. } => "permission denied: Nook's user cannot read it".to_string(),
            ReadError::TooLarge { limit, .. } => format!("grew past the size limit of {limit} bytes while being read"),
            ReadError::Io { source, .. } => source.to_string(),
        }
    }
}

/// Reads at most `limit` bytes of `path`; a file that turns out larger is
/// refused rather than read in part.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let wrap = |source: io::Error| match source.kind() {
        io::ErrorKind::NotFound => ReadError::Vanished { path: path.to_path_buf() },
        io::ErrorKind::PermissionDenied => ReadError::PermissionDenied { path: path.to_path_buf() },
        _ => ReadError::Io { path: path.to_path_buf(), source },
    };
    let file = File::open(path).map_err(wrap)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(wrap)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { path: path.to_path_buf(), limit });
    }
    Ok(bytes)
}

/// The identity of a file's content: blake3, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// A file's text, ready to chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub kind: FileKind,
    pub text: String,
    /// Some bytes were not valid in the file's encoding and were replaced.
    pub lossy: bool,
}

/// Turns a file's bytes into text, or says why the file is not text Nook reads.
pub fn extract(path: &Path, bytes: &[u8]) -> Result<Extracted, SkipReason> {
    let (text, lossy) = match rules::sniff(bytes) {
        Sniff::Binary { format } => return Err(SkipReason::Binary { format }),
        Sniff::Utf8 => decode_utf8(bytes),
        Sniff::Utf16Le => decode_utf16(&bytes[2..], u16::from_le_bytes),
        Sniff::Utf16Be => decode_utf16(&bytes[2..], u16::from_be_bytes),
    };
    if rules::contains_private_key(&text) {
        return Err(SkipReason::Secret);
    }
    let kind = FileKind::from_path(path).unwrap_or(FileKind::Text);
    let text = match kind {
        FileKind::Html => html_to_text(&text),
        _ => text,
    };
    Ok(Extracted { kind, text, lossy })
}

fn decode_utf8(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match String::from_utf8_lossy(bytes) {
        std::borrow::Cow::Borrowed(s) => (s.to_string(), false),
        std::borrow::Cow::Owned(s) => (s, true),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> (String, bool) {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut lossy = bytes.len() % 2 == 1;
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                lossy = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    (text, lossy)
}

/// The readable text of an HTML document, line for line: markup, comments,
/// scripts and styles become spaces (their newlines stay), entities are
/// decoded. Linear in the input, whatever its nesting.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_decoded(&mut out, rest);
            break;
        };
        push_decoded(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        let starts_markup = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !starts_markup {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        let skipped_to = markup_end(rest);
        blank(&mut out, &rest[..skipped_to]);
        rest = &rest[skipped_to..];
    }
    out
}

/// Byte length of the markup that starts `s` (which begins with `<`):
/// a comment, a script or style element with its content, or one tag.
fn markup_end(s: &str) -> usize {
    let end_of = |needle: &str, from: usize| {
        s[from..].find(needle).map_or(s.len(), |i| from + i + needle.len())
    };
    if s.starts_with("<!--") {
        return end_of("-->", 4);
    }
    let tag_end = end_of(">", 1);
    let name: String = s[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if name == "script" || name == "style" {
        return match find_ascii_ignore_case(&s[tag_end..], &format!("</{name}")) {
            Some(i) => end_of(">", tag_end + i),
            None => s.len(),
        };
    }
    tag_end
}

/// Byte offset of the first match of `needle` (ASCII) in `haystack`,
/// ignoring ASCII case, without copying the haystack.
fn find_ascii_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Replaces markup by one space, keeping its line breaks.
fn blank(out: &mut String, markup: &str) {
    out.push(' ');
    out.extend(markup.chars().filter(|&c| c == '\n'));
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The character an entity at the start of `s` stands for, and its length.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "copy" => '©',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                name.strip_prefix('#')?.parse().ok()?
            };
            // A control character (`&#10;`) would add or break lines.
            char::from_u32(code).map(|c| if c.is_control() { ' ' } else { c })?
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(name: &str, bytes: &[u8]) -> Result<String, SkipReason> {
        extract(Path::new(name), bytes).map(|e| e.text)
    }

    #[test]
    fn html_keeps_its_lines_and_loses_its_markup() {
        let html = "<html><head><style>\nbody { color: red }\n</style></head>\n<body>\n<p>Fish &amp; chips &#x2014; &lt;cheap&gt;</p>\n<script>var x = '<p>';\n</script><!-- a\ncomment -->end</body>";
        let text = html_to_text(html);
        assert_eq!(text.lines().count(), html.lines().count());
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["Fish", "&", "chips", "—", "<cheap>", "end"]);
        assert_eq!(text.lines().nth(4).unwrap().trim(), "Fish & chips — <cheap>");
    }

    #[test]
    fn unterminated_or_deeply_nested_markup_is_handled_in_linear_time() {
        assert_eq!(html_to_text("text <b unclosed").trim(), "text");
        assert_eq!(html_to_text("a & b &bogus; &#99999999;"), "a & b &bogus; &#99999999;");
        assert_eq!(html_to_text("1 < 2 &ééééééé;"), "1 < 2 &ééééééé;");
        assert_eq!(html_to_text("a&#10;b&#x0D;c"), "a b c");
        let scripts = "<SCRIPT>x</script>text ".repeat(20_000);
        assert_eq!(html_to_text(&scripts).split_whitespace().count(), 20_000);
        let deep = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        assert_eq!(html_to_text(&deep).trim(), "deep");
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_and_flagged() {
        let extracted = extract(Path::new("a.txt"), b"caf\xe9 au lait\n").unwrap();
        assert_eq!(extracted.text, "caf\u{fffd} au lait\n");
        assert!(extracted.lossy);
        assert_eq!(text_of("bom.md", b"\xef\xbb\xbf# Title").unwrap(), "# Title");
        assert_eq!(text_of("u16.txt", b"\xff\xfeh\x00i\x00").unwrap(), "hi");
    }

    #[test]
    fn binaries_with_text_names_and_hidden_keys_are_refused() {
        assert_eq!(
            text_of("notes.txt", b"\x7fELF\x02\x01\x01\x00"),
            Err(SkipReason::Binary { format: "ELF executable" })
        );
        assert_eq!(
            text_of("readme.md", b"see\n-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            Err(SkipReason::Secret)
        );
    }

    #[test]
    fn unknown_names_that_hold_text_are_text() {
        let e = extract(Path::new("NOTES"), b"plain words").unwrap();
        assert_eq!(e.kind, FileKind::Text);
    }

    #[test]
    fn reading_refuses_files_that_outgrow_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_file(&path, 10).unwrap().len(), 10);
        assert!(matches!(read_file(&path, 9), Err(ReadError::TooLarge { .. })));
        assert!(matches!(read_file(&dir.path().join("gone"), 9), Err(ReadError::Vanished { .. })));
    }
}
