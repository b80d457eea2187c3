//! Pre-tokenization of byte-level BPE vocabularies: cutting text into words
//! before merges run, exactly as llama.cpp does for each `tokenizer.ggml.pre`.
//!
//! llama.cpp applies its patterns one after the other, each to the pieces
//! the previous one left; the GPT-2 pattern runs through a hand-written
//! matcher, which this module follows step by step.

use std::ops::Range;

use crate::unicode::{byte_to_char, Class};
use crate::vocab::TokenizerError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PreTokenizer {
    /// GPT-2's pattern alone (`gpt-2`, `phi-2`, `mpt`).
    Gpt2,
    /// Every number character alone, then GPT-2's pattern (`smollm`:
    /// SmolLM, SmolLM2; `starcoder`, `refact`, `command-r`).
    SmolLm,
    /// Llama 3's pattern (`llama-bpe`): contractions in any case, a letter
    /// run with one leading non-letter, numbers in threes, punctuation with
    /// the line breaks after it; whole-word tokens skip the merges, and a
    /// BOS token is added.
    Llama3,
    /// Qwen2's pattern (`qwen2`: Qwen2, Qwen2.5, Qwen3): Llama 3's with
    /// every digit alone.
    Qwen2,
    /// Qwen3.5's pattern (`qwen35`): Qwen2's with combining marks read as
    /// letters.
    Qwen35,
}

/// One step of a pre-tokenizer.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// `\p{N}`: each number character is a piece of its own.
    EachNumber,
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    Gpt2,
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,digits}|
    /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`, with combining marks
    /// as letters when `marks` is set.
    Llama3 { digits: usize, marks: bool },
}

impl PreTokenizer {
    pub fn from_gguf(pre: Option<&str>) -> Result<PreTokenizer, TokenizerError> {
        match pre {
            Some("gpt-2" | "phi-2" | "mpt") => Ok(PreTokenizer::Gpt2),
            Some("smollm" | "starcoder" | "refact" | "command-r") => Ok(PreTokenizer::SmolLm),
            Some("llama-bpe" | "llama3") => Ok(PreTokenizer::Llama3),
            Some("qwen2") => Ok(PreTokenizer::Qwen2),
            Some("qwen35") => Ok(PreTokenizer::Qwen35),
            other => Err(TokenizerError::UnsupportedPreTokenizer(other.unwrap_or("").to_string())),
        }
    }

    /// Whether a word that is a whole token skips the merges (llama3 style).
    pub fn ignores_merges(self) -> bool {
        self == PreTokenizer::Llama3
    }

    /// Whether the vocabulary adds a BOS token unless the file says.
    pub fn adds_bos(self) -> bool {
        self == PreTokenizer::Llama3
    }

    fn steps(self) -> &'static [Step] {
        match self {
            PreTokenizer::Gpt2 => &[Step::Gpt2],
            PreTokenizer::SmolLm => &[Step::EachNumber, Step::Gpt2],
            PreTokenizer::Llama3 => &[Step::Llama3 { digits: 3, marks: false }],
            PreTokenizer::Qwen2 => &[Step::Llama3 { digits: 1, marks: false }],
            PreTokenizer::Qwen35 => &[Step::Llama3 { digits: 1, marks: true }],
        }
    }

    /// Cuts `text` into words, each spelled in GPT-2's byte stand-ins.
    pub fn split(self, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces: Vec<Range<usize>> = std::iter::once(0..chars.len()).collect();
        for step in self.steps() {
            let mut next = Vec::with_capacity(pieces.len());
            for piece in pieces {
                match step {
                    Step::EachNumber => each_number(&chars, piece, &mut next),
                    Step::Gpt2 => split_piece(&chars, piece, &mut next, gpt2_word),
                    &Step::Llama3 { digits, marks } => {
                        split_piece(&chars, piece, &mut next, |chars, pos| llama3_word(chars, pos, digits, marks))
                    }
                }
            }
            pieces = next;
        }
        pieces
            .into_iter()
            .filter(|piece| !piece.is_empty())
            .map(|piece| {
                let word: String = chars[piece].iter().collect();
                word.bytes().map(byte_to_char).collect()
            })
            .collect()
    }
}

/// A regex split keeps both the matches and the text between them.
fn each_number(chars: &[char], piece: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut start = piece.start;
    for pos in piece.clone() {
        if Class::of(chars[pos]).number {
            if pos > start {
                out.push(start..pos);
            }
            out.push(pos..pos + 1);
            start = pos + 1;
        }
    }
    if start < piece.end {
        out.push(start..piece.end);
    }
}

/// Cuts one piece into words, each as long as `word_end` says the word
/// at a position is. Only this piece is visible to it: past its end there
/// is no character.
fn split_piece(all: &[char], piece: Range<usize>, out: &mut Vec<Range<usize>>, word_end: impl Fn(&[char], usize) -> usize) {
    let chars = &all[..piece.end];
    let mut pos = piece.start;
    while pos < chars.len() {
        let end = word_end(chars, pos);
        debug_assert!(end > pos, "every word holds a character");
        out.push(pos..end);
        pos = end;
    }
}

/// Where the word at `pos` ends, by llama.cpp's
/// `unicode_regex_split_custom_gpt2`.
fn gpt2_word(chars: &[char], pos: usize) -> usize {
    let class = |pos: usize| Class::at(chars, pos);
    let c = chars[pos];
    // 's|'t|'re|'ve|'m|'ll|'d
    if let Some(end) = contraction(chars, pos, |c| c) {
        return end;
    }
    let lead = if c == ' ' { class(pos + 1) } else { Class::of(c) };
    //  ?\p{L}+ |  ?\p{N}+ |  ?[^\s\p{L}\p{N}]+, in that order.
    let runs: [fn(Class) -> bool; 3] = [|k| k.letter, |k| k.number, |k| k.present && !(k.whitespace || k.letter || k.number)];
    if let Some(run) = runs.into_iter().find(|run| run(lead)) {
        let mut end = pos + usize::from(c == ' ');
        while run(class(end)) {
            end += 1;
        }
        return end;
    }
    whitespace_end(chars, pos)
}

/// The end of `'s|'t|'re|'ve|'m|'ll|'d` at `pos`, the letters after the
/// apostrophe compared after `fold`.
fn contraction(chars: &[char], pos: usize, fold: fn(char) -> char) -> Option<usize> {
    let at = |k: usize| chars.get(pos + k).copied().map(fold);
    if chars[pos] != '\'' {
        return None;
    }
    match (at(1)?, at(2)) {
        ('s' | 't' | 'm' | 'd', _) => Some(pos + 2),
        ('r', Some('e')) | ('v', Some('e')) | ('l', Some('l')) => Some(pos + 3),
        _ => None,
    }
}

