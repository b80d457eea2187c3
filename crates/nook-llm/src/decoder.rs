//! Nook's transformer decoder: one parametrised implementation of the
//! llama, qwen2, qwen3, gemma3 and phi3 blocks as llama.cpp computes them
//! (same order of operations, same activation quantization), with a KV
//! cache that can be cut back to any earlier position.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use nook_gguf::{Gguf, Metadata, MetadataError};

use crate::matrix::{Input, Mapped, Matrix, MatrixError};
use crate::pool::Pool;
use crate::attention::{attend, Heads};
use crate::ops::{gelu, rms_norm, silu};
use crate::LlmError;

/// How an architecture differs from plain llama.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    Llama,
    Qwen2,
    Qwen3,
    Gemma3,
    Phi3,
}

impl Architecture {
    pub fn from_name(name: &str) -> Option<Architecture> {
        Some(match name {
            "llama" => Architecture::Llama,
            "qwen2" => Architecture::Qwen2,
            "qwen3" => Architecture::Qwen3,
            "gemma3" => Architecture::Gemma3,
            "phi3" => Architecture::Phi3,
            _ => return None,
        })
    }

    /// NEOX rope rotates the two halves of a head; llama's (whose GGUF
    /// conversion permutes Q and K) rotates adjacent pairs.
    fn neox_rope(self) -> bool {
        self != Architecture::Llama
    }
}

/// The hyper-parameters read from the file's metadata.
#[derive(Debug, Clone)]
pub struct Config {
    pub architecture: Architecture,
    pub layers: usize,
    pub embedding: usize,
    pub heads: usize,
    pub kv_heads: usize,
    pub head_dim: usize,
    pub value_dim: usize,
    pub rms_epsilon: f32,
    /// Positions the model was trained for.
    pub context_length: usize,
    pub rope_dims: usize,
    pub rope_base: f32,
    /// Rope base of sliding-window layers (gemma3).
    pub rope_base_local: f32,
    /// Linear rope scaling (`1 / rope.scaling.factor`; 1 without scaling).
    pub rope_freq_scale: f32,
    /// `rope.scaling.attn_factor`: cos and sin are multiplied by it
    /// (LongRoPE's Phi-3 files set it).
    pub rope_attn_factor: f32,
    /// The context the rope factors were trained for: longer contexts use
    /// `rope_factors_long`, shorter ones `rope_factors_short`.
    pub rope_original_context: usize,
    /// Sliding window and which layers use it.
    pub sliding_window: Option<(usize, Vec<bool>)>,
}

