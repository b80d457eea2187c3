//! Text to token ids, the way llama.cpp's `llama_tokenize` does it for the
//! same vocabulary.

use crate::bpe;
use crate::special::{self, Fragment};
use crate::spm::{self, Piece};
use crate::unicode::char_to_byte;
use crate::vocab::{Kind, TokenType, TokenizerError, Vocab, VocabSpec};

#[derive(Debug)]
pub struct Tokenizer {
    vocab: Vocab,
    /// Special tokens in the order they are cut out of text.
    cut_order: Vec<u32>,
}

impl Tokenizer {
    pub fn new(spec: VocabSpec) -> Result<Tokenizer, TokenizerError> {
        let vocab = Vocab::new(spec)?;
        let cut_order = special::cut_order(&vocab);
        Ok(Tokenizer { vocab, cut_order })
    }

    /// The number of tokens in the vocabulary.
    pub fn vocab_size(&self) -> usize {
        self.vocab.tokens.len()
    }

    pub fn bos(&self) -> Option<u32> {
        self.vocab.bos
    }

    pub fn eos(&self) -> Option<u32> {
        self.vocab.eos
    }

    /// Whether `id` ends an answer (EOS, end of turn…).
    pub fn ends_generation(&self, id: u32) -> bool {
        self.vocab.end_of_generation.binary_search(&id).is_ok()
    }

    /// A token's text as the vocabulary spells it.
    pub fn token_text(&self, id: u32) -> Option<&str> {
        self.vocab.tokens.get(id as usize).map(String::as_str)
    }

    /// Token ids for `text`. `add_special`: add BOS/EOS where the vocabulary
    /// asks for them. `parse_special`: turn control-token text such as
    /// `<|im_start|>` into that token; without it, such text is spelled out.
    pub fn encode(&self, text: &str, add_special: bool, parse_special: bool) -> Vec<u32> {
        let mut ids = Vec::with_capacity(text.len() / 3 + 2);
        if add_special && self.vocab.add_bos {
            ids.extend(self.vocab.bos);
        }
        if !text.is_empty() {
            // SentencePiece puts a space before text at the start and after
            // a special token.
            let mut after_special = true;
            for fragment in special::partition(text, &self.cut_order, &self.vocab, parse_special) {
                match fragment {
                    Fragment::Token(id) => ids.push(id),
                    Fragment::Text(text) => self.encode_text(text, after_special, &mut ids),
                }
                after_special = matches!(fragment, Fragment::Token(_));
            }
        }
        if add_special && self.vocab.add_eos {
            ids.extend(self.vocab.eos);
        }
        ids
    }

    /// Token ids for a rendered chat prompt: markup parsed as special
    /// tokens, and a BOS added where the vocabulary wants one unless the
    /// template already wrote it (Gemma's and Llama 3's do).
    pub fn encode_prompt(&self, prompt: &str) -> Vec<u32> {
        let mut ids = self.encode(prompt, false, true);
        if self.vocab.add_bos {
            if let Some(bos) = self.vocab.bos {
                if ids.first() != Some(&bos) {
                    ids.insert(0, bos);
                }
            }
        }
        if self.vocab.add_eos {
            ids.extend(self.vocab.eos);
        }
        ids
    }

    fn encode_text(&self, text: &str, after_special: bool, ids: &mut Vec<u32>) {
        match &self.vocab.kind {
            Kind::Bpe { pre, ranks } => {
                for word in pre.split(text) {
                    if pre.takes_whole(&word) {
                        if let Some(id) = self.vocab.id(&word) {
                            ids.push(id);
                            continue;
                        }
                    }
                    for piece in bpe::merge(&word, ranks) {
                        let piece = &word[piece];
                        match self.vocab.id(piece) {
                            Some(id) => ids.push(id),
                            // As llama.cpp: a piece the vocabulary lacks is
                            // looked up byte by byte (as `<0xXX>` where words
                            // are text), and bytes it lacks too are dropped.
                            None if pre.spells_bytes() => ids.extend(piece.bytes().filter_map(|b| {
                                std::str::from_utf8(&[b]).ok().and_then(|s| self.vocab.id(s))
                            })),
                            None => ids.extend(piece.bytes().filter_map(|b| self.vocab.id(&byte_text(b)))),
                        }
                    }
                }
            }
            Kind::Spm { scores, add_space_prefix } => {
                let mut escaped = String::with_capacity(text.len() + 3);
                if *add_space_prefix && after_special {
                    escaped.push('▁');
                }
                escaped.extend(text.chars().map(|c| if c == ' ' { '▁' } else { c }));
                for piece in spm::merge(&escaped, |t| self.vocab.id(t), |id| scores[id as usize]) {
                    match piece {
                        Piece::Token(id) => ids.push(id),
                        Piece::Bytes(bytes) => ids.extend(bytes.iter().filter_map(|&b| self.byte_token(b))),
                    }
                }
            }
        }
    }

