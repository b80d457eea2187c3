//! Sentence embeddings on the CPU with candle: a BERT-family encoder
//! (all-MiniLM-L6-v2 by default) with mean pooling and L2 normalisation, the
//! recipe sentence-transformers uses for that model.
//!
//! This crate is the only one that links candle and tokenizers. It reads a
//! model folder with `config.json`, `tokenizer.json` and `model.safetensors`
//! and nothing else: no hub, no network.
//!
//! ```no_run
//! let embedder = nook_embed::Embedder::load(std::path::Path::new("models/all-MiniLM-L6-v2"))?;
//! let vectors = embedder.embed(&["a cat on a mat", "a dog in the fog"])?;
//! assert_eq!(vectors[0].len(), embedder.dimension());
//! # Ok::<(), nook_embed::EmbedError>(())
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

/// The files a model folder must hold.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// How many texts go through the model at once.
const BATCH_SIZE: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("model file {path} is missing")]
    MissingFile { path: PathBuf },
    #[error("model file {path} cannot be read: {reason}")]
    BadFile { path: PathBuf, reason: String },
    #[error("tokenizing failed: {0}")]
    Tokenize(String),
    #[error("the embedding model failed: {0}")]
    Model(#[from] candle_core::Error),
}

pub type Result<T, E = EmbedError> = std::result::Result<T, E>;

/// A loaded embedding model. Cheap to share behind an `Arc`; `embed` takes
/// `&self`.
pub struct Embedder {
    model: BertModel,
    /// Truncates to the model's window: what `embed` feeds the model.
    tokenizer: Tokenizer,
    /// Never truncates: what `token_spans` uses to measure whole documents.
    measuring: Tokenizer,
    dimension: usize,
    max_tokens: usize,
    device: Device,
}

impl Embedder {
    /// Loads the model in `dir`. `max_tokens` defaults to 256, the window
    /// all-MiniLM-L6-v2 was trained with.
    pub fn load(dir: &Path) -> Result<Self> {
        Self::load_with_window(dir, 256)
    }

    pub fn load_with_window(dir: &Path, max_tokens: usize) -> Result<Self> {
        for name in MODEL_FILES {
            let path = dir.join(name);
            if !path.is_file() {
                return Err(EmbedError::MissingFile { path });
            }
        }
        let bad = |name: &str, reason: String| EmbedError::BadFile { path: dir.join(name), reason };

        let config_text = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| bad("config.json", e.to_string()))?;
        let config: Config =
            serde_json::from_str(&config_text).map_err(|e| bad("config.json", e.to_string()))?;
        let max_tokens = max_tokens.min(config.max_position_embeddings);

