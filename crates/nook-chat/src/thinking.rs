//! Thinking models (Qwen3, DeepSeek-R1 distills, QwQ) write their reasoning
//! between `<think>` and `</think>` before the answer. The reasoning is not
//! the answer: it is kept apart, shown collapsed, never checked against the
//! passages nor kept as what the assistant said.
//!
//! [`ThinkingSplit`] splits streamed text as it comes: a tag cut across two
//! pieces is held back until it is whole, and only text that can no longer
//! turn into a tag is let through.

pub const OPEN: &str = "<think>";
pub const CLOSE: &str = "</think>";

/// A part of a thinking model's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// Reasoning, from between the tags.
    Thinking(String),
    /// The answer: everything after the closing tag (its leading blank
    /// lines dropped), or all of the output when it does not open with the
    /// tag.
    Answer(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// Nothing but white space yet: the output may still open with the tag.
    #[default]
    Start,
    Thinking,
    /// After the closing tag, before the answer's first visible character.
    Between,
    Answer,
}

/// Splits a thinking model's streamed output into [`Said`] parts.
#[derive(Debug, Default)]
pub struct ThinkingSplit {
    state: State,
    /// Text that may be the start of the tag awaited.
    held: String,
    /// Whether any reasoning was let through (its leading white space is
    /// dropped).
    thought: bool,
}

impl ThinkingSplit {
    /// The parts that `piece` completes, in order.
    pub fn push(&mut self, piece: &str) -> Vec<Said> {
        self.held.push_str(piece);
        let mut said = Vec::new();
        loop {
            match self.state {
                State::Start => {
                    let text = self.held.trim_start();
                    if let Some(rest) = text.strip_prefix(OPEN) {
                        self.held = rest.to_string();
                        self.state = State::Thinking;
                    } else if OPEN.starts_with(text) {
                        return said; // white space or a part of the tag: wait
                    } else {
                        self.state = State::Answer;
                    }
                }
                State::Thinking if !self.thought && self.held.starts_with(char::is_whitespace) => {
                    self.held = self.held.trim_start().to_string();
                    if self.held.is_empty() {
                        return said;
                    }
                }
                State::Thinking => match self.held.find(CLOSE) {
                    Some(at) => {
                        let thought = self.held[..at].trim_end().to_string();
                        self.held.drain(..at + CLOSE.len());
                        if !thought.is_empty() {
                            self.thought = true;
                            said.push(Said::Thinking(thought));
                        }
                        self.state = State::Between;
                    }
                    None => {
                        let safe = self.held.len() - partial_tag_len(&self.held, CLOSE);
                        if safe > 0 {
                            self.thought = true;
                            said.push(Said::Thinking(self.held.drain(..safe).collect()));
                        }
                        return said;
                    }
                },
                State::Between => {
                    let text = self.held.trim_start();
                    if text.is_empty() {
                        self.held.clear();
                        return said;
                    }
                    self.held = text.to_string();
                    self.state = State::Answer;
                }
                State::Answer => {
                    if !self.held.is_empty() {
                        said.push(Said::Answer(std::mem::take(&mut self.held)));
                    }
                    return said;
                }
            }
        }
    }

    /// What is held back at the end of the output: a reasoning cut short
    /// (its end as thinking), or white space only.
    pub fn finish(&mut self) -> Vec<Said> {
        let held = std::mem::take(&mut self.held);
        match self.state {
            State::Thinking if !held.trim().is_empty() => vec![Said::Thinking(held)],
            State::Start if !held.trim().is_empty() => vec![Said::Answer(held)],
            _ => Vec::new(),
        }
    }

    /// Whether the output opened a reasoning block that never closed.
    pub fn still_thinking(&self) -> bool {
        self.state == State::Thinking
    }
}