impl Config {
    /// Reads the keys of `architecture` (named `arch_name` in the keys).
    pub fn from_metadata(metadata: &Metadata, arch_name: &str, architecture: Architecture) -> Result<Config, MetadataError> {
        let key = |name: &str| format!("{arch_name}.{name}");
        let usize_key = |name: &str| metadata.u64(&key(name)).map(|v| v as usize);
        let optional_usize = |name: &str| metadata.optional(&key(name), Metadata::u64).map(|v| v.map(|v| v as usize));
        let layers = usize_key("block_count")?;
        let embedding = usize_key("embedding_length")?;
        let heads = usize_key("attention.head_count")?;
        let kv_heads = optional_usize("attention.head_count_kv")?.unwrap_or(heads);
        let head_dim = optional_usize("attention.key_length")?.unwrap_or(embedding / heads.max(1));
        let value_dim = optional_usize("attention.value_length")?.unwrap_or(head_dim);
        let rms_epsilon = metadata.f32(&key("attention.layer_norm_rms_epsilon"))?;
        let context_length = usize_key("context_length")?;
        let rope_dims = optional_usize("rope.dimension_count")?.unwrap_or(head_dim);
        let rope_base = metadata.optional(&key("rope.freq_base"), Metadata::f32)?.unwrap_or(10_000.0);
        let rope_base_local = metadata.optional(&key("rope.freq_base_swa"), Metadata::f32)?.unwrap_or(10_000.0);
        // As llama.cpp: linear scaling unless the file says otherwise, and
        // none when its type is "none".
        let scaling_type = metadata.optional(&key("rope.scaling.type"), |m, k| m.str(k).map(String::from))?.unwrap_or_else(|| "linear".into());
        let scaling_factor = metadata.optional(&key("rope.scaling.factor"), Metadata::f32)?.unwrap_or(0.0);
        let rope_freq_scale = if scaling_type == "none" || scaling_factor == 0.0 { 1.0 } else { 1.0 / scaling_factor };
        let rope_attn_factor = metadata.optional(&key("rope.scaling.attn_factor"), Metadata::f32)?.unwrap_or(1.0);
        let rope_original_context = optional_usize("rope.scaling.original_context_length")?.unwrap_or(context_length);
        let sliding_window = match (architecture, optional_usize("attention.sliding_window")?) {
            (Architecture::Gemma3, Some(window)) if window > 0 => {
                let pattern = optional_usize("attention.sliding_window_pattern")?.unwrap_or(6);
                // Every `pattern`-th layer sees everything; the others a window.
                let local = (0..layers).map(|layer| pattern == 0 || layer % pattern < pattern - 1).collect();
                Some((window, local))
            }
            _ => None,
        };
        Ok(Config {
            architecture,
            layers,
            embedding,
            heads,
            kv_heads,
            head_dim,
            value_dim,
            rms_epsilon,
            context_length,
            rope_dims,
            rope_base,
            rope_base_local,
            rope_freq_scale,
            rope_attn_factor,
            rope_original_context,
            sliding_window,
        })
    }

    fn local(&self, layer: usize) -> Option<usize> {
        self.sliding_window.as_ref().and_then(|(window, local)| local[layer].then_some(*window))
    }

    /// Bytes of KV cache per position.
    pub fn kv_bytes_per_position(&self) -> usize {
        self.layers * self.kv_heads * (self.head_dim + self.value_dim) * std::mem::size_of::<f32>()
    }
}

enum Attention {
    Separate { q: Matrix, k: Matrix, v: Matrix },
    /// phi3: Q, K and V rows in one matrix.
    Fused(Matrix),
}

enum FeedForward {
    /// `down(act(gate(x)) * up(x))`.
    Gated { gate: Matrix, up: Matrix },
    /// phi3: gate and up rows in one matrix, gate first.
    Fused(Matrix),
}

struct Layer {
    attn_norm: Vec<f32>,
    attention: Attention,
    /// qwen2's biases on Q, K and V.
    qkv_bias: Option<[Vec<f32>; 3]>,
    /// qwen3 and gemma3 normalize each head of Q and K.
    q_norm: Option<Vec<f32>>,
    k_norm: Option<Vec<f32>>,
    output: Matrix,
    /// gemma3 normalizes the attention's and the feed-forward's outputs.
    post_attention_norm: Option<Vec<f32>>,
    ffn_norm: Vec<f32>,
    feed_forward: FeedForward,
    down: Matrix,
    post_ffn_norm: Option<Vec<f32>>,
}

/// The KV cache: for each layer, keys and values of every position read so
/// far, `positions × kv_heads × head_dim` f32 values.
struct KvCache {
    keys: Vec<Vec<f32>>,
    values: Vec<Vec<f32>>,
    len: usize,
}

pub struct Decoder {
    pub config: Config,
    embeddings: Arc<Matrix>,
    layers: Vec<Layer>,
    output_norm: Vec<f32>,
    /// The output projection: the embeddings themselves when tied.
    output: Arc<Matrix>,
    /// Llama 3.1+ scales rope frequencies by these.
    rope_factors: Option<Vec<f32>>,
    cache: KvCache,
}

