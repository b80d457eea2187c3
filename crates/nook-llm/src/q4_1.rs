//! Q4_1 and Q5_1 weights times activations quantized to Q8_1, computed as
//! ggml's AVX2 code computes them, bit for bit: the first piece of Nook's
//! own decoder (candle 0.11 rounds Q8_1 blocks differently, and SmolLM2's
//! weights are all Q4_1; see docs/research/chat-runtime.md). Q5_1 is what
//! llama.cpp's Q5_K_M files use for matrices whose rows are not whole
//! 256-value blocks (candle multiplies it one value at a time).
//!
//! The integer parts are exact in any order, and the float steps follow
//! ggml's order (8 lanes, fused multiply-adds, the same horizontal sum; the
//! `m * s` sum is fused too, as GCC compiles ggml). The AVX2 version and the
//! scalar one give the same bits (tested).

use half::f16;

use crate::simd::nibble;

pub const BLOCK: usize = 32;

/// A type of 32 weights `w = d * q + m`, `q` unsigned.
pub trait Unsigned32: Sized {
    fn d(&self) -> f16;
    fn m(&self) -> f16;
    /// `q` of weight `i`.
    fn quant(&self, i: usize) -> u8;
    /// The 32 `q`s as an AVX2 register.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i;
}

/// 32 weights: `w = d * q + m`, `q` in 0..16, two per byte (the first 16 in
/// the low nibbles, the next 16 in the high ones).
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct BlockQ4_1 {
    pub d: f16,
    pub m: f16,
    pub qs: [u8; BLOCK / 2],
}

impl BlockQ4_1 {
    pub const ZERO: BlockQ4_1 = BlockQ4_1 { d: f16::ZERO, m: f16::ZERO, qs: [0; BLOCK / 2] };
}

impl Unsigned32 for BlockQ4_1 {
    fn d(&self) -> f16 {
        self.d
    }
    fn m(&self) -> f16 {
        self.m
    }
    fn quant(&self, i: usize) -> u8 {
        nibble(&self.qs, i)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i {
        crate::simd::nibbles(&self.qs)
    }
}

/// 32 weights: `w = d * q + m`, `q` in 0..32: its low four bits as Q4_1's,
/// the fifth bit of weight `i` bit `i` of `qh`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct BlockQ5_1 {
    pub d: f16,
    pub m: f16,
    pub qh: [u8; 4],
    pub qs: [u8; BLOCK / 2],
}

impl BlockQ5_1 {
    pub const ZERO: BlockQ5_1 = BlockQ5_1 { d: f16::ZERO, m: f16::ZERO, qh: [0; 4], qs: [0; BLOCK / 2] };
}

impl Unsigned32 for BlockQ5_1 {
    fn d(&self) -> f16 {
        self.d
    }
    fn m(&self) -> f16 {
        self.m
    }
    fn quant(&self, i: usize) -> u8 {
        nibble(&self.qs, i) | (((u32::from_le_bytes(self.qh) >> i) & 1) as u8) << 4
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i {
        use std::arch::x86_64::*;
        let high = _mm256_and_si256(crate::simd::bits(&self.qh), _mm256_set1_epi8(0x10));
        _mm256_or_si256(crate::simd::nibbles(&self.qs), high)
    }
}

/// 32 activations: `x = d * q`, with `s = d * sum(q)` kept for Q4_1's `m`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct BlockQ8_1 {
    pub d: f16,
    pub s: f16,
    pub qs: [i8; BLOCK],
}

/// ggml's `quantize_row_q8_1` (AVX2): scale by 127 / max|x|, round half to
/// even, and `s` from the f32 scale times the exact sum.
pub fn quantize_q8_1(x: &[f32]) -> Vec<BlockQ8_1> {
    assert_eq!(x.len() % BLOCK, 0, "a row of {} values is not whole blocks", x.len());
    x.chunks_exact(BLOCK)
        .map(|xs| {
            let max = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
            let d = max / 127.0;
            let id = if max != 0.0 { 127.0 / max } else { 0.0 };
            let mut qs = [0i8; BLOCK];
            let mut sum = 0i32;
            for (q, &v) in qs.iter_mut().zip(xs) {
                let r = (v * id).round_ties_even() as i32;
                *q = r as i8;
                sum += r;
            }
            BlockQ8_1 { d: f16::from_f32(d), s: f16::from_f32(d * sum as f32), qs }
        })
        .collect()
}

