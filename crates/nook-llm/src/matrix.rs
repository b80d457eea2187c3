//! Weight matrices as the GGUF file stores them (quantized blocks, f16 or
//! f32) and their product with activations, row by row on all cores.
//!
//! Each weight type is multiplied as ggml multiplies it: the activations
//! are first quantized to the type's partner (Q8_1 for Q4_1 and Q5_1, Q8_0
//! for Q4_0, Q5_0 and Q8_0, Q8_K for the K-quants, f16 for f16), once per
//! input and shared by every matrix that reads it. Q4_1 and Q5_1 run on
//! Nook's own kernel ([`crate::q4_1`]), Q4_0, Q5_0 and Q8_0 on another
//! ([`crate::q8_0`]), Q4_K, Q5_K and Q6_K on Nook's several-token kernels
//! when a prompt is read ([`crate::k_quants`]); the rest on candle's block
//! kernels.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use candle_core::quantized::k_quants::{
    BlockQ2K, BlockQ3K, BlockQ4K, BlockQ4_0, BlockQ5K, BlockQ5_0, BlockQ6K, BlockQ8K, BlockQ8_0, GgmlType,
};
use half::f16;

use crate::activations;
use crate::pool::Pool;
use crate::q4_1::{self, BlockQ4_1, BlockQ5_1};
use crate::k_quants;
use crate::q8_0::{self, Block32};

/// ggml type ids, block sizes (values) and block lengths (bytes).
fn block_layout(ggml_type: u32) -> Option<(&'static str, usize, usize)> {
    Some(match ggml_type {
        0 => ("F32", 1, 4),
        1 => ("F16", 1, 2),
        2 => ("Q4_0", 32, 18),
        3 => ("Q4_1", 32, 20),
        6 => ("Q5_0", 32, 22),
        7 => ("Q5_1", 32, 24),
        8 => ("Q8_0", 32, 34),
        10 => ("Q2_K", 256, 84),
        11 => ("Q3_K", 256, 110),
        12 => ("Q4_K", 256, 144),
        13 => ("Q5_K", 256, 176),
        14 => ("Q6_K", 256, 210),
        _ => return None,
    })
}

/// Bytes of a tensor's data, when Nook knows its type.
pub fn data_bytes(info: &nook_gguf::TensorInfo) -> Option<u64> {
    let (_, values, bytes) = block_layout(info.ggml_type)?;
    Some(info.dims.iter().product::<u64>() / values as u64 * bytes as u64)
}

/// Rows of a tile of the many-token product (see `Matrix::mul`).
const TILE_ROWS: usize = 64;
const _: () = assert!(k_quants::TOKENS == q4_1::TOKENS && q8_0::TOKENS == q4_1::TOKENS, "one token group for every kernel");

/// Why a tensor cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    #[error("tensor {name} is missing")]
    Missing { name: String },
    #[error("tensor {name} has ggml type {ggml_type}, which Nook cannot read yet")]
    UnsupportedType { name: String, ggml_type: u32 },
    #[error("tensor {name} has shape {dims:?}, expected {expected}")]
    Shape { name: String, dims: Vec<u64>, expected: String },
    #[error("tensor {name} lies past the end of the file (the file is truncated)")]
    PastEnd { name: String },
    #[error("cannot read tensor {name}: {reason}")]
    Io { name: String, reason: String },
}

/// A model file mapped into memory: its tensors are read where they lie
/// (the page cache's copy is the only one) instead of copied out.
pub struct Mapped(memmap2::Mmap);

impl Mapped {
    /// Maps `file` and reads it in (as llama.cpp does), so that the first
    /// prompt does not wait on the disk. The file must not be cut short
    /// while mapped: a model is replaced by a new file, never rewritten in
    /// place (`nook models add` links or copies it into Nook's folder).
    pub fn new(file: &File) -> std::io::Result<Mapped> {
        // SAFETY: see above; the map is only ever read.
        unsafe { memmap2::MmapOptions::new().populate().map(file) }.map(Mapped)
    }
}