/// Where the last branches of GPT-2's pattern, `\s+(?!\S)|\s+`, end a word
/// that starts at `pos`, or one character when neither matches.
fn whitespace_end(chars: &[char], pos: usize) -> usize {
    let mut spaces = 0;
    while Class::at(chars, pos + spaces).whitespace {
        spaces += 1;
    }
    // \s+(?!\S): a run of spaces before a word leaves its last one to it.
    if spaces > 1 && pos + spaces < chars.len() {
        pos + spaces - 1
    } else {
        // \s+, else one character.
        pos + spaces.max(1)
    }
}

/// Where the word at `pos` ends, by llama.cpp's
/// `unicode_regex_split_custom_llama3` (numbers in groups of `digits`) and
/// its `qwen2` (single digits) and `qwen35` (combining marks as letters,
/// `marks`) variants.
fn llama3_word(chars: &[char], pos: usize, digits: usize, marks: bool) -> usize {
    let class = |pos: usize| Class::at(chars, pos);
    let letter = |k: Class| k.letter || (marks && k.mark);
    let other = |k: Class| !(k.whitespace || letter(k) || k.number || (marks && k.mark));
    let line_break = |pos: usize| chars.get(pos).is_some_and(|&c| c == '\r' || c == '\n');
    let c = chars[pos];
    let here = Class::of(c);
    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if let Some(end) = contraction(chars, pos, |c| c.to_ascii_lowercase()) {
        return end;
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+: one character of any other kind may lead.
    if !(line_break(pos) || here.number) && (letter(here) || letter(class(pos + 1))) {
        let mut end = pos + 1;
        while letter(class(end)) {
            end += 1;
        }
        return end;
    }
    // \p{N}{1,digits}, from the left.
    if here.number {
        let mut end = pos;
        while class(end).number && end - pos < digits {
            end += 1;
        }
        return end;
    }
    //  ?[^\s\p{L}\p{N}]+[\r\n]*
    let lead = if c == ' ' { class(pos + 1) } else { here };
    if other(lead) {
        let mut end = pos + usize::from(c == ' ');
        while class(end).present && other(class(end)) {
            end += 1;
        }
        while line_break(end) {
            end += 1;
        }
        return end;
    }
    // \s*[\r\n]+: spaces up to the run's last line break.
    let run = (pos..).take_while(|&p| class(p).whitespace);
    match run.filter(|&p| line_break(p)).last() {
        Some(last_break) => last_break + 1,
        None => whitespace_end(chars, pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words, with GPT-2's stand-ins turned back into text.
    fn words(pre: PreTokenizer, text: &str) -> Vec<String> {
        pre.split(text)
            .iter()
            .map(|w| {
                let bytes: Vec<u8> = w.chars().map(|c| crate::unicode::char_to_byte(c).unwrap()).collect();
                String::from_utf8(bytes).unwrap()
            })
            .collect()
    }

    #[test]
    fn gpt2_keeps_a_leading_space_with_the_word_after_it() {
        assert_eq!(words(PreTokenizer::Gpt2, "Hello world, it's 2024!"), ["Hello", " world", ",", " it", "'s", " 2024", "!"]);
    }

    #[test]
    fn gpt2_leaves_the_last_space_of_a_run_to_the_next_word() {
        assert_eq!(words(PreTokenizer::Gpt2, "a   b"), ["a", "  ", " b"]);
        assert_eq!(words(PreTokenizer::Gpt2, "a\n\n  b  "), ["a", "\n\n ", " b", "  "]);
        assert_eq!(words(PreTokenizer::Gpt2, "x\t\ny"), ["x", "\t", "\n", "y"]);
    }

    #[test]
    fn gpt2_contractions_are_case_sensitive() {
        assert_eq!(words(PreTokenizer::Gpt2, "we'll I'LL"), ["we", "'ll", " I", "'", "LL"]);
    }

    #[test]
    fn smollm_cuts_every_digit_alone_first() {
        assert_eq!(words(PreTokenizer::SmolLm, "in 2024 x1"), ["in", " ", "2", "0", "2", "4", " x", "1"]);
    }

    #[test]
    fn words_are_spelled_in_gpt2_stand_ins() {
        assert_eq!(PreTokenizer::Gpt2.split(" é"), ["ĠÃ©"]);
    }

    #[test]
    fn llama3_reads_contractions_in_any_case_and_numbers_in_threes() {
        assert_eq!(words(PreTokenizer::Llama3, "I'M WE'RE"), ["I", "'M", " WE", "'RE"]);
        assert_eq!(words(PreTokenizer::Llama3, "1234567"), ["123", "456", "7"]);
        assert_eq!(words(PreTokenizer::Qwen2, "1234"), ["1", "2", "3", "4"]);
    }

    #[test]
    fn llama3_gives_line_breaks_to_the_punctuation_or_spaces_before_them() {
        assert_eq!(words(PreTokenizer::Llama3, "x\r\n\n  y"), ["x", "\r\n\n", " ", " y"]);
        assert_eq!(words(PreTokenizer::Llama3, "a  \n\n  b   "), ["a", "  \n\n", " ", " b", "   "]);
        assert_eq!(words(PreTokenizer::Llama3, "ok!\n\nthen"), ["ok", "!\n\n", "then"]);
        assert_eq!(words(PreTokenizer::Llama3, "\t\tindent"), ["\t", "\tindent"]);
    }

    #[test]
    fn qwen35_reads_combining_marks_as_letters() {
        let nfd = "re\u{301}sume\u{301}";
        assert_eq!(words(PreTokenizer::Qwen2, nfd), ["re", "\u{301}sume", "\u{301}"]);
        assert_eq!(words(PreTokenizer::Qwen35, nfd), [nfd]);
    }

    #[test]
    fn unknown_pre_tokenizers_are_refused_by_name() {
        assert_eq!(PreTokenizer::from_gguf(Some("falcon")), Err(TokenizerError::UnsupportedPreTokenizer("falcon".into())));
        assert!(PreTokenizer::from_gguf(None).is_err());
    }
}