/// ggml's `ggml_vec_dot_q4_1_q8_1` and `ggml_vec_dot_q5_1_q8_1` (AVX2
/// path).
pub fn dot<W: Unsigned32>(x: &[W], y: &[BlockQ8_1]) -> f32 {
    assert_eq!(x.len(), y.len());
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above).
        return unsafe { avx2::dot(x, y) };
    }
    dot_scalar(x, y)
}

/// [`dot`] of one weight row with up to [`TOKENS`] rows of activations
/// (`ys[t]` gives `out[t]`): each weight block is unpacked once for all of
/// them. Every result has the bits `dot` gives.
pub fn dot_tokens<W: Unsigned32>(x: &[W], ys: &[&[BlockQ8_1]], out: &mut [f32]) {
    assert!(ys.len() <= TOKENS && ys.len() == out.len());
    assert!(ys.iter().all(|y| y.len() == x.len()));
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above).
        unsafe { avx2::dot_tokens(x, ys, out) };
        return;
    }
    for (o, y) in out.iter_mut().zip(ys) {
        *o = dot_scalar(x, y);
    }
}

/// Tokens [`dot_tokens`] takes at once.
pub const TOKENS: usize = 4;

fn dot_scalar<W: Unsigned32>(x: &[W], y: &[BlockQ8_1]) -> f32 {
    let mut acc = [0f32; 8];
    let mut summs = 0f32;
    for (bx, by) in x.iter().zip(y) {
        let (d0, d1) = (bx.d().to_f32(), by.d.to_f32());
        summs = bx.m().to_f32().mul_add(by.s.to_f32(), summs);
        let d0d1 = d0 * d1;
        let weight = |i: usize| i32::from(bx.quant(i));
        for (lane, a) in acc.iter_mut().enumerate() {
            let sum: i32 = (4 * lane..4 * lane + 4).map(|i| weight(i) * i32::from(by.qs[i])).sum();
            *a = d0d1.mul_add(sum as f32, *a);
        }
    }
    // hsum_float_8: (x0+x4 + x2+x6) + (x1+x5 + x3+x7).
    let r: [f32; 4] = std::array::from_fn(|i| acc[i + 4] + acc[i]);
    let low = r[0] + r[2];
    let high = r[1] + r[3];
    (low + high) + summs
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    pub use crate::simd::avx2_available as available;
    use crate::simd::hsum_float_8 as hsum;

    use super::{BlockQ8_1, Unsigned32};
    use crate::simd::prefetch_ahead;

    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot<W: Unsigned32>(x: &[W], y: &[BlockQ8_1]) -> f32 {
        let ones = _mm256_set1_epi16(1);
        let mut acc = _mm256_setzero_ps();
        let mut summs = 0f32;
        for (bx, by) in x.iter().zip(y) {
            prefetch_ahead(bx);
            summs = bx.m().to_f32().mul_add(by.s.to_f32(), summs);
            let d0d1 = _mm256_set1_ps(bx.d().to_f32() * by.d.to_f32());
            let weights = bx.register();
            let activations = _mm256_loadu_si256(by.qs.as_ptr().cast());
            // u8 x i8 pairs to i16 (at most 2 * 31 * 128: no saturation),
            // then pairs of those to i32: 8 lanes of 4 products each.
            let lanes = _mm256_madd_epi16(_mm256_maddubs_epi16(weights, activations), ones);
            acc = _mm256_fmadd_ps(d0d1, _mm256_cvtepi32_ps(lanes), acc);
        }
        hsum(acc) + summs
    }

    /// [`dot`] for four activation rows at once, each with its own
    /// accumulators in the same order of operations; fewer rows go one by
    /// one.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_tokens<W: Unsigned32>(x: &[W], ys: &[&[BlockQ8_1]], out: &mut [f32]) {
        let &[y0, y1, y2, y3] = ys else {
            for (o, y) in out.iter_mut().zip(ys) {
                *o = dot(x, y);
            }
            return;
        };
        let ones = _mm256_set1_epi16(1);
        let (mut a0, mut a1, mut a2, mut a3) = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps());
        let (mut s0, mut s1, mut s2, mut s3) = (0f32, 0f32, 0f32, 0f32);
        let n = x.len();
        assert!(y0.len() == n && y1.len() == n && y2.len() == n && y3.len() == n);
        for i in 0..n {
            // SAFETY: every slice has n blocks (asserted above).
            let bx = x.get_unchecked(i);
            let (d0, m) = (bx.d().to_f32(), bx.m().to_f32());
            let weights = bx.register();
            macro_rules! token {
                ($y:ident, $acc:ident, $summs:ident) => {{
                    let by = $y.get_unchecked(i);
                    $summs = m.mul_add(by.s.to_f32(), $summs);
                    let d0d1 = _mm256_set1_ps(d0 * by.d.to_f32());
                    let activations = _mm256_loadu_si256(by.qs.as_ptr().cast());
                    let lanes = _mm256_madd_epi16(_mm256_maddubs_epi16(weights, activations), ones);
                    $acc = _mm256_fmadd_ps(d0d1, _mm256_cvtepi32_ps(lanes), $acc);
                }};
            }
            token!(y0, a0, s0);
            token!(y1, a1, s1);
            token!(y2, a2, s2);
            token!(y3, a3, s3);
        }
        out[0] = hsum(a0) + s0;
        out[1] = hsum(a1) + s1;
        out[2] = hsum(a2) + s2;
        out[3] = hsum(a3) + s3;
    }
}