struct Loader<'a> {
    file: File,
    /// The file mapped, when the system allows.
    map: Option<Arc<Mapped>>,
    gguf: &'a Gguf,
    path: &'a Path,
}

impl Loader<'_> {
    fn error(&self, reason: MatrixError) -> LlmError {
        LlmError::Weights { path: self.path.into(), reason: reason.to_string() }
    }

    fn optional(&mut self, name: &str) -> Result<Option<Matrix>, LlmError> {
        let Some(info) = self.gguf.tensor(name) else { return Ok(None) };
        Matrix::read(&mut self.file, self.map.as_ref(), self.gguf, info).map(Some).map_err(|e| self.error(e))
    }

    fn matrix(&mut self, name: &str, cols: usize, rows: usize) -> Result<Matrix, LlmError> {
        let matrix = self.optional(name)?.ok_or_else(|| self.error(MatrixError::Missing { name: name.into() }))?;
        if (matrix.rows, matrix.cols) != (rows, cols) {
            let dims = vec![matrix.cols as u64, matrix.rows as u64];
            return Err(self.error(MatrixError::Shape { name: name.into(), dims, expected: format!("[{cols}, {rows}]") }));
        }
        Ok(matrix)
    }

    fn optional_vector(&mut self, name: &str, len: usize) -> Result<Option<Vec<f32>>, LlmError> {
        let Some(matrix) = self.optional(name)? else { return Ok(None) };
        if matrix.rows * matrix.cols != len {
            let dims = vec![matrix.cols as u64, matrix.rows as u64];
            return Err(self.error(MatrixError::Shape { name: name.into(), dims, expected: format!("[{len}]") }));
        }
        let mut values = vec![0f32; len];
        matrix.row_f32(0, &mut values);
        Ok(Some(values))
    }

    fn vector(&mut self, name: &str, len: usize) -> Result<Vec<f32>, LlmError> {
        self.optional_vector(name, len)?.ok_or_else(|| self.error(MatrixError::Missing { name: name.into() }))
    }
}

