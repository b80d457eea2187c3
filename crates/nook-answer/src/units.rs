//! Passages cut into the pieces an answer can be: a sentence of prose, a
//! line of code, a row of a table, a heading. Each piece keeps its byte
//! span in the passage (to highlight it there) and its lines in the file.

use serde::{Deserialize, Serialize};

/// Words a piece holds at most; a longer sentence is cut into pieces of
/// this many words, so a run-on paragraph does not win on length alone.
const MAX_WORDS: usize = 48;

/// One piece of one passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Which passage (its index in the list given to [`units`]).
    pub passage: usize,
    /// Byte span in the passage's text.
    pub start: usize,
    pub end: usize,
    /// Lines of the file the piece is on (1-based, inclusive).
    pub line_start: u32,
    pub line_end: u32,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Prose,
    /// A line inside a fenced code block, or an indented one.
    Code,
    /// A Markdown heading: names a topic, rarely answers.
    Heading,
    /// A row of a table.
    Row,
}

impl Unit {
    pub fn text<'a>(&self, passage: &'a str) -> &'a str {
        &passage[self.start..self.end]
    }
}

/// The pieces of each passage, in order. `passages` are the passages' texts
/// with the file line their text starts on. Lines that hold no words
/// (rules, fences, badges and images only, HTML tags) give no piece.
pub fn units(passages: &[(&str, u32)]) -> Vec<Unit> {
    let mut out = Vec::new();
    for (index, &(text, first_line)) in passages.iter().enumerate() {
        Cutter { passage: index, text, first_line, out: &mut out }.cut();
    }
    out
}

struct Cutter<'a> {
    passage: usize,
    text: &'a str,
    first_line: u32,
    out: &'a mut Vec<Unit>,
}

/// The fence of the code block `text` starts inside, if it does: a passage
/// cut from the middle of a block. Its fences then come in an odd number
/// and the first is bare (an opening one usually names its language).
fn opens_inside_code(text: &str) -> Option<&'static str> {
    let fences: Vec<&str> = text.lines().map(str::trim_start).filter(|l| l.starts_with("```") || l.starts_with("~~~")).collect();
    let first = fences.first()?;
    let bare = first.trim_end().len() == 3;
    (fences.len() % 2 == 1 && bare).then(|| if first.starts_with('`') { "```" } else { "~~~" })
}

impl Cutter<'_> {
    fn cut(&mut self) {
        let mut fence: Option<&str> = opens_inside_code(self.text);
        // The paragraph being gathered: byte span.
        let mut paragraph: Option<(usize, usize)> = None;
        let lines: Vec<(usize, &str)> = self
            .text
            .split_inclusive('\n')
            .scan(0, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some((start, line.trim_end_matches(['\n', '\r'])))
            })
            .collect();
        for (n, &(start, body)) in lines.iter().enumerate() {
            let trimmed = body.trim_start();
            let end = start + body.len();
            if let Some(marker) = fence {
                if trimmed.starts_with(marker) {
                    fence = None;
                } else {
                    self.piece(start + (body.len() - trimmed.len()), end, UnitKind::Code);
                }
                continue;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                self.flush(&mut paragraph);
                fence = Some(&trimmed[..3]);
                continue;
            }
            let indent = body.len() - trimmed.len();
            if trimmed.is_empty() || !has_words(trimmed) || is_page_furniture(body) {
                // A blank line, one of badges, images or tags only, or a
                // manual page's running header or footer.
                self.flush(&mut paragraph);
            } else if trimmed.starts_with('#') || (indent < 4 && is_caps_heading(trimmed)) {
                self.flush(&mut paragraph);
                self.piece(start + indent, end, UnitKind::Heading);
            } else if trimmed.starts_with('|') {
                self.flush(&mut paragraph);
                self.piece(start + indent, end, UnitKind::Row);
            } else if indent >= 4 && paragraph.is_none() && !opens_indented_prose(trimmed, indent, lines.get(n + 1).map(|l| l.1)) {
                self.piece(start + indent, end, UnitKind::Code);
            } else {
                if starts_item(trimmed) {
                    self.flush(&mut paragraph);
                }
                paragraph = Some(match paragraph {
                    Some((s, _)) => (s, end),
                    None => (start + indent, end),
                });
            }
        }
        self.flush(&mut paragraph);
    }

    fn flush(&mut self, paragraph: &mut Option<(usize, usize)>) {
        if let Some((start, end)) = paragraph.take() {
            for (s, e) in sentence_spans(&self.text[start..end]) {
                self.piece(start + s, start + e, UnitKind::Prose);
            }
        }
    }

    fn piece(&mut self, start: usize, end: usize, kind: UnitKind) {
        let text = &self.text[start..end];
        if !has_words(text) {
            return;
        }
        let mut pieces = vec![(start, end)];
        if kind == UnitKind::Prose {
            pieces = word_windows(text).into_iter().map(|(s, e)| (start + s, start + e)).collect();
        }
        for (s, e) in pieces {
            let line_start = self.first_line + self.text[..s].matches('\n').count() as u32;
            let line_end = line_start + self.text[s..e].matches('\n').count() as u32;
            self.out.push(Unit { passage: self.passage, start: s, end: e, line_start, line_end, kind });
        }
    }
}