        let mut measuring = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| bad("tokenizer.json", e.to_string()))?;
        measuring.with_padding(None);
        measuring.with_truncation(None).map_err(|e| bad("tokenizer.json", e.to_string()))?;
        let mut tokenizer = measuring.clone();
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| bad("tokenizer.json", e.to_string()))?;

        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        // SAFETY: the file is memory-mapped read-only; Nook never writes to
        // its models while they are loaded.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
            .map_err(|e| bad("model.safetensors", e.to_string()))?;
        let model = BertModel::load(vb, &config).map_err(|e| bad("model.safetensors", e.to_string()))?;
        Ok(Embedder { model, tokenizer, measuring, dimension: config.hidden_size, max_tokens, device })
    }

    /// Length of the vectors this model produces.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Most tokens the model reads of one text, special tokens included;
    /// the rest is cut off.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Byte spans of the tokens of `text`, without special tokens and without
    /// truncation: how the chunker measures text.
    pub fn token_spans(&self, text: &str) -> Result<Vec<Range<usize>>> {
        let encoding = self
            .measuring
            .encode(text, false)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        Ok(encoding.get_offsets().iter().map(|&(start, end)| start..end).collect())
    }

    /// Unit-length embeddings of `texts`, in order.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        // Sorting by length keeps padding, and so wasted work, small.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].as_ref().len());
        let mut vectors = vec![Vec::new(); texts.len()];
        for batch in order.chunks(BATCH_SIZE) {
            let batch_texts: Vec<&str> = batch.iter().map(|&i| texts[i].as_ref()).collect();
            for (slot, vector) in batch.iter().zip(self.embed_batch(&batch_texts)?) {
                vectors[*slot] = vector;
            }
        }
        Ok(vectors)
    }

    /// Unit-length vectors of spans of texts, each span read in the
    /// context of its whole text (its tokens' vectors from one pass over the
    /// text, averaged): one pass per text instead of one per span. A span
    /// with no token inside the model's window is read on its own.
    /// `spans[i]` are byte ranges of `texts[i]`.
    pub fn embed_spans<S: AsRef<str>>(&self, texts: &[S], spans: &[Vec<Range<usize>>]) -> Result<Vec<Vec<Vec<f32>>>> {
        let mut order: Vec<usize> = (0..texts.len()).filter(|&i| !spans[i].is_empty()).collect();
        order.sort_by_key(|&i| texts[i].as_ref().len());
        let mut vectors: Vec<Vec<Vec<f32>>> = spans.iter().map(|s| vec![Vec::new(); s.len()]).collect();
        let mut alone: Vec<(usize, usize)> = Vec::new();
        for batch in order.chunks(BATCH_SIZE) {
            let batch_texts: Vec<&str> = batch.iter().map(|&i| texts[i].as_ref()).collect();
            let (encodings, hidden, _) = self.forward(&batch_texts)?;
            let hidden = hidden.to_vec3::<f32>()?;
            for ((&i, encoding), tokens) in batch.iter().zip(&encodings).zip(&hidden) {
                let offsets = encoding.get_offsets();
                let special = encoding.get_special_tokens_mask();
                for (k, span) in spans[i].iter().enumerate() {
                    let mut sum = vec![0f32; self.dimension];
                    let mut count = 0usize;
                    for (t, &(start, end)) in offsets.iter().enumerate() {
                        if special[t] == 0 && start < span.end && end > span.start {
                            sum.iter_mut().zip(&tokens[t]).for_each(|(s, x)| *s += x);
                            count += 1;
                        }
                    }
                    if count == 0 {
                        alone.push((i, k));
                        continue;
                    }
                    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
                    vectors[i][k] = sum.into_iter().map(|x| x / norm).collect();
                }
            }
        }
        if !alone.is_empty() {
            let inputs: Vec<&str> = alone.iter().map(|&(i, k)| &texts[i].as_ref()[spans[i][k].clone()]).collect();
            for ((i, k), vector) in alone.into_iter().zip(self.embed(&inputs)?) {
                vectors[i][k] = vector;
            }
        }
        Ok(vectors)
    }

    /// Encodes `texts` and runs the model over them: their encodings, the
    /// last hidden states (texts × tokens × dimension, padded) and the
    /// attention mask.
    fn forward(&self, texts: &[&str]) -> Result<(Vec<tokenizers::Encoding>, Tensor, Tensor)> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        let width = encodings.iter().map(|e| e.get_ids().len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(texts.len() * width);
        let mut mask = Vec::with_capacity(texts.len() * width);
        for encoding in &encodings {
            let n = encoding.get_ids().len();
            ids.extend_from_slice(encoding.get_ids());
            ids.extend(std::iter::repeat_n(0u32, width - n));
            mask.extend(std::iter::repeat_n(1u32, n));
            mask.extend(std::iter::repeat_n(0u32, width - n));
        }
        let shape = (texts.len(), width);
        let ids = Tensor::from_vec(ids, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let token_types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &token_types, Some(&mask))?;
        Ok((encodings, hidden, mask))
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let (_, hidden, mask) = self.forward(texts)?;
        // Mean over the real tokens, then unit length.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?;
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f32::MAX)?;
        let unit = mean.broadcast_div(&norm)?;
        Ok(unit.to_vec2::<f32>()?)
    }
}