impl Decoder {
    /// Reads the weights for a context of `context` positions; `on_progress`
    /// hears the share read (0 to 1).
    pub fn load(path: &Path, gguf: &Gguf, config: Config, context: usize, on_progress: &mut dyn FnMut(f32)) -> Result<Decoder, LlmError> {
        let file = File::open(path).map_err(|e| LlmError::Weights { path: path.into(), reason: e.to_string() })?;
        let map = Mapped::new(&file).ok().map(Arc::new);
        let mut loader = Loader { file, map, gguf, path };
        let c = &config;
        let (embedding, q_dim, kv_dim, v_dim) = (c.embedding, c.heads * c.head_dim, c.kv_heads * c.head_dim, c.kv_heads * c.value_dim);
        let embeddings = loader.optional("token_embd.weight")?.ok_or_else(|| loader.error(MatrixError::Missing { name: "token_embd.weight".into() }))?;
        if embeddings.cols != embedding {
            let dims = vec![embeddings.cols as u64, embeddings.rows as u64];
            return Err(loader.error(MatrixError::Shape { name: "token_embd.weight".into(), dims, expected: format!("[{embedding}, vocabulary]") }));
        }
        let vocab = embeddings.rows;
        let embeddings = Arc::new(embeddings);
        let output_norm = loader.vector("output_norm.weight", embedding)?;
        let output = match gguf.tensor("output.weight") {
            Some(_) => Arc::new(loader.matrix("output.weight", embedding, vocab)?),
            None => embeddings.clone(), // tied: one copy in memory
        };
        // Llama 3.1's factors, else LongRoPE's for the context (llama.cpp's
        // rule: long ones past the trained context).
        let longrope = if context > c.rope_original_context { "rope_factors_long.weight" } else { "rope_factors_short.weight" };
        let rope_factors = match loader.optional_vector("rope_freqs.weight", c.rope_dims / 2)? {
            Some(factors) => Some(factors),
            None => loader.optional_vector(longrope, c.rope_dims / 2)?,
        };
        let mut layers = Vec::with_capacity(c.layers);
        // The embeddings and the output are read; the layers follow.
        on_progress(1.0 / (c.layers + 1) as f32);
        for i in 0..c.layers {
            let name = |part: &str| format!("blk.{i}.{part}");
            let attention = if gguf.tensor(&name("attn_qkv.weight")).is_some() {
                Attention::Fused(loader.matrix(&name("attn_qkv.weight"), embedding, q_dim + kv_dim + v_dim)?)
            } else {
                Attention::Separate {
                    q: loader.matrix(&name("attn_q.weight"), embedding, q_dim)?,
                    k: loader.matrix(&name("attn_k.weight"), embedding, kv_dim)?,
                    v: loader.matrix(&name("attn_v.weight"), embedding, v_dim)?,
                }
            };
            let qkv_bias = match loader.optional_vector(&name("attn_q.bias"), q_dim)? {
                Some(q) => Some([q, loader.vector(&name("attn_k.bias"), kv_dim)?, loader.vector(&name("attn_v.bias"), v_dim)?]),
                None => None,
            };
            let down_info = gguf.tensor(&name("ffn_down.weight")).ok_or_else(|| loader.error(MatrixError::Missing { name: name("ffn_down.weight") }))?;
            let hidden = down_info.dims.first().copied().unwrap_or(0) as usize;
            let down = loader.matrix(&name("ffn_down.weight"), hidden, embedding)?;
            let feed_forward = if gguf.tensor(&name("ffn_gate.weight")).is_some() {
                FeedForward::Gated {
                    gate: loader.matrix(&name("ffn_gate.weight"), embedding, hidden)?,
                    up: loader.matrix(&name("ffn_up.weight"), embedding, hidden)?,
                }
            } else {
                FeedForward::Fused(loader.matrix(&name("ffn_up.weight"), embedding, 2 * hidden)?)
            };
            layers.push(Layer {
                attn_norm: loader.vector(&name("attn_norm.weight"), embedding)?,
                attention,
                qkv_bias,
                q_norm: loader.optional_vector(&name("attn_q_norm.weight"), c.head_dim)?,
                k_norm: loader.optional_vector(&name("attn_k_norm.weight"), c.head_dim)?,
                output: loader.matrix(&name("attn_output.weight"), c.heads * c.value_dim, embedding)?,
                post_attention_norm: loader.optional_vector(&name("post_attention_norm.weight"), embedding)?,
                ffn_norm: loader.vector(&name("ffn_norm.weight"), embedding)?,
                feed_forward,
                down,
                post_ffn_norm: loader.optional_vector(&name("post_ffw_norm.weight"), embedding)?,
            });
            on_progress((i + 2) as f32 / (c.layers + 1) as f32);
        }
        let cache = KvCache { keys: vec![Vec::new(); c.layers], values: vec![Vec::new(); c.layers], len: 0 };
        Ok(Decoder { config, embeddings, layers, output_norm, output, rope_factors, cache })
    }

    pub fn vocab_size(&self) -> usize {
        self.embeddings.rows
    }

    /// Positions in the cache.
    pub fn position(&self) -> usize {
        self.cache.len
    }