/// Whether an indented line begins prose rather than code. Manual pages,
/// info manuals and plain-text notes indent their paragraphs (`man` by
/// seven columns), and their option lists put a term over a deeper
/// indented description: such a line is prose when it reads as prose, or
/// when it is a short term over a deeper line that does (the term is then
/// the start of its description's first sentence, "-n, --lines=NUM output
/// the last NUM lines"). Markdown's indented code reads as neither.
fn opens_indented_prose(line: &str, indent: usize, next: Option<&str>) -> bool {
    if reads_as_prose(line) {
        return true;
    }
    let Some(next) = next else { return false };
    let next_indent = next.len() - next.trim_start().len();
    next_indent > indent && line.split_whitespace().count() <= 4 && reads_as_prose(next.trim_start())
}

/// A line of a few words in capitals, as manual pages head their sections
/// ("DESCRIPTION", "EXIT STATUS").
fn is_caps_heading(line: &str) -> bool {
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    line.starts_with(char::is_alphabetic) && letters >= 3 && line.split_whitespace().count() <= 5 && !line.chars().any(char::is_lowercase) && !line.ends_with(['.', ':', ';', ','])
}

/// A manual page's running header or footer, as `man` lays it out:
/// `XARGS(1)      General Commands Manual      XARGS(1)`, `systemd 252
/// SYSTEMD.KILL(5)`. It ends with the page's name and section, set apart by
/// a wide gap; it names the page on every page and answers nothing.
fn is_page_furniture(line: &str) -> bool {
    let Some(last) = line.split_whitespace().last() else { return false };
    let section = last.strip_suffix(')').and_then(|l| l.rsplit_once('(')).is_some_and(|(name, section)| {
        !name.is_empty() && section.starts_with(|c: char| c.is_ascii_digit()) && section.len() <= 6
    });
    section && line.trim_end().contains("        ")
}

/// Words that prose cannot do without and code hardly uses.
const PROSE_WORDS: &[&str] = &[
    "a", "an", "and", "are", "be", "been", "by", "can", "from", "has", "have", "into", "is", "it", "its", "may", "not", "of", "on", "or", "than",
    "that", "the", "their", "this", "to", "was", "which", "will", "with", "you", "your",
];

