//! What a GGUF file says about its vocabulary (`tokenizer.ggml.*`), and the
//! defaults llama.cpp applies where it says nothing.

use std::collections::{HashMap, HashSet};

use nook_gguf::{Metadata, MetadataError};

use crate::pretokenize::PreTokenizer;

/// A vocabulary as read from a GGUF file's metadata, before checking.
#[derive(Debug, Clone, Default)]
pub struct VocabSpec {
    /// `tokenizer.ggml.model`: `"gpt2"` (byte-level BPE) or `"llama"`
    /// (SentencePiece).
    pub model: String,
    /// `tokenizer.ggml.pre`: which pre-tokenizer a BPE vocabulary uses.
    pub pre: Option<String>,
    /// `tokenizer.ggml.tokens`, by id.
    pub tokens: Vec<String>,
    /// `tokenizer.ggml.token_type`, by id (1 normal … 6 byte); empty means
    /// all normal.
    pub token_types: Vec<i32>,
    /// `tokenizer.ggml.scores`, by id (SentencePiece merge priorities).
    pub scores: Vec<f32>,
    /// `tokenizer.ggml.merges`: `"left right"`, by rank.
    pub merges: Vec<String>,
    pub bos: Option<u32>,
    pub eos: Option<u32>,
    pub unknown: Option<u32>,
    pub add_bos: Option<bool>,
    pub add_eos: Option<bool>,
    pub add_space_prefix: Option<bool>,
    /// `general.name`: llama.cpp sets some token rules by the model's name.
    pub name: Option<String>,
}

impl VocabSpec {
    /// The vocabulary a GGUF file's metadata describes.
    pub fn from_gguf(meta: &Metadata) -> Result<VocabSpec, TokenizerError> {
        Ok(VocabSpec {
            model: meta.str("tokenizer.ggml.model")?.to_string(),
            pre: meta.optional("tokenizer.ggml.pre", |m, k| m.str(k).map(String::from))?,
            tokens: meta.strings("tokenizer.ggml.tokens")?,
            token_types: meta.optional("tokenizer.ggml.token_type", Metadata::i32s)?.unwrap_or_default(),
            scores: meta.optional("tokenizer.ggml.scores", Metadata::f32s)?.unwrap_or_default(),
            merges: meta.optional("tokenizer.ggml.merges", Metadata::strings)?.unwrap_or_default(),
            bos: meta.optional("tokenizer.ggml.bos_token_id", Metadata::u32)?,
            eos: meta.optional("tokenizer.ggml.eos_token_id", Metadata::u32)?,
            unknown: meta.optional("tokenizer.ggml.unknown_token_id", Metadata::u32)?,
            add_bos: meta.optional("tokenizer.ggml.add_bos_token", Metadata::bool)?,
            add_eos: meta.optional("tokenizer.ggml.add_eos_token", Metadata::bool)?,
            add_space_prefix: meta.optional("tokenizer.ggml.add_space_prefix", Metadata::bool)?,
            name: meta.optional("general.name", |m, k| m.str(k).map(String::from))?,
        })
    }
}

/// A token's kind (`tokenizer.ggml.token_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    Normal,
    Unknown,
    /// Markup the model was trained with (`<|im_start|>`, `<eos>`): parsed
    /// from text only when asked to.
    Control,
    /// Added pieces (`<b>`, runs of spaces): always cut out of text.
    UserDefined,
    Unused,
    /// `<0x41>`: one raw byte, for SentencePiece's byte fallback.
    Byte,
}

impl TokenType {
    pub fn from_gguf(value: i32) -> TokenType {
        match value {
            2 => TokenType::Unknown,
            3 => TokenType::Control,
            4 => TokenType::UserDefined,
            5 => TokenType::Unused,
            6 => TokenType::Byte,
            _ => TokenType::Normal,
        }
    }
}