    /// Forgets every position from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.cache.len {
            return;
        }
        let c = &self.config;
        for (keys, values) in self.cache.keys.iter_mut().zip(&mut self.cache.values) {
            keys.truncate(len * c.kv_heads * c.head_dim);
            values.truncate(len * c.kv_heads * c.value_dim);
        }
        self.cache.len = len;
    }

    /// Reads `tokens` after the cached positions; the logits after the last.
    pub fn forward(&mut self, tokens: &[u32], pool: &Pool) -> Vec<f32> {
        self.forward_traced(tokens, pool, &mut |_, _| {})
    }

    /// [`Decoder::forward`], showing `trace` each intermediate result under
    /// llama.cpp's name for it (`attn_norm-0`, `Qcur-0`, … `result_output`),
    /// to compare the two runtimes step by step.
    pub fn forward_traced(&mut self, tokens: &[u32], pool: &Pool, trace: &mut dyn FnMut(&str, &[f32])) -> Vec<f32> {
        self.read(tokens, Logits::Last, pool, trace)
    }

    /// Reads `tokens` after the cached positions; the logits after each of
    /// them, `tokens.len()` rows of [`Decoder::vocab_size`] values: what
    /// the model expected at every step of a text it was given whole.
    pub fn forward_each(&mut self, tokens: &[u32], pool: &Pool) -> Vec<f32> {
        self.read(tokens, Logits::Each, pool, &mut |_, _| {})
    }

    fn read(&mut self, tokens: &[u32], logits: Logits, pool: &Pool, trace: &mut dyn FnMut(&str, &[f32])) -> Vec<f32> {
        let c = self.config.clone();
        let n = tokens.len();
        let start = self.cache.len;
        let positions: Vec<usize> = (start..start + n).collect();
        let mut x = vec![0f32; n * c.embedding];
        for (row, &token) in x.chunks_exact_mut(c.embedding).zip(tokens) {
            self.embeddings.row_f32(token as usize, row);
        }
        if c.architecture == Architecture::Gemma3 {
            let scale = (c.embedding as f32).sqrt();
            x.iter_mut().for_each(|v| *v *= scale);
        }
        let rope = |base: f32| Rope::new(&positions, c.rope_dims, base, self.rope_factors.as_deref(), (c.rope_freq_scale, c.rope_attn_factor), c.architecture.neox_rope());
        let rope_global = rope(c.rope_base);
        let rope_local = c.sliding_window.as_ref().map(|_| rope(c.rope_base_local));
        for (index, layer) in self.layers.iter().enumerate() {
            let window = c.local(index);
            let rope = if window.is_some() { rope_local.as_ref().unwrap_or(&rope_global) } else { &rope_global };
            let keys = &mut self.cache.keys[index];
            let values = &mut self.cache.values[index];
            let mut trace = |name: &str, values: &[f32]| trace(&format!("{name}-{index}"), values);
            layer.forward(&c, &mut x, n, start, rope, window, keys, values, pool, &mut trace);
        }
        self.cache.len += n;
        let (rows, first) = match logits {
            Logits::Last => (1, n - 1),
            Logits::Each => (n, 0),
        };
        let normed = norm_rows(&x[first * c.embedding..], c.embedding, &self.output_norm, c.rms_epsilon);
        trace("result_norm", &normed);
        let mut out = vec![0f32; rows * self.output.rows];
        self.output.mul(&Input::new(&normed, rows), &mut out, pool);
        trace("result_output", &out);
        out
    }
}

/// Which positions' logits a read gives.
#[derive(Clone, Copy)]
enum Logits {
    /// The last position's: the next token's.
    Last,
    /// Every position's.
    Each,
}