/// A tensor's blocks: where they lie in a mapped file, or read into memory.
enum Blocks<T> {
    Mapped { map: Arc<Mapped>, start: usize, len: usize, of: std::marker::PhantomData<T> },
    Read(Vec<T>),
}

impl<T> Deref for Blocks<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            // SAFETY: `Matrix::read` checked that the `len` blocks from
            // `start` lie inside the map and that `start` is aligned for
            // `T`; every block type here is plain old data (`repr(C)`
            // integers, f16 and f32, any bit pattern valid).
            Blocks::Mapped { map, start, len, .. } => unsafe { std::slice::from_raw_parts(map.0.as_ptr().add(*start).cast(), *len) },
            Blocks::Read(blocks) => blocks,
        }
    }
}

enum Storage {
    F32(Blocks<f32>),
    F16(Blocks<f16>),
    Q4_0(Blocks<BlockQ4_0>),
    Q4_1(Blocks<BlockQ4_1>),
    Q5_0(Blocks<BlockQ5_0>),
    Q5_1(Blocks<BlockQ5_1>),
    Q8_0(Blocks<BlockQ8_0>),
    Q2K(Blocks<BlockQ2K>),
    Q3K(Blocks<BlockQ3K>),
    Q4K(Blocks<BlockQ4K>),
    Q5K(Blocks<BlockQ5K>),
    Q6K(Blocks<BlockQ6K>),
}

/// A `rows × cols` weight matrix, one row per output value.
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    storage: Storage,
}

/// Fills `blocks` with the file's bytes at `offset`.
fn read_into<T>(file: &mut File, offset: u64, blocks: &mut [T]) -> std::io::Result<()> {
    // SAFETY: every block type here is plain old data (`repr(C)` integers,
    // f16 and f32, no padding, any bit pattern valid), so its memory may be
    // written as bytes.
    let bytes = unsafe { std::slice::from_raw_parts_mut(blocks.as_mut_ptr().cast::<u8>(), std::mem::size_of_val(blocks)) };
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(bytes)
}

impl Matrix {
    /// Reads the tensor `info` (`cols` innermost) of an open GGUF file:
    /// from `map`, the same file mapped, when given.
    pub fn read(file: &mut File, map: Option<&Arc<Mapped>>, gguf: &nook_gguf::Gguf, info: &nook_gguf::TensorInfo) -> Result<Matrix, MatrixError> {
        let name = info.name.clone();
        let (_, block_values, block_bytes) =
            block_layout(info.ggml_type).ok_or(MatrixError::UnsupportedType { name: name.clone(), ggml_type: info.ggml_type })?;
        let cols = info.dims.first().copied().unwrap_or(1) as usize;
        let rows = info.dims.iter().skip(1).product::<u64>() as usize;
        if cols % block_values != 0 {
            return Err(MatrixError::Shape { name, dims: info.dims.clone(), expected: format!("rows of whole {block_values}-value blocks") });
        }
        let count = rows * cols / block_values;
        let start = gguf.data_offset + info.offset;
        if start + (count * block_bytes) as u64 > gguf.file_len {
            return Err(MatrixError::PastEnd { name });
        }
        fn load<T: Clone>(file: &mut File, map: Option<&Arc<Mapped>>, start: u64, count: usize, zero: T, block_bytes: usize) -> std::io::Result<Blocks<T>> {
            assert_eq!(std::mem::size_of::<T>(), block_bytes, "block layout");
            if let Some(map) = map {
                let at = start as usize;
                let inside = at.checked_add(count * block_bytes).is_some_and(|end| end <= map.0.len());
                if inside && (map.0.as_ptr() as usize + at) % std::mem::align_of::<T>() == 0 {
                    return Ok(Blocks::Mapped { map: map.clone(), start: at, len: count, of: std::marker::PhantomData });
                }
            }
            let mut blocks = vec![zero; count];
            read_into(file, start, &mut blocks)?;
            Ok(Blocks::Read(blocks))
        }
        let io = |e: std::io::Error| MatrixError::Io { name: name.clone(), reason: e.to_string() };
        let storage = match info.ggml_type {
            0 => Storage::F32(load(file, map, start, count, 0f32, block_bytes).map_err(io)?),
            1 => Storage::F16(load(file, map, start, count, f16::ZERO, block_bytes).map_err(io)?),
            2 => Storage::Q4_0(load(file, map, start, count, BlockQ4_0::zeros(), block_bytes).map_err(io)?),
            3 => Storage::Q4_1(load(file, map, start, count, BlockQ4_1::ZERO, block_bytes).map_err(io)?),
            6 => Storage::Q5_0(load(file, map, start, count, BlockQ5_0::zeros(), block_bytes).map_err(io)?),
            7 => Storage::Q5_1(load(file, map, start, count, BlockQ5_1::ZERO, block_bytes).map_err(io)?),
            8 => Storage::Q8_0(load(file, map, start, count, BlockQ8_0::zeros(), block_bytes).map_err(io)?),
            10 => Storage::Q2K(load(file, map, start, count, BlockQ2K::zeros(), block_bytes).map_err(io)?),
            11 => Storage::Q3K(load(file, map, start, count, BlockQ3K::zeros(), block_bytes).map_err(io)?),
            12 => Storage::Q4K(load(file, map, start, count, BlockQ4K::zeros(), block_bytes).map_err(io)?),
            13 => Storage::Q5K(load(file, map, start, count, BlockQ5K::zeros(), block_bytes).map_err(io)?),
            14 => Storage::Q6K(load(file, map, start, count, BlockQ6K::zeros(), block_bytes).map_err(io)?),
            _ => unreachable!("block_layout knows the type"),
        };
        Ok(Matrix { rows, cols, storage })
    }

