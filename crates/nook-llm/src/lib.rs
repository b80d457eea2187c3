//! Nook's language model runtime: a GGUF file loaded on the CPU with candle,
//! its architecture chosen from the file's metadata, its tokenizer and chat
//! template read from the file itself (see `nook-chat`).
//!
//! The decoder ([`decoder`]) is Nook's own: llama, qwen2, qwen3, gemma3 and
//! phi3 blocks computed in llama.cpp's order, on weights multiplied by
//! candle's block kernels and Nook's Q4_1 kernel ([`matrix`]), with a KV cache
//! that can be cut back.

mod activations;
mod attention;
mod choose;
pub mod decoder;
mod generate;
pub mod matrix;
mod ops;
mod outlook;
mod pool;
mod prompt;
pub mod q4_1;
mod k_quants;
mod q8_0;
mod simd;

use std::path::{Path, PathBuf};

use nook_chat::{Tokenizer, TokenizerError, VocabSpec};
use nook_gguf::{Gguf, GgufError, MetadataError};

use decoder::{Architecture, Config, Decoder};

pub use generate::{Finish, Generated, Generation};
pub use outlook::Outlook;
pub use prompt::Prompt;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error(transparent)]
    File(#[from] GgufError),
    #[error("{path}: {reason}")]
    Metadata { path: PathBuf, reason: MetadataError },
    #[error("{path}: its tokenizer cannot be used: {reason}")]
    Tokenizer { path: PathBuf, reason: TokenizerError },
    #[error("{path}: the {architecture} architecture is not supported (Nook runs llama, qwen2, qwen3, gemma3 and phi3 models)")]
    UnsupportedArchitecture { path: PathBuf, architecture: String },
    #[error("{path}: cannot load the weights: {reason}")]
    Weights { path: PathBuf, reason: String },
    #[error("{0}")]
    Template(nook_chat::TemplateError),
    #[error("{0}")]
    Context(nook_chat::ContextError),
    #[error("the model failed while computing: {0}")]
    Compute(String),
    #[error("the prompt has {tokens} tokens but the model reads at most {limit}")]
    TooLong { tokens: usize, limit: usize },
    #[error("{path}: its vocabulary has {tokens} tokens but its token embeddings have {rows} rows, so the file is damaged or was put together wrongly; download it again or choose another model")]
    VocabularyMismatch { path: PathBuf, tokens: usize, rows: u64 },
    #[error("{path} needs about {} of memory but only {} is free; close other programs or choose a smaller model", gb(*.needed), gb(*.available))]
    NotEnoughMemory { path: PathBuf, needed: u64, available: u64 },
}