    /// The bytes a token stands for, as llama.cpp's `token_to_piece`.
    /// Control and unknown tokens give their text only with `special`.
    pub fn piece(&self, id: u32, special: bool) -> Vec<u8> {
        let (Some(text), Some(kind)) = (self.vocab.tokens.get(id as usize), self.vocab.types.get(id as usize)) else {
            return Vec::new();
        };
        match kind {
            TokenType::Control | TokenType::Unknown if !special => Vec::new(),
            TokenType::Control | TokenType::Unknown | TokenType::UserDefined => text.as_bytes().to_vec(),
            TokenType::Normal => match &self.vocab.kind {
                Kind::Bpe { pre, .. } if pre.spells_bytes() => text.chars().filter_map(char_to_byte).collect(),
                Kind::Bpe { .. } | Kind::Spm { .. } => text.replace('▁', " ").into_bytes(),
            },
            TokenType::Byte => byte_of(text).map(|b| vec![b]).unwrap_or_default(),
            TokenType::Unused => Vec::new(),
        }
    }

    /// SentencePiece's byte fallback: the token `<0xE2>`, else the byte
    /// itself as a token. (llama.cpp aborts when neither exists; Nook drops
    /// the byte.)
    fn byte_token(&self, byte: u8) -> Option<u32> {
        self.vocab.id(&byte_text(byte)).or_else(|| std::str::from_utf8(&[byte]).ok().and_then(|s| self.vocab.id(s)))
    }
}

/// The text of the token that stands for a byte: `<0xE2>`.
fn byte_text(byte: u8) -> String {
    format!("<0x{byte:02X}>")
}

/// The byte a `<0xE2>` token stands for.
fn byte_of(text: &str) -> Option<u8> {
    let hex = text.strip_prefix("<0x")?.strip_suffix('>')?;
    u8::from_str_radix(hex, 16).ok()
}

/// Turns a stream of tokens into text as it comes: bytes that do not yet
/// make a whole UTF-8 character wait for the next token.
#[derive(Debug, Default)]
pub struct TextStream {
    pending: Vec<u8>,
}