    /// Row `row` as f32 values (a token's embedding).
    pub fn row_f32(&self, row: usize, out: &mut [f32]) {
        assert_eq!(out.len(), self.cols);
        match &self.storage {
            Storage::Q4_1(blocks) => unsigned32_row(blocks, self.cols, row, out),
            Storage::Q5_1(blocks) => unsigned32_row(blocks, self.cols, row, out),
            Storage::F32(values) => out.copy_from_slice(&values[row * self.cols..(row + 1) * self.cols]),
            Storage::F16(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q4_0(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q5_0(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q8_0(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q2K(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q3K(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q4K(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q5K(blocks) => dequantize_row(blocks, self.rows, row, out),
            Storage::Q6K(blocks) => dequantize_row(blocks, self.rows, row, out),
        }
    }

    /// `out[t][r] = Σ_c self[r][c] · input[t][c]` for every token `t` of
    /// the input; `out` holds `input.tokens × rows` values.
    pub fn mul(&self, input: &Input, out: &mut [f32], pool: &Pool) {
        assert_eq!(input.cols, self.cols, "input width");
        assert_eq!(out.len(), input.tokens * self.rows, "output size");
        input.prepare_for(self);
        let tokens = input.tokens;
        let chunk = self.rows.div_ceil(pool.threads() * 4).max(16);
        if tokens == 1 {
            pool.for_each_chunk(out, chunk, |i, out| self.rows_into(input, i * chunk, out));
            return;
        }
        // Rows outermost so that a row's weights stay in cache across
        // tokens. Tiles of TILE_ROWS rows by q4_1::TOKENS tokens: both the
        // rows' weights and the tokens' activations stay in L1 while the
        // tile is computed; each tile is computed row-major, then written
        // into `out` token by token by the thread that computed it.
        struct Out(*mut f32);
        // SAFETY: each task writes only its own rows' values (below), so no
        // two threads write the same place, and `out` outlives the pass.
        unsafe impl Sync for Out {}
        let base = Out(out.as_mut_ptr());
        let base = &base;
        let rows = self.rows;
        let grouped = matches!(self.storage, Storage::Q4K(_) | Storage::Q6K(_) | Storage::Q4_0(_) | Storage::Q5_0(_) | Storage::Q8_0(_));
        let mut tasks: Vec<usize> = (0..rows.div_ceil(chunk)).collect();
        pool.for_each(&mut tasks, |&mut task| {
            let (first, end) = (task * chunk, ((task + 1) * chunk).min(rows));
            let mut tile = vec![0f32; TILE_ROWS.min(end - first) * tokens];
            for tile_first in (first..end).step_by(TILE_ROWS) {
                let tile_rows = (end - tile_first).min(TILE_ROWS);
                let tile = &mut tile[..tile_rows * tokens];
                for group in token_groups(grouped, tokens) {
                    self.tile_tokens(input, tile_first, tile, group);
                }
                for token in 0..tokens {
                    for j in 0..tile_rows {
                        // SAFETY: in `out` (token < tokens, row < rows), and
                        // row `tile_first + j` is this task's (see `Out`).
                        unsafe { *base.0.add(token * rows + tile_first + j) = tile[j * tokens + token] };
                    }
                }
            }
        });
    }

    /// `matrices[i] · input` for each matrix, in one parallel pass when the
    /// input is one token (Q, K and V; gate and up): fewer hand-overs
    /// between threads per token.
    pub fn mul_each(matrices: &[&Matrix], input: &Input, pool: &Pool) -> Vec<Vec<f32>> {
        let mut outs: Vec<Vec<f32>> = matrices.iter().map(|m| vec![0f32; input.tokens * m.rows]).collect();
        if input.tokens != 1 {
            matrices.iter().zip(&mut outs).for_each(|(m, out)| m.mul(input, out, pool));
            return outs;
        }
        let rows: usize = matrices.iter().map(|m| m.rows).sum();
        let chunk = rows.div_ceil(pool.threads() * 4).max(16);
        let mut jobs = Vec::new();
        for (matrix, out) in matrices.iter().zip(&mut outs) {
            assert_eq!(input.cols, matrix.cols, "input width");
            input.prepare_for(matrix);
            jobs.extend(out.chunks_mut(chunk).enumerate().map(|(i, out)| (*matrix, i * chunk, out)));
        }
        pool.for_each(&mut jobs, |(matrix, first, out)| matrix.rows_into(input, *first, out));
        outs
    }

    /// Rows `first..first + out.len()` times the input's only token.
    fn rows_into(&self, input: &Input, first: usize, out: &mut [f32]) {
        // Two rows at a time: their weights stream from memory side by side
        // (four rows spill registers).
        let rows = out.chunks_mut(1).enumerate().map(|(j, out)| (first + j, out));
        match &self.storage {
            Storage::Q4_0(w) => return block32_rows::<q8_0::Q4_0>(w, input, self.cols, rows, 0..1),
            Storage::Q5_0(w) => return block32_rows::<q8_0::Q5_0>(w, input, self.cols, rows, 0..1),
            Storage::Q8_0(w) => return block32_rows::<q8_0::Q8_0>(w, input, self.cols, rows, 0..1),
            Storage::Q4_1(w) => return unsigned32_rows(w, input, self.cols, rows, 0..1),
            Storage::Q5_1(w) => return unsigned32_rows(w, input, self.cols, rows, 0..1),
            _ => {}
        }
        for (j, value) in out.iter_mut().enumerate() {
            *value = self.dot(input, first + j, 0);
        }
    }

    /// Rows `first..` (as many as `tile` holds, `input.tokens` values a
    /// row) times the input's tokens `group` (at most q4_1::TOKENS), into
    /// each row's values of those tokens.
    fn tile_tokens(&self, input: &Input, first: usize, tile: &mut [f32], group: std::ops::Range<usize>) {
        let values = group.clone();
        let rows = tile.chunks_exact_mut(input.tokens).enumerate().map(move |(j, row)| (first + j, &mut row[values.clone()]));
        let whole = group.len() == k_quants::GROUP;
        match &self.storage {
            Storage::Q4_0(w) if whole => block32_group_rows::<q8_0::Q4_0>(w, input, self.cols, rows, group),
            Storage::Q5_0(w) if whole => block32_group_rows::<q8_0::Q5_0>(w, input, self.cols, rows, group),
            Storage::Q8_0(w) if whole => block32_group_rows::<q8_0::Q8_0>(w, input, self.cols, rows, group),
            Storage::Q4_0(w) => block32_rows::<q8_0::Q4_0>(w, input, self.cols, rows, group),
            Storage::Q4_1(w) => unsigned32_rows(w, input, self.cols, rows, group),
            Storage::Q5_1(w) => unsigned32_rows(w, input, self.cols, rows, group),
            Storage::Q5_0(w) => block32_rows::<q8_0::Q5_0>(w, input, self.cols, rows, group),
            Storage::Q8_0(w) => block32_rows::<q8_0::Q8_0>(w, input, self.cols, rows, group),
            Storage::Q4K(w) if whole => k_quant_group_rows(w, input, self.cols, rows, group),
            Storage::Q6K(w) if whole => k_quant_group_rows(w, input, self.cols, rows, group),
            _ => {
                for (row, out) in rows {
                    self.row_tokens(input, row, group.clone(), out);
                }
            }
        }
    }

    /// Row `row` times the input's tokens `tokens` (at most q4_1::TOKENS).
    fn row_tokens(&self, input: &Input, row: usize, tokens: std::ops::Range<usize>, out: &mut [f32]) {
        match &self.storage {
            // The row's blocks unpacked once for the tokens.
            Storage::Q4K(w) => k_quant_tokens(w, input, self.cols, row, tokens, out),
            Storage::Q5K(w) => k_quant_tokens(w, input, self.cols, row, tokens, out),
            Storage::Q6K(w) => k_quant_tokens(w, input, self.cols, row, tokens, out),
            _ => {
                for (value, token) in out.iter_mut().zip(tokens) {
                    *value = self.dot(input, row, token);
                }
            }
        }
    }

    /// Row `row` times token `token` of the input.
    fn dot(&self, input: &Input, row: usize, token: usize) -> f32 {
        match &self.storage {
            Storage::Q4_1(w) => unsigned32_dot(w, input, self.cols, row, token),
            Storage::Q5_1(w) => unsigned32_dot(w, input, self.cols, row, token),
            Storage::F32(w) => row_dot(w, input.f32s(), self.cols, row, token),
            Storage::F16(w) => row_dot(w, input.f16s(), self.cols, row, token),
            Storage::Q4_0(w) => block32_dot::<q8_0::Q4_0>(w, input, self.cols, row, token),
            Storage::Q5_0(w) => block32_dot::<q8_0::Q5_0>(w, input, self.cols, row, token),
            Storage::Q8_0(w) => block32_dot::<q8_0::Q8_0>(w, input, self.cols, row, token),
            Storage::Q2K(w) => row_dot(w, input.q8k(), self.cols, row, token),
            Storage::Q3K(w) => row_dot(w, input.q8k(), self.cols, row, token),
            Storage::Q4K(w) => k_quant_dot(w, input, self.cols, row, token),
            Storage::Q5K(w) => k_quant_dot(w, input, self.cols, row, token),
            Storage::Q6K(w) => k_quant_dot(w, input, self.cols, row, token),
        }
    }
}

/// Row `row` of `weights` (rows of `cols` values) times token `token` of
/// the activations, with candle's kernel for the type.
fn row_dot<T: GgmlType>(weights: &[T], acts: &[T::VecDotType], cols: usize, row: usize, token: usize) -> f32 {
    let n = cols / T::BLCK_SIZE;
    let m = cols / T::VecDotType::BLCK_SIZE;
    T::vec_dot(cols, &weights[row * n..][..n], &acts[token * m..][..m])
}

/// Row `row` of K-quant weights times token `token` of the input.
fn k_quant_dot<T: k_quants::KQuant>(weights: &[T], input: &Input, cols: usize, row: usize, token: usize) -> f32 {
    let mut out = [0f32];
    k_quant_tokens(weights, input, cols, row, token..token + 1, &mut out);
    out[0]
}

/// Row `row` of K-quant weights times the tokens `tokens` (at most
/// [`k_quants::TOKENS`]).
fn k_quant_tokens<T: k_quants::KQuant>(weights: &[T], input: &Input, cols: usize, row: usize, tokens: std::ops::Range<usize>, out: &mut [f32]) {
    let n = cols / T::BLCK_SIZE;
    k_quants::dot_tokens(&weights[row * n..][..n], &token_rows(input.q8k(), n, &tokens)[..tokens.len()], out);
}

/// The groups of tokens a tile is computed by: [`k_quants::GROUP`] at a
/// time for the `grouped` types (Q4_K, Q6_K, Q4_0, Q5_0, Q8_0) while that
/// many are left, [`q4_1::TOKENS`] otherwise.
fn token_groups(grouped: bool, tokens: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let whole = if grouped { tokens / k_quants::GROUP * k_quants::GROUP } else { 0 };
    let groups = (0..whole).step_by(k_quants::GROUP).map(|first| first..first + k_quants::GROUP);
    groups.chain((whole..tokens).step_by(q4_1::TOKENS).map(move |first| first..(first + q4_1::TOKENS).min(tokens)))
}

/// Each of `rows` (a row and where its values of `tokens` go) of Q4_K or
/// Q6_K weights times the [`k_quants::GROUP`] tokens `tokens`.
fn k_quant_group_rows<'a, T: k_quants::Grouped>(weights: &[T], input: &Input, cols: usize, rows: impl Iterator<Item = (usize, &'a mut [f32])>, tokens: std::ops::Range<usize>) {
    let n = cols / T::BLCK_SIZE;
    let acts = input.q8k();
    let ys: [&[BlockQ8K]; k_quants::GROUP] = std::array::from_fn(|t| &acts[(tokens.start + t) * n..][..n]);
    let blocks = &input.k_groups()[tokens.start / k_quants::GROUP * n..][..n];
    for (row, out) in rows {
        k_quants::dot_group(&weights[row * n..][..n], ys, blocks, out.try_into().expect("a group's values"));
    }
}

/// Row `row` of Q4_1 or Q5_1 weights times token `token` of the input.
fn unsigned32_dot<W: q4_1::Unsigned32>(weights: &[W], input: &Input, cols: usize, row: usize, token: usize) -> f32 {
    let n = cols / q4_1::BLOCK;
    q4_1::dot(&weights[row * n..][..n], &input.q8_1()[token * n..][..n])
}

/// Each of `rows` (a row and where its values of `tokens` go) of Q4_1 or
/// Q5_1 weights times the tokens `tokens` (at most [`q4_1::TOKENS`]).
fn unsigned32_rows<'a, W: q4_1::Unsigned32>(weights: &[W], input: &Input, cols: usize, rows: impl Iterator<Item = (usize, &'a mut [f32])>, tokens: std::ops::Range<usize>) {
    let n = cols / q4_1::BLOCK;
    let ys = token_rows(input.q8_1_prepared(), n, &tokens);
    let ys = &ys[..tokens.len()];
    let row = |r: usize| &weights[r * n..][..n];
    in_pairs(rows, |a, out| q4_1::dot_rows([row(a)], ys, [out]), |(a, a_out), (b, b_out)| q4_1::dot_rows([row(a), row(b)], ys, [a_out, b_out]));
}

/// Hands `rows` to `two` two at a time (each token's blocks are then read
/// once for both), the last of an odd number to `one`.
fn in_pairs<'a>(
    rows: impl Iterator<Item = (usize, &'a mut [f32])>,
    one: impl Fn(usize, &'a mut [f32]),
    two: impl Fn((usize, &'a mut [f32]), (usize, &'a mut [f32])),
) {
    let mut waiting = None;
    for row in rows {
        match waiting.take() {
            None => waiting = Some(row),
            Some(first) => two(first, row),
        }
    }
    if let Some((row, out)) = waiting {
        one(row, out);
    }
}

/// Row `row` of Q4_1 or Q5_1 weights as f32 values.
fn unsigned32_row<W: q4_1::Unsigned32>(blocks: &[W], cols: usize, row: usize, out: &mut [f32]) {
    let n = cols / q4_1::BLOCK;
    for (block, out) in blocks[row * n..][..n].iter().zip(out.chunks_exact_mut(q4_1::BLOCK)) {
        out.copy_from_slice(&q4_1::dequantize(block));
    }
}

/// Row `row` of 32-value blocks times token `token` of the input, with
/// Nook's kernel ([`q8_0::dot_tokens`]).
fn block32_dot<B: Block32>(weights: &[B::Candle], input: &Input, cols: usize, row: usize, token: usize) -> f32 {
    let mut out = [0f32];
    block32_rows::<B>(weights, input, cols, std::iter::once((row, &mut out[..])), token..token + 1);
    out[0]
}

/// Each of `rows` (a row and where its values of `tokens` go) times the
/// tokens `tokens` (at most [`q8_0::TOKENS`]), each weight block unpacked
/// once for them.
fn block32_rows<'a, B: Block32>(weights: &[B::Candle], input: &Input, cols: usize, rows: impl Iterator<Item = (usize, &'a mut [f32])>, tokens: std::ops::Range<usize>) {
    let n = cols / 32;
    let ys = token_rows(input.q8_0_for(B::OFFSET), n, &tokens);
    let weights = q8_0::view::<B>(weights);
    let ys = &ys[..tokens.len()];
    let row = |r: usize| &weights[r * n..][..n];
    in_pairs(rows, |a, out| q8_0::dot_tokens(row(a), ys, out), |(a, a_out), (b, b_out)| q8_0::dot_rows([row(a), row(b)], ys, [a_out, b_out]));
}

/// Each of `rows` (a row and where its values of `tokens` go) of Q4_0,
/// Q5_0 or Q8_0 weights times the [`q8_0::GROUP`] tokens `tokens`.
fn block32_group_rows<'a, B: Block32>(weights: &[B::Candle], input: &Input, cols: usize, rows: impl Iterator<Item = (usize, &'a mut [f32])>, tokens: std::ops::Range<usize>) {
    let n = cols / 32;
    let acts = input.q8_0_for(B::OFFSET);
    let ys: [&[q8_0::Acts]; q8_0::GROUP] = std::array::from_fn(|t| &acts[(tokens.start + t) * n..][..n]);
    // Made for each tile of rows: a few instructions a block and token,
    // against the tile's rows' many.
    let groups = q8_0::group_blocks(ys);
    let weights = q8_0::view::<B>(weights);
    for (row, out) in rows {
        q8_0::dot_group(&weights[row * n..][..n], ys, &groups, out.try_into().expect("a group's values"));
    }
}

