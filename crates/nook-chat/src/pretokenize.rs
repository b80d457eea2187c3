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
    /// Falcon's (`falcon`): runs of punctuation and ASCII symbols apart
    /// first, then GPT-2's pattern, then ASCII digits in threes.
    Falcon,
    /// DeepSeek LLM's (`deepseek-llm`): line breaks alone, runs of cased
    /// letters of a fixed list, of ASCII and CJK punctuation, trailing
    /// space, CJK runs and number runs, each with the pieces the step before
    /// left.
    DeepSeekLlm,
    /// DeepSeek Coder's (`deepseek-coder`): line breaks alone, letter runs,
    /// punctuation runs, CJK runs, every number character alone.
    DeepSeekCoder,
    /// Gemma 4's (vocabulary type `gemma4`): lines and runs of line breaks,
    /// spaces spelled `▁`, no byte stand-ins; merges run over whole lines.
    Gemma4,
}

/// One step of a pre-tokenizer: a regex whose matches, and the text
/// between them, become the pieces the next step cuts further.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// `X`: each character of a class alone (`\p{N}`, `[\r\n]`).
    Each(fn(char) -> bool),
    /// `X+`: runs of a class.
    Runs(fn(char) -> bool),
    /// `\s?X+`: runs of a class, each with the whitespace character before
    /// it.
    SpacedRuns(fn(char) -> bool),
    /// `\s+$`: the whitespace a piece ends with.
    TrailingSpace,
    /// `[0-9][0-9][0-9]`: ASCII digits in threes, from the left.
    DigitTriples,
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
            Some("falcon") => Ok(PreTokenizer::Falcon),
            Some("deepseek-llm") => Ok(PreTokenizer::DeepSeekLlm),
            Some("deepseek-coder") => Ok(PreTokenizer::DeepSeekCoder),
            other => Err(TokenizerError::UnsupportedPreTokenizer(other.unwrap_or("").to_string())),
        }
    }

    /// Whether a word that is a whole token skips the merges: every word
    /// for Llama 3, a run of line breaks for Gemma 4.
    pub fn takes_whole(self, word: &str) -> bool {
        match self {
            PreTokenizer::Llama3 => true,
            PreTokenizer::Gemma4 => word.chars().all(|c| c == '\n'),
            _ => false,
        }
    }

    /// Whether words are spelled in GPT-2's byte stand-ins (else as text,
    /// spaces as `▁`, with `<0xXX>` tokens for bytes the vocabulary lacks).
    pub fn spells_bytes(self) -> bool {
        self != PreTokenizer::Gemma4
    }

    /// Whether the vocabulary adds a BOS token unless the file says.
    pub fn adds_bos(self) -> bool {
        self == PreTokenizer::Llama3
    }

    fn steps(self) -> &'static [Step] {
        match self {
            PreTokenizer::Gpt2 => &[Step::Gpt2],
            PreTokenizer::SmolLm => &[Step::Each(is_number), Step::Gpt2],
            PreTokenizer::Llama3 => &[Step::Llama3 { digits: 3, marks: false }],
            PreTokenizer::Qwen2 => &[Step::Llama3 { digits: 1, marks: false }],
            PreTokenizer::Qwen35 => &[Step::Llama3 { digits: 1, marks: true }],
            PreTokenizer::Falcon => &[Step::Runs(is_falcon_punctuation), Step::Gpt2, Step::DigitTriples],
            PreTokenizer::DeepSeekLlm => &[
                Step::Each(is_line_break),
                Step::SpacedRuns(is_deepseek_letter),
                Step::SpacedRuns(is_deepseek_punctuation),
                Step::TrailingSpace,
                Step::Runs(is_cjk),
                Step::Runs(is_number),
            ],
            PreTokenizer::DeepSeekCoder => &[
                Step::Each(is_line_break),
                Step::SpacedRuns(is_letter),
                Step::SpacedRuns(is_punctuation),
                Step::Runs(is_cjk),
                Step::Each(is_number),
            ],
            PreTokenizer::Gemma4 => &[Step::Runs(|c| c == '\n')],
        }
    }

    /// Cuts `text` into words, each spelled as the vocabulary spells its
    /// tokens ([`PreTokenizer::spells_bytes`]).
    pub fn split(self, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces: Vec<Range<usize>> = std::iter::once(0..chars.len()).collect();
        for step in self.steps() {
            let mut next = Vec::with_capacity(pieces.len());
            for piece in pieces {
                match step {
                    &Step::Each(class) => split_matches(&chars, piece, &mut next, |chars, pos| class(chars[pos]).then_some(pos + 1)),
                    &Step::Runs(class) => split_matches(&chars, piece, &mut next, |chars, pos| run_end(chars, pos, class)),
                    &Step::SpacedRuns(class) => split_matches(&chars, piece, &mut next, |chars, pos| {
                        chars[pos].is_whitespace().then(|| run_end(chars, pos + 1, class)).flatten().or_else(|| run_end(chars, pos, class))
                    }),
                    Step::TrailingSpace => {
                        let end = piece.end;
                        let start = (piece.start..end).rev().take_while(|&p| chars[p].is_whitespace()).last().unwrap_or(end);
                        next.extend([piece.start..start, start..end].into_iter().filter(|r| !r.is_empty()));
                    }
                    Step::DigitTriples => split_matches(&chars, piece, &mut next, |chars, pos| {
                        (pos + 3 <= chars.len() && chars[pos..pos + 3].iter().all(char::is_ascii_digit)).then_some(pos + 3)
                    }),
                    // These patterns match everywhere: every word is a match.
                    Step::Gpt2 => split_matches(&chars, piece, &mut next, |chars, pos| Some(gpt2_word(chars, pos))),
                    &Step::Llama3 { digits, marks } => {
                        split_matches(&chars, piece, &mut next, |chars, pos| Some(llama3_word(chars, pos, digits, marks)))
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
                if self.spells_bytes() {
                    word.bytes().map(byte_to_char).collect()
                } else {
                    word.replace(' ', "▁")
                }
            })
            .collect()
    }
}

/// A regex split of one piece: `matches_at` says where a match starting
/// at a position ends (leftmost first, as a regex scans), and both the
/// matches and the text between them become pieces. Only this piece is
/// visible to it.
fn split_matches(all: &[char], piece: Range<usize>, out: &mut Vec<Range<usize>>, matches_at: impl Fn(&[char], usize) -> Option<usize>) {
    let chars = &all[..piece.end];
    let (mut gap, mut pos) = (piece.start, piece.start);
    while pos < chars.len() {
        match matches_at(chars, pos) {
            Some(end) if end > pos => {
                out.extend([gap..pos, pos..end].into_iter().filter(|r| !r.is_empty()));
                (gap, pos) = (end, end);
            }
            _ => pos += 1,
        }
    }
    if gap < chars.len() {
        out.push(gap..chars.len());
    }
}

/// The end of a run of `class` at `pos`, when there is one.
fn run_end(chars: &[char], pos: usize, class: fn(char) -> bool) -> Option<usize> {
    let end = pos + chars[pos..].iter().take_while(|&&c| class(c)).count();
    (end > pos).then_some(end)
}

fn is_number(c: char) -> bool {
    Class::of(c).number
}

fn is_letter(c: char) -> bool {
    Class::of(c).letter
}

fn is_punctuation(c: char) -> bool {
    Class::of(c).punctuation
}

fn is_line_break(c: char) -> bool {
    c == '\r' || c == '\n'
}

/// `[\p{P}\$\+<=>\^~\|`]`: punctuation and the ASCII symbols, so all of
/// ASCII's punctuation.
fn is_falcon_punctuation(c: char) -> bool {
    is_punctuation(c) || "$+<=>^~|`".contains(c)
}

/// DeepSeek's CJK ranges: `[\u{4E00}-\u{9FA5}\u{800}-\u{4E00}\u{AC00}-\u{D7FF}]`.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{800}'..='\u{9FA5}' | '\u{AC00}'..='\u{D7FF}')
}