/// A line that reads as a sentence: mostly words (not symbols, paths or
/// assignments), among them at least two of the [`PROSE_WORDS`].
fn reads_as_prose(line: &str) -> bool {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.len() < 4 {
        return false;
    }
    let bare = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
    let wordlike = tokens
        .iter()
        .filter(|t| {
            let b = bare(t);
            !b.is_empty() && b.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-') && !t.contains(['=', '(', '{', '<', '/', '$'])
        })
        .count();
    let glue = tokens.iter().filter(|t| PROSE_WORDS.binary_search(&bare(t).as_str()).is_ok()).count();
    glue >= 2 && wordlike * 10 >= tokens.len() * 6
}

/// A list item begins its own piece: "- ", "* ", "+ ", "1. ", "2) ".
pub(crate) fn starts_item(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        return rest.starts_with(' ');
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Whether a line says something in words: at least three letters or
/// digits outside markup, and not only images, badges and links.
fn has_words(text: &str) -> bool {
    let t = text.trim();
    if is_link_definition(t) {
        return false;
    }
    let mut visible = String::new();
    let mut rest = t;
    // Images and badges say nothing: drop `![alt](url)` and `[![…](…)](…)`;
    // keep a link's words, drop its address.
    while let Some(open) = rest.find("](") {
        let (before, after) = rest.split_at(open);
        let label_start = before.rfind('[').unwrap_or(0);
        let image = before[..label_start].ends_with('!');
        visible.push_str(&before[..label_start.saturating_sub(image as usize)]);
        if !image {
            visible.push_str(&before[label_start..]);
        }
        rest = match after.find(')') {
            Some(close) => &after[close + 1..],
            None => "",
        };
    }
    visible.push_str(rest);
    // Nor do addresses: a line of them is a list of links, not a sentence.
    let visible: String = visible.split_whitespace().filter(|word| !word.contains("://") && !word.starts_with("www.")).collect::<Vec<_>>().join(" ");
    // Inline tags say nothing either: `<img …>`, `<br/>`.
    let mut words = 0;
    // A `>` before any `<`: the line goes on with a tag begun on a line
    // before (`height="20">`).
    let mut in_tag = visible.find('>').is_some_and(|gt| !visible[..gt].contains('<'));
    for c in visible.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_alphanumeric() => words += 1,
            _ => {}
        }
    }
    words >= 3
}

/// A Markdown link reference definition: `[docs]: https://docs.rs/…`.
fn is_link_definition(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('[') else { return false };
    rest.find("]:").is_some_and(|close| close > 0 && !rest[..close].contains('[') && rest[close + 2..].starts_with([' ', '<', 'h']))
}

/// Sentences of a paragraph as byte spans: cut after `.`, `!` or `?`
/// followed by a space and a capital, a digit, a quote or markup, but not
/// after common abbreviations ("e.g.", "i.e.", "etc.") or inside numbers.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') && i + 2 < bytes.len() && bytes[i + 1].is_ascii_whitespace() {
            let mut next = i + 1;
            while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                next += 1;
            }
            let opens = next < bytes.len() && (bytes[next].is_ascii_uppercase() || matches!(bytes[next], b'`' | b'"' | b'*' | b'[' | b'(' | b'_'));
            if opens && !ends_with_abbreviation(&text[start..=i]) {
                spans.push((start, i + 1));
                start = next;
                i = next;
                continue;
            }
        }
        i += 1;
    }
    if start < text.len() {
        spans.push((start, text.len()));
    }
    spans.into_iter().map(|(s, e)| trim_span(text, s, e)).filter(|(s, e)| e > s).collect()
}