/// The activation rows (`n` blocks each) of `tokens`, at most
/// [`q4_1::TOKENS`]; the rest empty.
fn token_rows<'a, A>(acts: &'a [A], n: usize, tokens: &std::ops::Range<usize>) -> [&'a [A]; q4_1::TOKENS] {
    assert!(tokens.len() <= q4_1::TOKENS);
    std::array::from_fn(|i| if i < tokens.len() { &acts[(tokens.start + i) * n..][..n] } else { &[] })
}

fn dequantize_row<T: GgmlType>(blocks: &[T], rows: usize, row: usize, out: &mut [f32]) {
    let per_row = blocks.len() / rows;
    T::to_float(&blocks[row * per_row..(row + 1) * per_row], out);
}

/// The activations a set of matrices multiply: `tokens × cols` f32 values,
/// and their quantized forms, each made on first use.
pub struct Input<'a> {
    values: &'a [f32],
    pub tokens: usize,
    pub cols: usize,
    /// [`q8_0::prepare`]d for Q8_0's offset (0), Q4_0's (8) and Q5_0's (16).
    q8_0_for: [OnceLock<Vec<q8_0::Acts>>; 3],
    q8_1: OnceLock<Vec<q4_1::BlockQ8_1>>,
    q8_1_prepared: OnceLock<Vec<q4_1::Acts>>,
    q8k: OnceLock<Vec<BlockQ8K>>,
    /// [`k_quants::group_blocks`] of each whole group of tokens, in order.
    k_groups: OnceLock<Vec<k_quants::GroupBlock>>,
    f16: OnceLock<Vec<f16>>,
}

