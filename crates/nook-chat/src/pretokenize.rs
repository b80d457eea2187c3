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
    /// GPT-2's pattern alone (`gpt-2`, `phi-2`).
    Gpt2,
    /// Every digit alone, then GPT-2's pattern (`smollm`: SmolLM, SmolLM2).
    SmolLm,
}

/// One step of a pre-tokenizer.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// `\p{N}`: each number character is a piece of its own.
    EachNumber,
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    Gpt2,
}

impl PreTokenizer {
    pub fn from_gguf(pre: Option<&str>) -> Result<PreTokenizer, TokenizerError> {
        match pre {
            Some("gpt-2" | "phi-2") => Ok(PreTokenizer::Gpt2),
            Some("smollm") => Ok(PreTokenizer::SmolLm),
            other => Err(TokenizerError::UnsupportedPreTokenizer(other.unwrap_or("").to_string())),
        }
    }

    /// Whether a word that is a whole token skips the merges (llama3 style).
    pub fn ignores_merges(self) -> bool {
        false
    }

    /// Whether the vocabulary adds a BOS token unless the file says.
    pub fn adds_bos(self) -> bool {
        false
    }

    fn steps(self) -> &'static [Step] {
        match self {
            PreTokenizer::Gpt2 => &[Step::Gpt2],
            PreTokenizer::SmolLm => &[Step::EachNumber, Step::Gpt2],
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
                    Step::Gpt2 => gpt2(&chars, piece, &mut next),
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

/// llama.cpp's `unicode_regex_split_custom_gpt2`, on one piece.
fn gpt2(all: &[char], piece: Range<usize>, out: &mut Vec<Range<usize>>) {
    // Only this piece is visible: past its end there is no character.
    let chars = &all[..piece.end];
    let class = |pos: usize| Class::at(chars, pos);
    let mut word_start = piece.start;
    let mut end_word = |end: usize, out: &mut Vec<Range<usize>>| {
        if end > word_start {
            out.push(word_start..end);
        }
        word_start = end;
    };
    let mut pos = piece.start;
    while pos < chars.len() {
        let c = chars[pos];
        // 's|'t|'re|'ve|'m|'ll|'d
        if c == '\'' && pos + 1 < chars.len() {
            let next = chars[pos + 1];
            if matches!(next, 's' | 't' | 'm' | 'd') {
                pos += 2;
                end_word(pos, out);
                continue;
            }
            if pos + 2 < chars.len() && matches!((next, chars[pos + 2]), ('r', 'e') | ('v', 'e') | ('l', 'l')) {
                pos += 3;
                end_word(pos, out);
                continue;
            }
        }
        let space = usize::from(c == ' ');
        let lead = if c == ' ' { class(pos + 1) } else { Class::of(c) };
        //  ?\p{L}+ |  ?\p{N}+ |  ?[^\s\p{L}\p{N}]+, in that order.
        let runs: [fn(Class) -> bool; 3] =
            [|k| k.letter, |k| k.number, |k| k.present && !(k.whitespace || k.letter || k.number)];
        if let Some(run) = runs.into_iter().find(|run| run(lead)) {
            pos += space;
            while run(class(pos)) {
                pos += 1;
            }
            end_word(pos, out);
            continue;
        }
        let mut spaces = 0;
        while class(pos + spaces).whitespace {
            spaces += 1;
        }
        // \s+(?!\S): a run of spaces before a word leaves its last one to it.
        if spaces > 1 && pos + spaces < chars.len() {
            pos += spaces - 1;
            end_word(pos, out);
            continue;
        }
        // \s+
        if spaces > 0 {
            pos += spaces;
            end_word(pos, out);
            continue;
        }
        pos += 1;
        end_word(pos, out);
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
    fn unknown_pre_tokenizers_are_refused_by_name() {
        assert_eq!(PreTokenizer::from_gguf(Some("llama-bpe")), Err(TokenizerError::UnsupportedPreTokenizer("llama-bpe".into())));
        assert!(PreTokenizer::from_gguf(None).is_err());
    }
}
