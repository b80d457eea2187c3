//! Collecting a document's text, section by section, within its limits.

use crate::{Document, Limits, Section};

/// Where readers write text. It keeps at most [`Limits::max_text_bytes`]
/// of text in at most [`Limits::max_sections`] sections, folds runs of blank
/// lines, and remembers whether anything was cut.
#[derive(Debug)]
pub struct TextSink {
    sections: Vec<Section>,
    label: Option<String>,
    current: String,
    total: usize,
    max_text: usize,
    max_sections: usize,
    truncated: bool,
}

impl TextSink {
    pub fn new(limits: &Limits) -> TextSink {
        TextSink {
            sections: Vec::new(),
            label: None,
            current: String::new(),
            total: 0,
            max_text: limits.max_text_bytes,
            max_sections: limits.max_sections.max(1),
            truncated: false,
        }
    }

    /// Whether more text would be dropped: readers stop early then.
    pub fn is_full(&self) -> bool {
        self.truncated
    }

    /// Ends the section at hand and starts one called `label`. Returns
    /// false (and marks the document cut short) past the section limit.
    pub fn start_section(&mut self, label: Option<String>) -> bool {
        self.end_section();
        if self.sections.len() >= self.max_sections {
            self.truncated = true;
            return false;
        }
        self.label = label;
        true
    }

    fn end_section(&mut self) {
        let text = std::mem::take(&mut self.current);
        let label = self.label.take();
        if !text.trim().is_empty() {
            self.sections.push(Section { label, text: text.trim_end().to_string() + "\n" });
        }
    }

    /// Appends text, cut at the text limit on a character boundary.
    pub fn push(&mut self, text: &str) {
        if self.truncated || text.is_empty() {
            return;
        }
        let room = self.max_text.saturating_sub(self.total);
        let take = if text.len() <= room {
            text.len()
        } else {
            self.truncated = true;
            (0..=room).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
        };
        // Control characters other than tab and newline would confuse the
        // chunker's line counting and the embedding model alike.
        for c in text[..take].chars() {
            match c {
                '\r' => {}
                '\t' | '\n' => self.current.push(c),
                c if c.is_control() => self.current.push(' '),
                c => self.current.push(c),
            }
        }
        self.total += take;
    }

    pub fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push(c.encode_utf8(&mut buf));
    }

    /// Ends the line at hand; a blank line at most separates paragraphs.
    pub fn newline(&mut self) {
        if self.current.is_empty() || self.current.ends_with("\n\n") {
            return;
        }
        self.push("\n");
    }

    /// Ends the line at hand unless it is already ended: no blank line.
    pub fn end_line(&mut self) {
        if !self.current.is_empty() && !self.current.ends_with('\n') {
            self.push("\n");
        }
    }

    /// Separates cells or words with one space or tab, never two; a tab
    /// wins over a space just written.
    pub fn separate(&mut self, with: char) {
        if with == '\t' && self.current.ends_with(' ') && !self.truncated {
            self.current.pop();
            self.current.push('\t');
            return;
        }
        if self.current.is_empty() || self.current.ends_with([' ', '\t', '\n']) {
            return;
        }
        self.push_char(with);
    }

    pub fn finish(mut self, title: Option<String>) -> Document {
        self.end_section();
        let title = title.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
        Document { title, sections: self.sections, truncated: self.truncated }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_text_bytes: usize, max_sections: usize) -> Limits {
        Limits { max_text_bytes, max_sections, ..Limits::default() }
    }

    #[test]
    fn blank_sections_are_dropped_and_labels_kept() {
        let mut sink = TextSink::new(&Limits::default());
        sink.start_section(Some("page 1".into()));
        sink.push("first");
        sink.start_section(Some("page 2".into()));
        sink.push("  \n ");
        sink.start_section(Some("page 3".into()));
        sink.push("third");
        let doc = sink.finish(Some("  A\n title ".into()));
        let labels: Vec<_> = doc.sections.iter().map(|s| s.label.as_deref().unwrap()).collect();
        assert_eq!(labels, ["page 1", "page 3"]);
        assert_eq!(doc.title.as_deref(), Some("A title"));
        assert!(!doc.truncated);
    }

    #[test]
    fn text_past_the_limit_is_cut_on_a_character_boundary_and_flagged() {
        let mut sink = TextSink::new(&limits(5, 10));
        sink.push("abcdé");
        sink.push("more");
        assert!(sink.is_full());
        let doc = sink.finish(None);
        assert_eq!(doc.sections[0].text, "abcd\n");
        assert!(doc.truncated);
    }

    #[test]
    fn sections_past_the_limit_are_refused() {
        let mut sink = TextSink::new(&limits(100, 2));
        assert!(sink.start_section(None));
        sink.push("a");
        assert!(sink.start_section(None));
        sink.push("b");
        assert!(!sink.start_section(None));
        assert_eq!(sink.finish(None).sections.len(), 2);
    }

    #[test]
    fn blank_lines_and_separators_never_pile_up() {
        let mut sink = TextSink::new(&Limits::default());
        sink.push("a");
        for _ in 0..5 {
            sink.newline();
        }
        sink.push("b");
        sink.separate('\t');
        sink.separate('\t');
        sink.push("c\u{7}\r");
        assert_eq!(sink.finish(None).sections[0].text, "a\n\nb\tc\n");
    }
}