/// The answer in a thinking model's whole output, its reasoning left out
/// (all of the output when it does not open with the tag; nothing when the
/// reasoning never closed).
pub fn answer_of(output: &str) -> String {
    let mut split = ThinkingSplit::default();
    let mut said = split.push(output);
    said.extend(split.finish());
    said.into_iter().filter_map(|part| if let Said::Answer(text) = part { Some(text) } else { None }).collect()
}

/// The length of the longest end of `text` that begins `tag` (a tag cut by
/// the end of a piece).
fn partial_tag_len(text: &str, tag: &str) -> usize {
    (1..tag.len()).rev().find(|&n| text.is_char_boundary(text.len().saturating_sub(n)) && text.ends_with(&tag[..n])).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_of_a_whole_output_leaves_the_reasoning_out() {
        assert_eq!(answer_of("<think>\nThe file is about bread.\n</think>\n\nA bread recipe."), "A bread recipe.");
        assert_eq!(answer_of("A bread recipe."), "A bread recipe.");
        assert_eq!(answer_of("<think>Still going"), "");
    }

    fn split(pieces: &[&str]) -> (String, String) {
        let mut splitter = ThinkingSplit::default();
        let mut said: Vec<Said> = pieces.iter().flat_map(|p| splitter.push(p)).collect();
        said.extend(splitter.finish());
        let mut thinking = String::new();
        let mut answer = String::new();
        for part in said {
            match part {
                Said::Thinking(t) => thinking.push_str(&t),
                Said::Answer(a) => answer.push_str(&a),
            }
        }
        (thinking, answer)
    }

    #[test]
    fn reasoning_between_the_tags_is_kept_apart_from_the_answer() {
        let (thinking, answer) = split(&["<think>\nThe port is in the README.\n</think>\n\nIt listens on 4444."]);
        assert_eq!(thinking, "The port is in the README.");
        assert_eq!(answer, "It listens on 4444.");
    }

    #[test]
    fn tags_cut_across_pieces_are_still_found() {
        let (thinking, answer) = split(&["<th", "ink>", "Look at", " the notes.</", "thi", "nk>", "\n\n", "Tuesday."]);
        assert_eq!(thinking, "Look at the notes.");
        assert_eq!(answer, "Tuesday.");
    }

    #[test]
    fn output_that_does_not_open_with_the_tag_is_all_answer() {
        assert_eq!(split(&["The answer", " is <think> here."]), (String::new(), "The answer is <think> here.".into()));
        assert_eq!(split(&["<", "b>bold</b>"]), (String::new(), "<b>bold</b>".into()));
    }

    #[test]
    fn an_empty_reasoning_block_leaves_the_answer_alone() {
        assert_eq!(split(&["<think>\n\n</think>\n\n", "Yes."]), (String::new(), "Yes.".into()));
    }

    #[test]
    fn reasoning_cut_short_stays_reasoning() {
        let mut splitter = ThinkingSplit::default();
        let mut said = splitter.push("<think>First, the lease says</");
        assert!(splitter.still_thinking());
        said.extend(splitter.finish());
        assert_eq!(said, vec![Said::Thinking("First, the lease says".into()), Said::Thinking("</".into())]);
    }

    #[test]
    fn reasoning_streams_as_it_comes() {
        let mut splitter = ThinkingSplit::default();
        assert_eq!(splitter.push("<think>"), vec![]);
        assert_eq!(splitter.push("\n"), vec![]);
        assert_eq!(splitter.push("one "), vec![Said::Thinking("one ".into())]);
        assert_eq!(splitter.push("two <"), vec![Said::Thinking("two ".into())]);
        assert_eq!(splitter.push("b"), vec![Said::Thinking("<b".into())]);
    }

    #[test]
    fn multibyte_text_before_a_cut_tag_is_not_split_inside_a_character() {
        let (thinking, answer) = split(&["<think>Çà", "é</think>ü"]);
        assert_eq!((thinking.as_str(), answer.as_str()), ("Çàé", "ü"));
    }
}