fn gb(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

/// Positions a loaded model reads at most, unless its file says fewer.
pub const DEFAULT_CONTEXT: usize = 8192;

/// Memory a model takes once loaded: its weights as stored, and a KV cache
/// of `context` positions in f32.
pub fn memory_needed(gguf: &Gguf, context: u64) -> u64 {
    let weights = gguf.file_len.saturating_sub(gguf.data_offset);
    let arch = gguf.architecture().unwrap_or("");
    let key = |name: &str| gguf.metadata.u64(&format!("{arch}.{name}")).ok();
    let heads = key("attention.head_count").unwrap_or(1).max(1);
    let head_dim = key("attention.key_length").unwrap_or(key("embedding_length").unwrap_or(0) / heads);
    let value_dim = key("attention.value_length").unwrap_or(head_dim);
    let kv_heads = key("attention.head_count_kv").unwrap_or(heads);
    let kv_cache = key("block_count").unwrap_or(0) * kv_heads * (head_dim + value_dim) * context * 4;
    weights + kv_cache
}



/// The number of tokens and of embedding rows when they differ, which
/// llama.cpp refuses too: a token past the rows would be read out of
/// bounds. From the header alone.
pub fn vocabulary_mismatch(gguf: &Gguf) -> Option<(usize, u64)> {
    let rows = gguf.tensor("token_embd.weight")?.dims.get(1).copied()?;
    let tokens = gguf.metadata.strings("tokenizer.ggml.tokens").ok()?.len();
    (rows != tokens as u64).then_some((tokens, rows))
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
    /// Positions to read at most; `None` means [`DEFAULT_CONTEXT`] (or the
    /// model's own limit when that is smaller).
    pub context: Option<usize>,
    /// Threads to compute on; `None` means `RAYON_NUM_THREADS`, else one
    /// per core.
    pub threads: Option<usize>,
}

/// Threads a model computes on unless told: `RAYON_NUM_THREADS`, else one
/// per core.
pub fn default_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// A loaded model: weights, tokenizer and the tokens its cache holds.
pub struct Model {
    decoder: Decoder,
    tokenizer: Tokenizer,
    architecture: String,
    /// `tokenizer.chat_template`, when the file has one.
    chat_template: Option<String>,
    /// Positions the model reads at most.
    context: usize,
    /// The threads it computes on (the caller's among them).
    pool: pool::Pool,
    /// The tokens the KV cache holds, in order.
    cached: Vec<u32>,
}

impl Model {
    /// Loads the GGUF file at `path`.
    pub fn load(path: &Path) -> Result<Model, LlmError> {
        Model::load_with(path, LoadOptions::default())
    }

    /// Loads the GGUF file at `path`, refusing before reading any weight a
    /// model that would not fit in free memory.
    pub fn load_with(path: &Path, options: LoadOptions) -> Result<Model, LlmError> {
        Model::load_with_progress(path, options, &mut |_| {})
    }

    /// [`Model::load_with`], telling `on_progress` how far the weights are
    /// read (0 to 1).
    pub fn load_with_progress(path: &Path, options: LoadOptions, on_progress: &mut dyn FnMut(f32)) -> Result<Model, LlmError> {
        let gguf = Gguf::open(path)?;
        let metadata_error = |reason| LlmError::Metadata { path: path.into(), reason };
        let architecture = gguf.architecture().map_err(metadata_error)?.to_string();
        let Some(kind) = Architecture::from_name(&architecture) else {
            return Err(LlmError::UnsupportedArchitecture { path: path.into(), architecture });
        };
        let config = Config::from_metadata(&gguf.metadata, &architecture, kind).map_err(metadata_error)?;
        let context = config.context_length.min(options.context.unwrap_or(DEFAULT_CONTEXT));
        let needed = memory_needed(&gguf, context as u64);
        if let Some(available) = options.memory_available.or_else(memory_available) {
            if needed > available {
                return Err(LlmError::NotEnoughMemory { path: path.into(), needed, available });
            }
        }
        let spec = VocabSpec::from_gguf(&gguf.metadata).map_err(|reason| LlmError::Tokenizer { path: path.into(), reason })?;
        let tokenizer = Tokenizer::new(spec).map_err(|reason| LlmError::Tokenizer { path: path.into(), reason })?;
        if let Some((tokens, rows)) = vocabulary_mismatch(&gguf) {
            return Err(LlmError::VocabularyMismatch { path: path.into(), tokens, rows });
        }
        let chat_template = gguf.metadata.str("tokenizer.chat_template").ok().map(String::from);
        let decoder = Decoder::load(path, &gguf, config, context, on_progress)?;
        let threads = options.threads.unwrap_or_else(default_threads);
        let pool = pool::Pool::new(threads).map_err(|e| LlmError::Compute(format!("cannot start {threads} compute threads: {e}")))?;
        Ok(Model { decoder, tokenizer, architecture, chat_template, context, pool, cached: Vec::new() })
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

    /// Positions the model reads at most (prompt and answer together).
    pub fn context(&self) -> usize {
        self.context
    }

    /// The hyper-parameters read from the file.
    pub fn config(&self) -> &Config {
        &self.decoder.config
    }

    /// [`Model::forward`], showing `trace` each intermediate result (see
    /// [`Decoder::forward_traced`]).
    pub fn forward_traced(&mut self, tokens: &[u32], trace: &mut dyn FnMut(&str, &[f32])) -> Result<Vec<f32>, LlmError> {
        self.check_readable(tokens)?;
        let logits = self.decoder.forward_traced(tokens, &self.pool, trace);
        self.cached.extend_from_slice(tokens);
        Ok(logits)
    }

    /// Reads `tokens` after what the cache holds, in one pass; the logits
    /// after each of them, one row per token.
    pub fn forward_each(&mut self, tokens: &[u32]) -> Result<Vec<Vec<f32>>, LlmError> {
        self.check_readable(tokens)?;
        let logits = self.decoder.forward_each(tokens, &self.pool);
        self.cached.extend_from_slice(tokens);
        Ok(logits.chunks_exact(logits.len() / tokens.len()).map(<[f32]>::to_vec).collect())
    }

    /// Whether `tokens` can be read after the cache: some, all in the
    /// vocabulary, and room for them in the context.
    fn check_readable(&self, tokens: &[u32]) -> Result<(), LlmError> {
        let total = self.position() + tokens.len();
        if total > self.context {
            return Err(LlmError::TooLong { tokens: total, limit: self.context });
        }
        if tokens.is_empty() {
            return Err(LlmError::Compute("nothing to read: no tokens given".into()));
        }
        let vocab = self.decoder.vocab_size();
        if let Some(&bad) = tokens.iter().find(|&&t| t as usize >= vocab) {
            return Err(LlmError::Compute(format!("token {bad} is outside the vocabulary of {vocab}")));
        }
        Ok(())
    }

    /// Forgets everything read so far.
    pub fn reset(&mut self) {
        self.truncate(0);
    }

    /// Tokens in the cache.
    pub fn position(&self) -> usize {
        self.decoder.position()
    }

    /// Forgets every token from position `len` on, keeping those before.
    pub fn truncate(&mut self, len: usize) {
        self.decoder.truncate(len);
        self.cached.truncate(len);
    }

    /// The tokens the cache holds.
    pub fn cached(&self) -> &[u32] {
        &self.cached
    }

    /// Reads `tokens` after what the cache holds; the logits for the next
    /// token, one per vocabulary entry.
    pub fn forward(&mut self, tokens: &[u32]) -> Result<Vec<f32>, LlmError> {
        self.forward_traced(tokens, &mut |_, _| {})
    }
}