impl Layer {
    #[allow(clippy::too_many_arguments)]
    fn forward(
        &self,
        c: &Config,
        x: &mut [f32],
        n: usize,
        start: usize,
        rope: &Rope,
        window: Option<usize>,
        keys: &mut Vec<f32>,
        values: &mut Vec<f32>,
        pool: &Pool,
        trace: &mut dyn FnMut(&str, &[f32]),
    ) {
        let (q_dim, kv_dim, v_dim) = (c.heads * c.head_dim, c.kv_heads * c.head_dim, c.kv_heads * c.value_dim);
        let h: Vec<f32> = norm_rows(&x, c.embedding, &self.attn_norm, c.rms_epsilon);
        trace("attn_norm", &h);
        let input = Input::new(&h, n);
        let (mut q, mut k, v) = match &self.attention {
            Attention::Separate { q, k, v } => {
                let [q, k, v]: [Vec<f32>; 3] = Matrix::mul_each(&[q, k, v], &input, pool).try_into().expect("three products");
                (q, k, v)
            }
            Attention::Fused(qkv) => {
                let all = product(qkv, &input, pool);
                let width = q_dim + kv_dim + v_dim;
                let part = |from: usize, len: usize| all.chunks_exact(width).flat_map(|row| row[from..from + len].to_vec()).collect::<Vec<f32>>();
                (part(0, q_dim), part(q_dim, kv_dim), part(q_dim + kv_dim, v_dim))
            }
        };
        let mut v = v;
        if let Some([qb, kb, vb]) = &self.qkv_bias {
            add_bias(&mut q, qb);
            add_bias(&mut k, kb);
            add_bias(&mut v, vb);
        }
        if let Some(norm) = &self.q_norm {
            q = norm_rows(&q, c.head_dim, norm, c.rms_epsilon);
        }
        if let Some(norm) = &self.k_norm {
            k = norm_rows(&k, c.head_dim, norm, c.rms_epsilon);
        }
        rope.apply(&mut q, c.head_dim);
        rope.apply(&mut k, c.head_dim);
        trace("Qcur", &q);
        trace("Kcur", &k);
        trace("Vcur", &v);
        // gemma and phi3 scale Q before attention; the others scale the
        // scores (not the same rounding unless the scale is a power of two).
        let mut score_scale = 1.0 / (c.head_dim as f32).sqrt();
        if matches!(c.architecture, Architecture::Gemma3 | Architecture::Phi3) {
            q.iter_mut().for_each(|v| *v *= score_scale);
            score_scale = 1.0;
        }
        keys.extend_from_slice(&k);
        values.extend_from_slice(&v);
        let heads = Heads { heads: c.heads, kv_heads: c.kv_heads, head_dim: c.head_dim, value_dim: c.value_dim };
        let attended = attend(heads, &q, keys, values, n, start, window, score_scale, pool);
        trace("kqv_out", &attended);
        let mut out = product(&self.output, &Input::new(&attended, n), pool);
        trace("attn_out", &out);
        if let Some(norm) = &self.post_attention_norm {
            out = norm_rows(&out, c.embedding, norm, c.rms_epsilon);
        }
        x.iter_mut().zip(&out).for_each(|(x, o)| *x = o + *x);
        trace("ffn_inp", x);

        let h: Vec<f32> = norm_rows(&x, c.embedding, &self.ffn_norm, c.rms_epsilon);
        trace("ffn_norm", &h);
        let input = Input::new(&h, n);
        let hidden = self.down.cols;
        let activated: Vec<f32> = match &self.feed_forward {
            FeedForward::Gated { gate, up } => {
                let [gate, up]: [Vec<f32>; 2] = Matrix::mul_each(&[gate, up], &input, pool).try_into().expect("two products");
                if c.architecture == Architecture::Gemma3 {
                    gate.iter().zip(&up).map(|(&g, &u)| gelu(g) * u).collect()
                } else {
                    gate.iter().zip(&up).map(|(&g, &u)| silu(g) * u).collect()
                }
            }
            FeedForward::Fused(up) => {
                let both = product(up, &input, pool);
                both.chunks_exact(2 * hidden).flat_map(|row| row[..hidden].iter().zip(&row[hidden..]).map(|(&g, &u)| silu(g) * u).collect::<Vec<_>>()).collect()
            }
        };
        trace("ffn_swiglu", &activated);
        let mut out = product(&self.down, &Input::new(&activated, n), pool);
        trace("ffn_out", &out);
        if let Some(norm) = &self.post_ffn_norm {
            out = norm_rows(&out, c.embedding, norm, c.rms_epsilon);
        }
        x.iter_mut().zip(&out).for_each(|(x, o)| *x = o + *x);
        trace("l_out", x);
    }
}