impl TextStream {
    /// The text `id` completes, if any.
    pub fn push(&mut self, tokenizer: &Tokenizer, id: u32, special: bool) -> String {
        self.pending.extend(tokenizer.piece(id, special));
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An invalid sequence (not merely an unfinished one) will never
            // complete: let it through as U+FFFD.
            Err(err) if err.error_len().is_some() => self.pending.len(),
            Err(err) => err.valid_up_to(),
        };
        let done: Vec<u8> = self.pending.drain(..valid).collect();
        String::from_utf8_lossy(&done).into_owned()
    }

    /// Whatever is left at the end of the stream.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        String::from_utf8_lossy(&rest).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny GPT-2 style vocabulary: "Ġ" is a space, "Ċ" a newline.
    fn smollm_like() -> Tokenizer {
        let tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "H", "i", "Hi", "Ġ", "t", "h", "e", "r", "Ġt", "Ġth", "Ġthe", "Ġthere", "Ċ", "1", "2", "!"];
        let merges = ["H i", "Ġ t", "Ġt h", "Ġth e", "r e", "Ġthe re"];
        Tokenizer::new(VocabSpec {
            model: "gpt2".into(),
            pre: Some("smollm".into()),
            tokens: tokens.map(String::from).to_vec(),
            token_types: tokens.iter().enumerate().map(|(id, _)| if id < 3 { 3 } else { 1 }).collect(),
            merges: merges.map(String::from).to_vec(),
            bos: Some(1),
            eos: Some(2),
            add_bos: Some(false),
            ..VocabSpec::default()
        })
        .unwrap()
    }

    fn texts(t: &Tokenizer, ids: &[u32]) -> Vec<String> {
        ids.iter().map(|&id| t.token_text(id).unwrap().to_string()).collect()
    }

    #[test]
    fn words_merge_into_the_longest_tokens_the_ranks_allow() {
        let t = smollm_like();
        assert_eq!(texts(&t, &t.encode("Hi there!", false, false)), ["Hi", "Ġthere", "!"]);
    }

    #[test]
    fn control_tokens_in_text_are_tokens_only_with_parse_special() {
        let t = smollm_like();
        assert_eq!(t.encode("<|im_start|>Hi<|im_end|>", false, true), [1, 5, 2]);
        let spelled = t.encode("<|im_start|>", false, false);
        assert!(!spelled.contains(&1), "typed markup stays text: {spelled:?}");
    }

    #[test]
    fn digits_are_tokens_of_their_own() {
        let t = smollm_like();
        assert_eq!(texts(&t, &t.encode("12", false, false)), ["1", "2"]);
    }

    #[test]
    fn bytes_the_vocabulary_lacks_are_dropped_as_llama_cpp_does() {
        let t = smollm_like();
        assert_eq!(texts(&t, &t.encode("Hé", false, false)), ["H"]);
    }

    /// A tiny SentencePiece vocabulary in gemma's manner: no space prefix.
    fn gemma_like(add_space_prefix: bool) -> Tokenizer {
        let mut tokens: Vec<(String, f32, i32)> = ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>"]
            .iter()
            .map(|t| (t.to_string(), -1000.0, 3))
            .collect();
        tokens.push(("\n\n".into(), -1000.0, 4));
        for (text, score) in [("▁", -1.0), ("H", -2.0), ("i", -2.0), ("Hi", -3.0), ("▁Hi", -4.0), ("\n", -2.0)] {
            tokens.push((text.into(), score, 1));
        }
        for byte in 0..=255u8 {
            tokens.push((format!("<0x{byte:02X}>"), 0.0, 6));
        }
        Tokenizer::new(VocabSpec {
            model: "llama".into(),
            pre: Some("default".into()),
            tokens: tokens.iter().map(|t| t.0.clone()).collect(),
            scores: tokens.iter().map(|t| t.1).collect(),
            token_types: tokens.iter().map(|t| t.2).collect(),
            bos: Some(2),
            eos: Some(1),
            unknown: Some(3),
            add_space_prefix: Some(add_space_prefix),
            ..VocabSpec::default()
        })
        .unwrap()
    }

    #[test]
    fn sentencepiece_spells_spaces_as_a_marker_and_adds_bos() {
        let t = gemma_like(false);
        assert_eq!(texts(&t, &t.encode("Hi Hi", true, false)), ["<bos>", "Hi", "▁Hi"]);
        let t = gemma_like(true);
        assert_eq!(texts(&t, &t.encode("Hi", false, false)), ["▁Hi"], "a space prefix at the start");
        assert_eq!(texts(&t, &t.encode("<start_of_turn>Hi", false, true)), ["<start_of_turn>", "▁Hi"], "and after a special token");
    }

    #[test]
    fn sentencepiece_falls_back_to_byte_tokens() {
        let t = gemma_like(false);
        assert_eq!(texts(&t, &t.encode("Hé", false, false)), ["H", "<0xC3>", "<0xA9>"]);
    }

    #[test]
    fn user_defined_pieces_are_cut_out_even_without_parse_special() {
        let t = gemma_like(false);
        assert_eq!(texts(&t, &t.encode("Hi\n\nHi", false, false)), ["Hi", "\n\n", "Hi"]);
    }

    #[test]
    fn pieces_turn_back_into_the_text_they_came_from() {
        let t = smollm_like();
        let ids = t.encode("Hi there!", false, false);
        let text: Vec<u8> = ids.iter().flat_map(|&id| t.piece(id, false)).collect();
        assert_eq!(String::from_utf8(text).unwrap(), "Hi there!");
        assert!(t.piece(2, false).is_empty(), "control tokens are silent unless asked");
        assert_eq!(t.piece(2, true), b"<|im_end|>");

        let t = gemma_like(false);
        let ids = t.encode("Hi Hé", false, false);
        let text: Vec<u8> = ids.iter().flat_map(|&id| t.piece(id, false)).collect();
        assert_eq!(String::from_utf8(text).unwrap(), "Hi Hé");
    }

    #[test]
    fn a_stream_holds_back_half_a_character() {
        let t = gemma_like(false);
        let ids = t.encode("Hé", false, false);
        let mut stream = TextStream::default();
        let out: Vec<String> = ids.iter().map(|&id| stream.push(&t, id, false)).collect();
        assert_eq!(out, ["H", "", "é"]);
        assert_eq!(stream.finish(), "");
    }

    #[test]
    fn a_prompt_gets_one_bos_whether_or_not_the_template_wrote_it() {
        let t = gemma_like(false);
        assert_eq!(texts(&t, &t.encode_prompt("<bos><start_of_turn>Hi")), ["<bos>", "<start_of_turn>", "Hi"]);
        assert_eq!(texts(&t, &t.encode_prompt("<start_of_turn>Hi")), ["<bos>", "<start_of_turn>", "Hi"]);
        let s = smollm_like();
        assert_eq!(texts(&s, &s.encode_prompt("<|im_start|>Hi")), ["<|im_start|>", "Hi"], "no BOS where none is wanted");
    }

    #[test]
    fn end_of_turn_and_end_of_text_end_generation() {
        let t = smollm_like();
        assert!(t.ends_generation(2) && t.ends_generation(0));
        assert!(!t.ends_generation(1) && !t.ends_generation(5));
        let g = gemma_like(false);
        assert!(g.ends_generation(1), "<eos>");
        assert!(!g.ends_generation(4), "<start_of_turn> starts a turn");
    }

    #[test]
    fn special_tokens_are_added_only_where_the_vocabulary_asks() {
        let t = smollm_like();
        assert_eq!(t.encode("Hi", true, false), [5], "add_bos is false");
        assert!(t.encode("", true, true).is_empty());
    }
}
