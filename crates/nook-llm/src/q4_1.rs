//! Q4_1 weights times activations quantized to Q8_1, computed as ggml's
//! AVX2 code computes them, bit for bit: the first piece of Nook's own
//! decoder (candle 0.11 rounds Q8_1 blocks differently, and SmolLM2's
//! weights are all Q4_1; see docs/research/chat-runtime.md).
//!
//! The integer parts are exact in any order, and the float steps follow
//! ggml's order (8 lanes, fused multiply-adds, the same horizontal sum; the
//! `m * s` sum is fused too, as GCC compiles ggml). The AVX2 version and the
//! scalar one give the same bits (tested).

use half::f16;

pub const BLOCK: usize = 32;

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

/// ggml's `ggml_vec_dot_q4_1_q8_1` (AVX2 path).
pub fn dot(x: &[BlockQ4_1], y: &[BlockQ8_1]) -> f32 {
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
pub fn dot_tokens(x: &[BlockQ4_1], ys: &[&[BlockQ8_1]], out: &mut [f32]) {
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

fn dot_scalar(x: &[BlockQ4_1], y: &[BlockQ8_1]) -> f32 {
    let mut acc = [0f32; 8];
    let mut summs = 0f32;
    for (bx, by) in x.iter().zip(y) {
        let (d0, d1) = (bx.d.to_f32(), by.d.to_f32());
        summs = bx.m.to_f32().mul_add(by.s.to_f32(), summs);
        let d0d1 = d0 * d1;
        // bytes_from_nibbles_32: low nibbles are weights 0..16, high 16..32.
        let weight = |i: usize| i32::from(if i < 16 { bx.qs[i] & 0x0F } else { bx.qs[i - 16] >> 4 });
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

    use super::{BlockQ4_1, BlockQ8_1};

    /// # Safety
    /// The CPU must have AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot(x: &[BlockQ4_1], y: &[BlockQ8_1]) -> f32 {
        let low_nibbles = _mm256_set1_epi8(0x0F);
        let ones = _mm256_set1_epi16(1);
        let mut acc = _mm256_setzero_ps();
        let mut summs = 0f32;
        for (bx, by) in x.iter().zip(y) {
            summs = bx.m.to_f32().mul_add(by.s.to_f32(), summs);
            let d0d1 = _mm256_set1_ps(bx.d.to_f32() * by.d.to_f32());
            // Weights 0..16 from the low nibbles, 16..32 from the high ones.
            let packed = _mm_loadu_si128(bx.qs.as_ptr().cast());
            let weights = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), low_nibbles);
            let activations = _mm256_loadu_si256(by.qs.as_ptr().cast());
            // u8 x i8 pairs to i16 (at most 2 * 15 * 128: no saturation),
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
    pub unsafe fn dot_tokens(x: &[BlockQ4_1], ys: &[&[BlockQ8_1]], out: &mut [f32]) {
        let &[y0, y1, y2, y3] = ys else {
            for (o, y) in out.iter_mut().zip(ys) {
                *o = dot(x, y);
            }
            return;
        };
        let low_nibbles = _mm256_set1_epi8(0x0F);
        let ones = _mm256_set1_epi16(1);
        let (mut a0, mut a1, mut a2, mut a3) = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps());
        let (mut s0, mut s1, mut s2, mut s3) = (0f32, 0f32, 0f32, 0f32);
        let n = x.len();
        assert!(y0.len() == n && y1.len() == n && y2.len() == n && y3.len() == n);
        for i in 0..n {
            // SAFETY: every slice has n blocks (asserted above).
            let bx = x.get_unchecked(i);
            let (d0, m) = (bx.d.to_f32(), bx.m.to_f32());
            let packed = _mm_loadu_si128(bx.qs.as_ptr().cast());
            let weights = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), low_nibbles);
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

/// The f32 values of a Q4_1 block.
pub fn dequantize(block: &BlockQ4_1) -> [f32; BLOCK] {
    let (d, m) = (block.d.to_f32(), block.m.to_f32());
    std::array::from_fn(|i| {
        let q = if i < 16 { block.qs[i] & 0x0F } else { block.qs[i - 16] >> 4 };
        f32::from(q).mul_add(d, m)
    })
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
}
