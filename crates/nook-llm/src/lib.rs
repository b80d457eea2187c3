//! Nook's language model runtime: a GGUF file loaded on the CPU with candle,
//! its architecture chosen from the file's metadata, its tokenizer and chat
//! template read from the file itself (see `nook-chat`).
//!
//! Work in progress (issue 4): the llama family runs through
//! candle-transformers' quantized llama; the other families and Nook's own
//! decoder (with a KV cache that can be cut back) come next.

mod generate;
pub mod q4_1;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor};
use candle_transformers::models::quantized_llama;
use nook_chat::{Tokenizer, TokenizerError, VocabSpec};
use nook_gguf::{Gguf, GgufError, MetadataError};

pub use generate::{Finish, Generated, Generation};

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
    #[error("{path} needs about {} of memory but only {} is free; close other programs or choose a smaller model", gb(*.needed), gb(*.available))]
    NotEnoughMemory { path: PathBuf, needed: u64, available: u64 },
}

fn gb(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

/// Memory a model takes once loaded: its weights as stored, the token
/// embeddings widened to f32 (the runtime keeps them so), and a KV cache of
/// `context` positions in f32.
pub fn memory_needed(gguf: &Gguf, context: u64) -> u64 {
    let weights = gguf.file_len.saturating_sub(gguf.data_offset);
    let embeddings = gguf.tensor("token_embd.weight").map_or(0, |t| t.dims.iter().product::<u64>() * 4);
    let arch = gguf.architecture().unwrap_or("");
    let key = |name: &str| gguf.metadata.u64(&format!("{arch}.{name}")).unwrap_or(0);
    let heads = key("attention.head_count").max(1);
    let head_dim = key("embedding_length") / heads;
    let kv_heads = gguf.metadata.u64(&format!("{arch}.attention.head_count_kv")).unwrap_or(heads);
    let kv_cache = key("block_count") * 2 * kv_heads * head_dim * context * 4;
    weights + embeddings + kv_cache
}

/// Free memory now (`MemAvailable`), if the system says.
pub fn memory_available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// How to load a model.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Free memory to check against; `None` reads it from the system.
    pub memory_available: Option<u64>,
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
        Model::load_with(path, LoadOptions::default())
    }

    /// Loads the GGUF file at `path`, refusing before reading any weight a
    /// model that would not fit in free memory.
    pub fn load_with(path: &Path, options: LoadOptions) -> Result<Model, LlmError> {
        let gguf = Gguf::open(path)?;
        let needed = memory_needed(&gguf, quantized_llama::MAX_SEQ_LEN as u64);
        if let Some(available) = options.memory_available.or_else(memory_available) {
            if needed > available {
                return Err(LlmError::NotEnoughMemory { path: path.into(), needed, available });
            }
        }
        let architecture = gguf.architecture().map_err(|reason| LlmError::Metadata { path: path.into(), reason })?.to_string();
        let spec = VocabSpec::from_gguf(&gguf.metadata).map_err(|reason| LlmError::Tokenizer { path: path.into(), reason })?;
        let tokenizer = Tokenizer::new(spec).map_err(|reason| LlmError::Tokenizer { path: path.into(), reason })?;
        let chat_template = gguf.metadata.str("tokenizer.chat_template").ok().map(String::from);
        if architecture != "llama" {
            return Err(LlmError::UnsupportedArchitecture { path: path.into(), architecture });
        }
        // candle reads the header again for its own model type (tens of
        // milliseconds); Nook's own decoder will take the tensor table above.
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