fn product(matrix: &Matrix, input: &Input, pool: &Pool) -> Vec<f32> {
    let mut out = vec![0f32; input.tokens * matrix.rows];
    matrix.mul(input, &mut out, pool);
    out
}

/// RMS norm of each `width`-long row of `values` (tokens, or heads).
fn norm_rows(values: &[f32], width: usize, weight: &[f32], epsilon: f32) -> Vec<f32> {
    values.chunks_exact(width).flat_map(|row| rms_norm(row, weight, epsilon)).collect()
}

fn add_bias(values: &mut [f32], bias: &[f32]) {
    for row in values.chunks_exact_mut(bias.len()) {
        row.iter_mut().zip(bias).for_each(|(v, b)| *v += b);
    }
}

/// Rotations for a run of positions: `(cos, sin)` per position and pair.
struct Rope {
    dims: usize,
    neox: bool,
    /// `positions × dims/2` pairs.
    table: Vec<(f32, f32)>,
}

impl Rope {
    /// `scaling`: the linear frequency scale and the attention factor.
    fn new(positions: &[usize], dims: usize, base: f32, factors: Option<&[f32]>, scaling: (f32, f32), neox: bool) -> Rope {
        // As ggml: theta starts at the position and is multiplied by
        // base^(-2/dims) pair after pair, in f32; each pair's angle is
        // divided by its factor and scaled (rope_yarn without YaRN), and cos
        // and sin multiplied by the attention factor.
        let theta_scale = base.powf(-2.0 / dims as f32);
        let (freq_scale, mscale) = scaling;
        let mut table = Vec::with_capacity(positions.len() * dims / 2);
        for &position in positions {
            let mut theta = position as f32;
            for pair in 0..dims / 2 {
                let factor = factors.map_or(1.0, |f| f[pair]);
                let angle = freq_scale * (theta / factor);
                table.push((angle.cos() * mscale, angle.sin() * mscale));
                theta *= theta_scale;
            }
        }
        Rope { dims, neox, table }
    }

    /// Rotates every head of `x` (`positions × heads × head_dim`).
    fn apply(&self, x: &mut [f32], head_dim: usize) {
        let pairs = self.dims / 2;
        let per_position = x.len() / (self.table.len() / pairs);
        for (position, row) in x.chunks_exact_mut(per_position).enumerate() {
            let table = &self.table[position * pairs..(position + 1) * pairs];
            for head in row.chunks_exact_mut(head_dim) {
                for (pair, &(cos, sin)) in table.iter().enumerate() {
                    let (a, b) = if self.neox { (pair, pair + pairs) } else { (2 * pair, 2 * pair + 1) };
                    let (x0, x1) = (head[a], head[b]);
                    // As GCC fuses ggml's `x0*cos - x1*sin` and `x0*sin + x1*cos`.
                    head[a] = x0.mul_add(cos, -(x1 * sin));
                    head[b] = x0.mul_add(sin, x1 * cos);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_at_position_zero_changes_nothing_and_pairs_differ_by_style() {
        let mut x: Vec<f32> = (0..8).map(|i| i as f32).collect();
        Rope::new(&[0], 8, 10_000.0, None, (1.0, 1.0), false).apply(&mut x, 8);
        assert_eq!(x, (0..8).map(|i| i as f32).collect::<Vec<_>>());
        // Position 1, first pair angle 1 rad: llama rotates (x0, x1), NEOX (x0, x4).
        let mut llama = vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        Rope::new(&[1], 8, 10_000.0, None, (1.0, 1.0), false).apply(&mut llama, 8);
        assert!((llama[1] - 1f32.sin()).abs() < 1e-6 && llama[4] == 0.0);
        let mut neox = vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        Rope::new(&[1], 8, 10_000.0, None, (1.0, 1.0), true).apply(&mut neox, 8);
        assert!((neox[4] - 1f32.sin()).abs() < 1e-6 && neox[1] == 0.0);
    }
}