/// Whether a sentence so far ends in an abbreviation or a person's initial
/// ("Brian W."), after which a capital does not start a new sentence.
fn ends_with_abbreviation(sentence: &str) -> bool {
    let last = sentence.rsplit(char::is_whitespace).next().unwrap_or("");
    let initial = last.len() == 2 && last.as_bytes()[0].is_ascii_uppercase();
    let last = last.to_ascii_lowercase();
    ["e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "no.", "fig.", "(e.g.", "(i.e."].contains(&last.as_str()) || initial
}

fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    (start + lead, start + piece.trim_end().len())
}

/// A sentence longer than [`MAX_WORDS`] words as consecutive windows of
/// that many words (the last may be shorter).
fn word_windows(text: &str) -> Vec<(usize, usize)> {
    let words: Vec<(usize, usize)> = text
        .split_whitespace()
        .map(|w| {
            let s = w.as_ptr() as usize - text.as_ptr() as usize;
            (s, s + w.len())
        })
        .collect();
    if words.len() <= MAX_WORDS {
        return vec![(0, text.len())];
    }
    words.chunks(MAX_WORDS).map(|c| (c[0].0, c[c.len() - 1].1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(String, u32, UnitKind)> {
        units(&[(text, 10)]).iter().map(|u| (u.text(text).to_string(), u.line_start, u.kind)).collect()
    }

    #[test]
    fn prose_is_cut_into_sentences_with_their_lines() {
        let text = "# tauri-driver\n\nA WebDriver server. It listens on port 4444 by default, e.g. for\nSelenium. Use `--port` to change it.\n";
        assert_eq!(
            pieces(text),
            [
                ("# tauri-driver".into(), 10, UnitKind::Heading),
                ("A WebDriver server.".into(), 12, UnitKind::Prose),
                ("It listens on port 4444 by default, e.g. for\nSelenium.".into(), 12, UnitKind::Prose),
                ("Use `--port` to change it.".into(), 13, UnitKind::Prose),
            ]
        );
    }

    #[test]
    fn code_lines_and_table_rows_are_pieces_of_their_own() {
        let text = "Add it:\n\n```toml\n[dependencies]\nserde = \"1.0\"\n```\n| flag | default |\n|---|---|\n| port | 4444 |\n";
        assert_eq!(
            pieces(text),
            [
                ("Add it:".into(), 10, UnitKind::Prose),
                ("[dependencies]".into(), 13, UnitKind::Code),
                ("serde = \"1.0\"".into(), 14, UnitKind::Code),
                ("| flag | default |".into(), 16, UnitKind::Row),
                ("| port | 4444 |".into(), 18, UnitKind::Row),
            ]
        );
    }

    #[test]
    fn a_passage_cut_inside_a_code_block_reads_its_start_as_code() {
        let text = "let x = parse(input);\nprintln!(\"{x}\");\n```\n\nThen run it with:\n\n```sh\ncargo run --release\n```\n";
        let kinds: Vec<(UnitKind, &str)> = units(&[(text, 1)]).iter().map(|u| (u.kind, u.text(text))).collect();
        assert_eq!(
            kinds,
            [
                (UnitKind::Code, "let x = parse(input);"),
                (UnitKind::Code, "println!(\"{x}\");"),
                (UnitKind::Prose, "Then run it with:"),
                (UnitKind::Code, "cargo run --release"),
            ]
        );
    }

    #[test]
    fn list_items_start_pieces_and_badges_say_nothing() {
        let text = "[![crates.io](https://img.shields.io/x.svg)](https://crates.io/x)\n<p align=\"center\">\n<a href=\"https://docs.rs/x\"><img alt=\"docs\"\n src=\"https://img.shields.io/badge/docs-x-blue?style=for-the-badge&labelColor=555555\" height=\"20\"></a>\n- fast: 2x faster\n- small\n  and simple\n1. first step\n";
        assert_eq!(
            pieces(text),
            [
                ("- fast: 2x faster".into(), 14, UnitKind::Prose),
                ("- small\n  and simple".into(), 15, UnitKind::Prose),
                ("1. first step".into(), 17, UnitKind::Prose),
            ]
        );
    }

    #[test]
    fn link_definitions_and_bare_addresses_say_nothing() {
        let text = "[docs]: https://docs.rs/x/latest/x/struct.Manifest.html#method.from_slice\n[rustc-image]: https://img.shields.io/badge/rustc-1.85+-blue.svg\nhttps://img.shields.io/crates/v/x.svg)](https://crates.io/crates/x)\n\nSee [the docs][docs] at https://docs.rs/x for more.\n";
        let got: Vec<String> = pieces(text).into_iter().map(|p| p.0).collect();
        assert_eq!(got, ["See [the docs][docs] at https://docs.rs/x for more."]);
    }

    #[test]
    fn a_line_of_tags_says_what_is_between_them() {
        let text = "<p align=\"center\">\n<limit name=\"auth_timeout\">5000</limit>\n";
        let got: Vec<String> = pieces(text).into_iter().map(|p| p.0).collect();
        assert_eq!(got, ["<limit name=\"auth_timeout\">5000</limit>"]);
    }

    #[test]
    fn indented_prose_is_prose_and_an_option_term_starts_its_description() {
        let text = "DESCRIPTION\n       Print  the  last  10 lines of each FILE to standard output.  With\n       more than one FILE, precede each with a header.\n\n       -n, --lines=[+]NUM\n              output the last NUM lines, instead of the last 10; or use -n\n              +NUM to skip NUM-1 lines at the start\n\n           tail -n 20 /var/log/syslog\n";
        let got: Vec<(String, UnitKind)> = pieces(text).into_iter().map(|p| (p.0.split_whitespace().collect::<Vec<_>>().join(" "), p.2)).collect();
        assert_eq!(
            got,
            [
                ("DESCRIPTION".into(), UnitKind::Heading),
                ("Print the last 10 lines of each FILE to standard output.".into(), UnitKind::Prose),
                ("With more than one FILE, precede each with a header.".into(), UnitKind::Prose),
                ("-n, --lines=[+]NUM output the last NUM lines, instead of the last 10; or use -n +NUM to skip NUM-1 lines at the start".into(), UnitKind::Prose),
                ("tail -n 20 /var/log/syslog".into(), UnitKind::Code),
            ]
        );
    }

    #[test]
    fn a_manual_pages_running_header_and_footer_are_no_pieces() {
        let text = "XARGS(1)                    General Commands Manual                   XARGS(1)\n\nNAME\n       xargs - build and execute command lines from standard input\n\nGit 2.39.5                        10/07/2025               GIT-CHECK-IGNORE(1)\n                                                                      XARGS(1)\n";
        let got: Vec<String> = pieces(text).into_iter().map(|p| p.0).collect();
        assert_eq!(got, ["NAME", "xargs - build and execute command lines from standard input"]);
        assert_eq!(pieces("See xargs(1) and find(1).").len(), 1, "a page named in a sentence is no furniture");
    }

    #[test]
    fn indented_code_stays_code() {
        for line in ["    let x = parse(input);", "    return a + b", "    sudo apt-get install build-essential libssl-dev pkg-config", "    cargo run --release -- --port 4444"] {
            assert_eq!(pieces(line)[0].2, UnitKind::Code, "{line}");
        }
    }

    #[test]
    fn a_long_sentence_is_cut_into_windows() {
        let text = (0..100).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let got = pieces(&text);
        assert_eq!(got.len(), 3);
        assert!(got[0].0.starts_with("w0 ") && got[0].0.ends_with(" w47"));
        assert!(got[2].0.starts_with("w96") && got[2].0.ends_with("w99"));
    }

    #[test]
    fn versions_and_abbreviations_do_not_end_sentences() {
        let text = "Requires Rust 1.70. Works with v0.3. Supports Linux, macOS, etc. and Windows.";
        let got: Vec<String> = pieces(text).into_iter().map(|p| p.0).collect();
        assert_eq!(got, ["Requires Rust 1.70.", "Works with v0.3.", "Supports Linux, macOS, etc. and Windows."]);
    }

    #[test]
    fn an_initial_does_not_end_a_sentence() {
        let text = "It follows Brian W. Kernighan and P. J. Plauger's book. It reads files.";
        let got: Vec<String> = pieces(text).into_iter().map(|p| p.0).collect();
        assert_eq!(got, ["It follows Brian W. Kernighan and P. J. Plauger's book.", "It reads files."]);
    }
}