/// DeepSeek LLM's punctuation: `[!-/:-~\u{FF01}-\u{FF0F}\u{FF1A}-\u{FF5E}\u{2018}-\u{201F}\u{3000}-\u{3002}]`
/// (`:-~` holds the ASCII letters too).
fn is_deepseek_punctuation(c: char) -> bool {
    matches!(c, '!'..='/' | ':'..='~' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF5E}' | '\u{2018}'..='\u{201F}' | '\u{3000}'..='\u{3002}')
}

/// DeepSeek LLM's letters: a fixed list of cased letters (Latin, Greek,
/// Cyrillic, Armenian, Georgian, Cherokee…), not CJK, Arabic or Hebrew.
fn is_deepseek_letter(c: char) -> bool {
    let c = c as u32;
    let range = DEEPSEEK_LETTERS.partition_point(|&(_, last)| last < c);
    DEEPSEEK_LETTERS.get(range).is_some_and(|&(first, _)| first <= c)
}

/// The ranges of DeepSeek LLM's letter class, in order (llama.cpp's
/// llama-vocab.cpp, from the code points, not rendered text).
const DEEPSEEK_LETTERS: &[(u32, u32)] = &[
    (0x41, 0x5A), (0x61, 0x7A), (0xB5, 0xB5), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x1BA), (0x1BC, 0x1BF), (0x1C4, 0x293),
    (0x295, 0x2AF), (0x370, 0x373), (0x376, 0x377), (0x37B, 0x37D), (0x37F, 0x37F), (0x386, 0x386), (0x388, 0x38A),
    (0x38C, 0x38C), (0x38E, 0x3A1), (0x3A3, 0x3F5), (0x3F7, 0x481), (0x48A, 0x52F), (0x531, 0x556), (0x10A0, 0x10C5),
    (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1C90, 0x1CBA), (0x1CBD, 0x1CBF), (0x1D00, 0x1D2B), (0x1D6B, 0x1D77),
    (0x1D79, 0x1D9A), (0x1E00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45), (0x1F48, 0x1F4D), (0x1F50, 0x1F57),
    (0x1F59, 0x1F59), (0x1F5B, 0x1F5B), (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC),
    (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3), (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC),
    (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC), (0x2102, 0x2102), (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115),
    (0x2119, 0x211D), (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D), (0x212F, 0x2134),
    (0x2139, 0x2139), (0x213C, 0x213F), (0x2145, 0x2149), (0x214E, 0x214E), (0x2183, 0x2184), (0x2C00, 0x2C7B),
    (0x2C7E, 0x2CE4), (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3), (0xA640, 0xA66D), (0xA680, 0xA69B), (0xA722, 0xA76F),
    (0xA771, 0xA787), (0xA78B, 0xA78E), (0xAB70, 0xABBF), (0xFB00, 0xFB06), (0xFB13, 0xFB17), (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A), (0x10400, 0x1044F), (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2),
    (0x118A0, 0x118DF), (0x1E900, 0x1E943),
];

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
    let line_break = |pos: usize| chars.get(pos).copied().is_some_and(is_line_break);
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
    fn falcon_sets_punctuation_apart_first_and_cuts_digits_in_threes() {
        assert_eq!(words(PreTokenizer::Falcon, "it's"), ["it", "'", "s"]);
        assert_eq!(words(PreTokenizer::Falcon, "a  (b"), ["a", "  ", "(", "b"]);
        assert_eq!(words(PreTokenizer::Falcon, "1314151"), ["131", "415", "1"]);
    }

    #[test]
    fn deepseek_llm_reads_only_its_own_letters_as_letters() {
        assert_eq!(words(PreTokenizer::DeepSeekLlm, "it's 12345"), ["it", "'", "s", " ", "12345"]);
        assert_eq!(words(PreTokenizer::DeepSeekLlm, "a  \n\n  b   "), ["a", "  ", "\n", "\n", " ", " b", "   "]);
        assert_eq!(words(PreTokenizer::DeepSeekLlm, "我想在apple工作1314151天～"), ["我想在", "apple", "工作", "1314151", "天", "～"]);
        assert_eq!(words(PreTokenizer::DeepSeekLlm, "Äpfel Straße"), ["Ä", "pfel", " Stra", "ß", "e"]);
    }

    #[test]
    fn deepseek_coder_reads_unicode_letters_and_leaves_symbols_apart() {
        assert_eq!(words(PreTokenizer::DeepSeekCoder, "Äpfel über"), ["Äpfel", " über"]);
        assert_eq!(words(PreTokenizer::DeepSeekCoder, "foo()+=bar->x"), ["foo", "()", "+=", "bar", "-", ">", "x"]);
        assert_eq!(words(PreTokenizer::DeepSeekCoder, "x123"), ["x", "1", "2", "3"]);
    }

    #[test]
    fn deepseek_letters_are_sorted_for_the_binary_search() {
        assert!(DEEPSEEK_LETTERS.windows(2).all(|w| w[0].1 < w[1].0) && DEEPSEEK_LETTERS.iter().all(|r| r.0 <= r.1));
    }

    #[test]
    fn unknown_pre_tokenizers_are_refused_by_name() {
        assert_eq!(PreTokenizer::from_gguf(Some("tekken")), Err(TokenizerError::UnsupportedPreTokenizer("tekken".into())));
        assert!(PreTokenizer::from_gguf(None).is_err());
    }
}
