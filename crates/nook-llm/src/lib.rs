//! Nook's language model runtime: a GGUF file loaded on the CPU with candle,
//! its architecture chosen from the file's metadata, its tokenizer and chat
//! template read from the file itself (see `nook-chat`).
//!
//! Work in progress (issue 4): the llama family runs through
//! candle-transformers' quantized llama; the other families and Nook's own
//! decoder (with a KV cache that can be cut back) come next.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor};
use candle_transformers::models::quantized_llama;
use nook_chat::{Tokenizer, TokenizerError, VocabSpec};
use nook_gguf::{Gguf, GgufError, MetadataError};

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("{0}")]
    File(#[from] GgufError),
    #[error("{path}: {reason}")]
    Metadata { path: PathBuf, reason: MetadataError },
    #[error("{path}: its tokenizer cannot be used: {reason}")]
    Tokenizer { path: PathBuf, reason: TokenizerError },
    #[error("{path}: the {architecture} architecture is not supported yet (Nook runs llama-family models: SmolLM2, Llama 3, Mistral)")]
    UnsupportedArchitecture { path: PathBuf, architecture: String },
    #[error("{path}: cannot load the weights: {reason}")]
    Weights { path: PathBuf, reason: String },
    #[error("the model failed while computing: {0}")]
    Compute(String),
    #[error("the prompt has {tokens} tokens but the model reads at most {limit}")]
    TooLong { tokens: usize, limit: usize },
}

impl From<candle_core::Error> for LlmError {
    fn from(err: candle_core::Error) -> Self {
        LlmError::Compute(err.to_string())
    }
}

/// A loaded model: weights, tokenizer and the position its cache is at.
pub struct Model {
    weights: quantized_llama::ModelWeights,
    tokenizer: Tokenizer,
    architecture: String,
    /// `tokenizer.chat_template`, when the file has one.
    chat_template: Option<String>,
    /// Tokens already in the KV cache.
    position: usize,
    device: Device,
}

impl Model {
    /// Loads the GGUF file at `path`.
    pub fn load(path: &Path) -> Result<Model, LlmError> {
        let gguf = Gguf::open(path)?;
        let architecture = gguf.architecture().map_err(|reason| LlmError::Metadata { path: path.into(), reason })?.to_string();
        let spec = VocabSpec::from_gguf(&gguf.metadata).map_err(|reason| LlmError::Tokenizer { path: path.into(), reason })?;
        let tokenizer = Tokenizer::new(spec).map_err(|reason| LlmError::Tokenizer { path: path.into(), reason })?;
        let chat_template = gguf.metadata.str("tokenizer.chat_template").ok().map(String::from);
        if architecture != "llama" {
            return Err(LlmError::UnsupportedArchitecture { path: path.into(), architecture });
        }
        let weights_error = |reason: String| LlmError::Weights { path: path.into(), reason };
        let mut reader = BufReader::new(File::open(path).map_err(|e| weights_error(e.to_string()))?);
        let content = gguf_file::Content::read(&mut reader).map_err(|e| weights_error(e.to_string()))?;
        let device = Device::Cpu;
        let weights = quantized_llama::ModelWeights::from_gguf(content, &mut reader, &device).map_err(|e| weights_error(e.to_string()))?;
        Ok(Model { weights, tokenizer, architecture, chat_template, position: 0, device })
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    pub fn architecture(&self) -> &str {
        &self.architecture
    }

    /// The chat template the file carries, if any.
    pub fn chat_template(&self) -> Option<&str> {
        self.chat_template.as_deref()
    }

    /// Forgets everything read so far.
    pub fn reset(&mut self) {
        self.weights.clear_kv_cache();
        self.position = 0;
    }

    /// Reads `tokens` after what the cache holds; the logits for the next
    /// token, one per vocabulary entry.
    pub fn forward(&mut self, tokens: &[u32]) -> Result<Vec<f32>, LlmError> {
        let limit = quantized_llama::MAX_SEQ_LEN;
        if self.position + tokens.len() > limit {
            return Err(LlmError::TooLong { tokens: self.position + tokens.len(), limit });
        }
        let input = Tensor::new(tokens, &self.device)?.unsqueeze(0)?;
        let logits = self.weights.forward(&input, self.position)?;
        self.position += tokens.len();
        Ok(logits.squeeze(0)?.to_vec1::<f32>()?)
    }
}