impl<'a> Input<'a> {
    pub fn new(values: &'a [f32], tokens: usize) -> Input<'a> {
        assert!(tokens > 0 && values.len() % tokens == 0);
        Input {
            values,
            tokens,
            cols: values.len() / tokens,
            q8_0_for: [OnceLock::new(), OnceLock::new(), OnceLock::new()],
            q8_1: OnceLock::new(),
            q8_1_prepared: OnceLock::new(),
            q8k: OnceLock::new(),
            k_groups: OnceLock::new(),
            f16: OnceLock::new(),
        }
    }

    /// Quantizes the activations as `matrix` needs them, now rather than
    /// inside the parallel pass.
    fn prepare_for(&self, matrix: &Matrix) {
        match matrix.storage {
            Storage::F32(_) => {}
            Storage::F16(_) => _ = self.f16s(),
            Storage::Q4_1(_) | Storage::Q5_1(_) => _ = self.q8_1(),
            Storage::Q4_0(_) => _ = self.q8_0_for(q8_0::Q4_0::OFFSET),
            Storage::Q5_0(_) => _ = self.q8_0_for(q8_0::Q5_0::OFFSET),
            Storage::Q8_0(_) => _ = self.q8_0_for(q8_0::Q8_0::OFFSET),
            Storage::Q4K(_) | Storage::Q6K(_) => _ = self.k_groups(),
            Storage::Q2K(_) | Storage::Q3K(_) | Storage::Q5K(_) => _ = self.q8k(),
        }
    }

    fn f32s(&self) -> &[f32] {
        self.values
    }

    fn f16s(&self) -> &[f16] {
        self.f16.get_or_init(|| self.values.iter().map(|&v| f16::from_f32(v)).collect())
    }

    /// The Q8_0 activations [`q8_0::prepare`]d for weights stored with
    /// `offset`.
    fn q8_0_for(&self, offset: i32) -> &[q8_0::Acts] {
        let slot = match offset {
            0 => &self.q8_0_for[0],
            8 => &self.q8_0_for[1],
            16 => &self.q8_0_for[2],
            _ => unreachable!("the offsets of Q8_0, Q4_0 and Q5_0"),
        };
        slot.get_or_init(|| q8_0::prepare(q8_0::view(&activations::quantize_q8_0(self.values)), offset))
    }

    /// [`q4_1::prepare`]d for the prompt kernel.
    fn q8_1_prepared(&self) -> &[q4_1::Acts] {
        self.q8_1_prepared.get_or_init(|| q4_1::prepare(self.q8_1()))
    }

    fn q8_1(&self) -> &[q4_1::BlockQ8_1] {
        self.q8_1.get_or_init(|| q4_1::quantize_q8_1(self.values))
    }

    fn k_groups(&self) -> &[k_quants::GroupBlock] {
        self.k_groups.get_or_init(|| {
            let (acts, n) = (self.q8k(), self.cols / BlockQ8K::BLCK_SIZE);
            (0..self.tokens / k_quants::GROUP)
                .flat_map(|g| k_quants::group_blocks(std::array::from_fn(|t| &acts[(g * k_quants::GROUP + t) * n..][..n])))
                .collect()
        })
    }

    fn q8k(&self) -> &[BlockQ8K] {
        self.q8k.get_or_init(|| {
            let mut blocks = vec![BlockQ8K::zeros(); self.values.len() / 256];
            for (values, blocks) in self.values.chunks_exact(self.cols).zip(blocks.chunks_exact_mut(self.cols / 256)) {
                BlockQ8K::from_float(values, blocks);
            }
            blocks
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_quants_read_eight_tokens_at_a_time_and_the_rest_by_four() {
        let groups = |grouped, tokens| token_groups(grouped, tokens).collect::<Vec<_>>();
        assert_eq!(groups(true, 21), [0..8, 8..16, 16..20, 20..21]);
        assert_eq!(groups(true, 7), [0..4, 4..7]);
        assert_eq!(groups(false, 9), [0..4, 4..8, 8..9]);
    }
}