/// Merge ranks from `tokenizer.ggml.merges` ("left right", by rank; the
/// first rank of a pair listed twice).
fn merge_ranks(merges: &[String]) -> HashMap<(String, String), u32> {
    let mut ranks = HashMap::with_capacity(merges.len());
    for (rank, merge) in merges.iter().enumerate() {
        // Split at the first space after the first byte: a merge's left
        // side may itself be a space.
        let space = merge.bytes().skip(1).position(|b| b == b' ').map(|at| at + 1);
        let (left, right) = match space {
            Some(at) => (&merge[..at], &merge[at + 1..]),
            None => ("", ""),
        };
        ranks.entry((left.to_string(), right.to_string())).or_insert(rank as u32);
    }
    ranks
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TokenizerError {
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    #[error("the vocabulary type {0:?} is not supported (Nook reads \"gpt2\", \"gemma4\" and \"llama\" vocabularies)")]
    UnsupportedModel(String),
    #[error("the pre-tokenizer {0:?} is not supported yet")]
    UnsupportedPreTokenizer(String),
    #[error("the vocabulary has no tokens")]
    Empty,
    #[error("the vocabulary lists {tokens} tokens but {other} {what}")]
    LengthMismatch { tokens: usize, other: usize, what: &'static str },
    #[error("the {what} token id {id} is outside the vocabulary of {tokens} tokens")]
    IdOutOfRange { what: &'static str, id: u32, tokens: usize },
    #[error("the vocabulary asks for a {what} token but names none")]
    MissingSpecial { what: &'static str },
}

/// Texts llama.cpp makes control tokens whatever type the file gives them:
/// ends of turns and of text, and fill-in-the-middle markers, which it finds
/// by their text (llama-vocab.cpp, `load`). A user-defined `</s>` in a
/// Gemma vocabulary, for one, is then no longer cut out of plain text.
const CONTROL_BY_TEXT: &[&str] = &[
    "</s>", "<EOT>", "<MID>", "<PAD>", "<PRE>", "<REPO>", "<SUF>", "<end_of_turn>", "<end_of_utterance>", "<eos>",
    "<fim-middle>", "<fim-pad>", "<fim-prefix>", "<fim-repo>", "<fim-suffix>", "<fim_middle>", "<fim_pad>",
    "<fim_prefix>", "<fim_suffix>", "<reponame>", "<turn|>", "<|calls|>", "<|call|>", "<|code_middle|>",
    "<|code_prefix|>", "<|code_suffix|>", "<|end_of_text|>", "<|endoftext|>", "<|end|>", "<|eom_id|>", "<|eot_id|>",
    "<|file_sep|>", "<|fim_middle|>", "<|fim_pad|>", "<|fim_prefix|>", "<|fim_repo|>", "<|fim_suffix|>",
    "<|flush|>", "<|im_end|>", "<|middle|>", "<|prefix|>", "<|repo_name|>", "<|return|>", "<|suffix|>",
    "<|tool_response>", "<｜end▁of▁sentence｜>", "<｜fim▁begin｜>", "<｜fim▁end｜>", "<｜fim▁hole｜>", "[EOS]", "[EOT]",
    "[PAD]", "[e~[", "_<EOT>", "▁<MID>", "▁<PRE>", "▁<SUF>",
];

/// Texts that end generation wherever they are in a vocabulary (llama.cpp's
/// end-of-generation list), besides the EOS token.
const END_OF_GENERATION: &[&str] = &[
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
    "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
    "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
];

/// A checked vocabulary with llama.cpp's defaults filled in.
#[derive(Debug)]
pub(crate) struct Vocab {
    pub kind: Kind,
    pub tokens: Vec<String>,
    pub types: Vec<TokenType>,
    pub by_text: HashMap<String, u32>,
    pub bos: Option<u32>,
    pub eos: Option<u32>,
    pub add_bos: bool,
    pub add_eos: bool,
    /// Tokens that end generation.
    pub end_of_generation: Vec<u32>,
    /// Special tokens that swallow the white space after them when cut out
    /// of text (llama.cpp's RSTRIP).
    pub strips_right: HashSet<u32>,
}

#[derive(Debug)]
pub(crate) enum Kind {
    /// Byte-level BPE (`gpt2`): merges by rank over GPT-2 byte stand-ins.
    Bpe { pre: PreTokenizer, ranks: HashMap<(String, String), u32> },
    /// SentencePiece (`llama`): merges by token score, spaces as `▁`,
    /// unknown bytes as `<0xXX>` tokens.
    Spm { scores: Vec<f32>, add_space_prefix: bool },
}

impl Vocab {
    pub fn new(spec: VocabSpec) -> Result<Vocab, TokenizerError> {
        let n = spec.tokens.len();
        if n == 0 {
            return Err(TokenizerError::Empty);
        }
        if !spec.token_types.is_empty() && spec.token_types.len() != n {
            return Err(TokenizerError::LengthMismatch { tokens: n, other: spec.token_types.len(), what: "token types" });
        }
        let mut types = if spec.token_types.is_empty() {
            vec![TokenType::Normal; n]
        } else {
            spec.token_types.iter().map(|&t| TokenType::from_gguf(t)).collect()
        };
        // As llama.cpp: an empty text gets a placeholder, and when two ids
        // share a text the later one is found by it.
        let tokens: Vec<String> = spec
            .tokens
            .into_iter()
            .enumerate()
            .map(|(id, text)| if text.is_empty() { format!("[EMPTY_{id}]") } else { text })
            .collect();
        let by_text: HashMap<String, u32> = tokens.iter().enumerate().map(|(id, text)| (text.clone(), id as u32)).collect();
        for text in CONTROL_BY_TEXT {
            if let Some(&id) = by_text.get(*text) {
                types[id as usize] = TokenType::Control;
            }
        }
        // Where turns end with these, "</s>" is plain text again.
        if ["<|tool_response>", "<|plamo:eos|>"].iter().any(|t| by_text.contains_key(*t)) {
            if let Some(&id) = by_text.get("</s>") {
                types[id as usize] = TokenType::Normal;
            }
        }

        // Gemma 4 adds a BOS token whatever its file says.
        let forced_bos = spec.model == "gemma4";
        let (kind, default_bos, default_eos, mut add_bos) = match spec.model.as_str() {
            "gpt2" => {
                let pre = PreTokenizer::from_gguf(spec.pre.as_deref())?;
                (Kind::Bpe { pre, ranks: merge_ranks(&spec.merges) }, Some(11), Some(11), pre.adds_bos())
            }
            // A BPE vocabulary spelled as SentencePiece's; its file names no
            // pre-tokenizer and no default ids.
            "gemma4" => (Kind::Bpe { pre: PreTokenizer::Gemma4, ranks: merge_ranks(&spec.merges) }, None, None, true),
            "llama" => {
                let scores = if spec.scores.is_empty() { vec![0.0; n] } else { spec.scores };
                if scores.len() != n {
                    return Err(TokenizerError::LengthMismatch { tokens: n, other: scores.len(), what: "scores" });
                }
                let add_space_prefix = spec.add_space_prefix.unwrap_or(true);
                (Kind::Spm { scores, add_space_prefix }, Some(1), Some(2), true)
            }
            other => return Err(TokenizerError::UnsupportedModel(other.to_string())),
        };
        if let Some(add) = spec.add_bos.filter(|_| !forced_bos) {
            add_bos = add;
        }
        let add_eos = spec.add_eos.unwrap_or(false);
        for (what, id) in [("BOS", spec.bos), ("EOS", spec.eos), ("unknown", spec.unknown)] {
            if let Some(id) = id {
                if id as usize >= n {
                    return Err(TokenizerError::IdOutOfRange { what, id, tokens: n });
                }
            }
        }
        // A default that the vocabulary is too small for means none.
        let within = |id: Option<u32>| id.filter(|&id| (id as usize) < n);
        let bos = spec.bos.or(within(default_bos));
        let eos = spec.eos.or(within(default_eos));
        if add_bos && bos.is_none() {
            return Err(TokenizerError::MissingSpecial { what: "BOS" });
        }
        if add_eos && eos.is_none() {
            return Err(TokenizerError::MissingSpecial { what: "EOS" });
        }
        let mut end_of_generation: Vec<u32> = END_OF_GENERATION
            .iter()
            .filter_map(|text| by_text.get(*text).copied())
            .filter(|&id| types[id as usize] == TokenType::Control)
            .chain(eos)
            .collect();
        end_of_generation.sort_unstable();
        end_of_generation.dedup();
        let strips_right = strips_right(spec.name.as_deref(), &tokens, &types, &by_text);
        Ok(Vocab { kind, tokens, types, by_text, bos, eos, add_bos, add_eos, end_of_generation, strips_right })
    }

    pub fn id(&self, text: &str) -> Option<u32> {
        self.by_text.get(text).copied()
    }
}

/// The tokens that strip the white space to their right, as llama.cpp sets
/// them by model name: for Phi-3 models (`general.name` holding "phi-3" or
/// "phi3"), every special token and `</s>`, but not `<unk>`, `<s>` and
/// `<|endoftext|>`; for others, none.
fn strips_right(name: Option<&str>, tokens: &[String], types: &[TokenType], by_text: &HashMap<String, u32>) -> HashSet<u32> {
    let name = name.unwrap_or("").to_lowercase();
    if !(name.contains("phi-3") || name.contains("phi3")) {
        return HashSet::new();
    }
    let special = |id: &usize| matches!(types[*id], TokenType::Control | TokenType::UserDefined | TokenType::Unknown);
    let mut ids: HashSet<u32> = (0..tokens.len()).filter(special).map(|id| id as u32).collect();
    ids.extend(by_text.get("</s>"));
    for text in ["<unk>", "<s>", "<|endoftext|>"] {
        if let Some(id) = by_text.get(text) {
            ids.remove(id);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(merges: &[&str]) -> VocabSpec {
        VocabSpec {
            model: "gpt2".into(),
            pre: Some("smollm".into()),
            tokens: ["<|endoftext|>", "a", "b", "ab", "Ġ", "Ġa"].map(String::from).to_vec(),
            token_types: vec![3, 1, 1, 1, 1, 1],
            merges: merges.iter().map(|m| m.to_string()).collect(),
            bos: Some(0),
            eos: Some(0),
            ..VocabSpec::default()
        }
    }

    #[test]
    fn merges_split_at_the_first_space_after_the_first_byte() {
        let vocab = Vocab::new(spec(&["a b", "Ġ a", "  x", "a b", "ĠĠ Ġ"])).unwrap();
        let Kind::Bpe { ranks, .. } = &vocab.kind else { panic!("a gpt2 vocabulary is BPE") };
        assert_eq!(ranks[&("a".to_string(), "b".to_string())], 0, "the first of two equal merges keeps its rank");
        assert_eq!(ranks[&("Ġ".to_string(), "a".to_string())], 1);
        assert_eq!(ranks[&(" ".to_string(), "x".to_string())], 2);
        assert_eq!(ranks[&("ĠĠ".to_string(), "Ġ".to_string())], 4);
    }

    #[test]
    fn a_bad_vocabulary_is_refused_with_the_reason() {
        let mut bad = spec(&[]);
        bad.bos = Some(99);
        assert_eq!(Vocab::new(bad).unwrap_err(), TokenizerError::IdOutOfRange { what: "BOS", id: 99, tokens: 6 });
        let mut bad = spec(&[]);
        bad.token_types.pop();
        assert!(matches!(Vocab::new(bad), Err(TokenizerError::LengthMismatch { .. })));
        let mut bad = spec(&[]);
        bad.model = "rwkv".into();
        assert_eq!(Vocab::new(bad).unwrap_err().to_string(), "the vocabulary type \"rwkv\" is not supported (Nook reads \"gpt2\", \"gemma4\" and \"llama\" vocabularies)");
        let mut bad = spec(&[]);
        bad.pre = Some("made-up".into());
        assert_eq!(Vocab::new(bad).unwrap_err(), TokenizerError::UnsupportedPreTokenizer("made-up".into()));
    }

    #[test]
    fn gguf_keys_override_the_defaults() {
        let mut s = spec(&[]);
        s.add_bos = Some(true);
        let vocab = Vocab::new(s).unwrap();
        assert!(vocab.add_bos);
        assert_eq!(vocab.bos, Some(0));
        assert!(!Vocab::new(spec(&[])).unwrap().add_bos, "gpt2 vocabularies add no BOS unless told");
    }

    #[test]
    fn end_of_turn_texts_are_control_tokens_whatever_the_file_says() {
        let mut s = spec(&[]);
        s.tokens.push("</s>".into());
        s.token_types.push(4);
        let vocab = Vocab::new(s.clone()).unwrap();
        assert_eq!(vocab.types[6], TokenType::Control);
        s.tokens.push("<|tool_response>".into());
        s.token_types.push(4);
        let vocab = Vocab::new(s).unwrap();
        assert_eq!(vocab.types[6], TokenType::Normal, "plain text where turns end otherwise");
    }

    #[test]
    fn sentencepiece_defaults_are_llama_cpp_s() {
        let mut s = spec(&[]);
        s.model = "llama".into();
        s.pre = None;
        s.bos = None;
        s.eos = None;
        let vocab = Vocab::new(s).unwrap();
        assert!(vocab.add_bos && !vocab.add_eos);
        assert_eq!((vocab.bos, vocab.eos), (Some(1), Some(2)));
        assert!(matches!(vocab.kind, Kind::Spm { add_space_prefix: true, .. }));
    }
}