/// The f32 values of a block.
pub fn dequantize<W: Unsigned32>(block: &W) -> [f32; BLOCK] {
    let (d, m) = (block.d().to_f32(), block.m().to_f32());
    std::array::from_fn(|i| f32::from(block.quant(i)).mul_add(d, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(d: f32, m: f32, seed: u8) -> BlockQ4_1 {
        let qs = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(seed));
        BlockQ4_1 { d: f16::from_f32(d), m: f16::from_f32(m), qs }
    }

    #[test]
    fn activations_round_half_to_even_with_ggml_s_scale() {
        // max 127 makes the scale exactly 1: 2.5 and 3.5 are exact halves.
        let mut x = [0f32; BLOCK];
        x[0] = 127.0;
        x[1] = 2.5;
        x[2] = 3.5;
        x[3] = -2.5;
        let [b] = quantize_q8_1(&x)[..] else { panic!("one block") };
        assert_eq!(&b.qs[..4], &[127, 2, 4, -2]);
        assert_eq!(b.d.to_f32(), 1.0);
        assert_eq!(b.s.to_f32(), 131.0);
    }

    #[test]
    fn the_simd_kernel_gives_the_scalar_kernels_bits() {
        let weights: Vec<BlockQ4_1> = (0..40).map(|i| block(0.013 + i as f32 * 0.0007, -0.05 + i as f32 * 0.003, i as u8)).collect();
        let x: Vec<f32> = (0..40 * BLOCK).map(|i| (((i * 104729) % 1000) as f32 / 97.0).sin() * 3.0).collect();
        let activations = quantize_q8_1(&x);
        assert_eq!(dot(&weights, &activations).to_bits(), dot_scalar(&weights, &activations).to_bits());
    }

    #[test]
    fn several_tokens_at_once_give_each_tokens_own_bits() {
        let weights: Vec<BlockQ4_1> = (0..18).map(|i| block(0.02 + i as f32 * 0.0011, -0.06, i as u8 * 3)).collect();
        let rows: Vec<Vec<BlockQ8_1>> = (0..3)
            .map(|t| quantize_q8_1(&(0..18 * BLOCK).map(|i| ((i * 31 + t * 977) as f32 * 0.013).cos() * (t + 1) as f32).collect::<Vec<_>>()))
            .collect();
        let ys: Vec<&[BlockQ8_1]> = rows.iter().chain(&rows).map(Vec::as_slice).take(4).collect();
        let one_by_one: Vec<u32> = ys.iter().map(|y| dot(&weights, y).to_bits()).collect();
        let mut out = [0f32; 4];
        dot_tokens(&weights, &ys, &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one, "four at once");
        let mut out = [0f32; 3];
        dot_tokens(&weights, &ys[..3], &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one[..3], "a shorter group");
    }

    #[test]
    fn an_all_zero_block_stays_zero() {
        let [b] = quantize_q8_1(&[0.0; BLOCK])[..] else { panic!("one block") };
        assert_eq!((b.d.to_f32(), b.s.to_f32(), b.qs), (0.0, 0.0, [0; BLOCK]));
    }

    #[test]
    fn the_dot_product_is_the_blocks_arithmetic_and_close_to_f32() {
        let weights: Vec<BlockQ4_1> = (0..18).map(|i| block(0.01 + i as f32 * 0.001, -0.07, i as u8)).collect();
        let x: Vec<f32> = (0..18 * BLOCK).map(|i| ((i * 7919) % 200) as f32 / 50.0 - 2.0).collect();
        let activations = quantize_q8_1(&x);
        let ours = dot(&weights, &activations);
        // The same formula in f64: only float rounding may differ.
        let blocks: f64 = weights
            .iter()
            .zip(&activations)
            .map(|(w, a)| {
                let q: i64 = (0..BLOCK)
                    .map(|i| i64::from(if i < 16 { w.qs[i] & 0x0F } else { w.qs[i - 16] >> 4 }) * i64::from(a.qs[i]))
                    .sum();
                f64::from(w.d.to_f32()) * f64::from(a.d.to_f32()) * q as f64 + f64::from(w.m.to_f32()) * f64::from(a.s.to_f32())
            })
            .sum();
        assert!((f64::from(ours) - blocks).abs() < 1e-5 * blocks.abs().max(1.0), "{ours} vs {blocks}");
        // And near the dot product of the unquantized activations: within
        // 8-bit quantization error of the terms' size.
        let terms: Vec<f32> = weights.iter().flat_map(dequantize).zip(&x).map(|(w, v)| w * v).collect();
        let (exact, size) = (terms.iter().sum::<f32>(), terms.iter().map(|t| t.abs()).sum::<f32>());
        assert!((ours - exact).abs() < 0.01 * size, "{ours} vs {exact} (terms' size {size})");
    }

    #[test]
    fn q5_1_weights_have_the_same_arithmetic_with_their_fifth_bit() {
        use candle_core::quantized::k_quants::GgmlType;
        let n = 12;
        let x: Vec<f32> = (0..n * BLOCK).map(|i| (((i * 7919) % 2003) as f32 / 211.0).sin() * 1.7 + 0.2).collect();
        let mut candle = vec![candle_core::quantized::k_quants::BlockQ5_1::zeros(); n];
        candle_core::quantized::k_quants::BlockQ5_1::from_float(&x, &mut candle);
        assert_eq!(std::mem::size_of_val(&candle[..]), n * std::mem::size_of::<BlockQ5_1>());
        // SAFETY: ggml's block_q5_1 on both sides (d, m, qh, qs; sizes
        // checked just above), any bit pattern valid.
        let weights: &[BlockQ5_1] = unsafe { std::slice::from_raw_parts(candle.as_ptr().cast(), n) };
        let mut theirs = vec![0f32; n * BLOCK];
        candle_core::quantized::k_quants::BlockQ5_1::to_float(&candle, &mut theirs);
        let ours: Vec<f32> = weights.iter().flat_map(dequantize).collect();
        assert_eq!(ours, theirs, "the same weights as candle reads them");
        let rows: Vec<Vec<BlockQ8_1>> =
            (0..4).map(|t| quantize_q8_1(&(0..n * BLOCK).map(|i| ((i * 31 + t * 977) as f32 * 0.013).cos()).collect::<Vec<_>>())).collect();
        let ys: Vec<&[BlockQ8_1]> = rows.iter().map(Vec::as_slice).collect();
        let one_by_one: Vec<u32> = ys.iter().map(|y| dot(weights, y).to_bits()).collect();
        let scalar: Vec<u32> = ys.iter().map(|y| dot_scalar(weights, y).to_bits()).collect();
        assert_eq!(one_by_one, scalar, "SIMD and scalar");
        let mut out = [0f32; 4];
        dot_tokens(weights, &ys, &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one, "four at once");
        let exact: f32 = ours.iter().zip((0..n * BLOCK).map(|i| ((i * 31) as f32 * 0.013).cos())).map(|(w, v)| w * v).sum();
        let ours = f32::from_bits(one_by_one[0]);
        assert!((ours - exact).abs() < 0.01 * exact.abs().max(1.0), "{ours} vs {exact}");
    }
}
