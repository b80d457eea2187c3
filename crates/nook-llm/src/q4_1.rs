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

/// A Q8_1 activation block as the prompt kernel reads it: its values, and
/// its scale and `s` as f32 (converted once per input, not once per row).
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Acts {
    qs: [i8; BLOCK],
    d: f32,
    s: f32,
}

/// `blocks` made ready for [`dot_rows`].
pub fn prepare(blocks: &[BlockQ8_1]) -> Vec<Acts> {
    blocks.iter().map(|b| Acts { qs: b.qs, d: b.d.to_f32(), s: b.s.to_f32() }).collect()
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

/// [`dot`] of `R` weight rows (`out[r]` gets row `r`'s) with up to
/// [`TOKENS`] tokens' activations, [`prepare`]d: each weight block is
/// unpacked once for all the tokens, each token's blocks read once for all
/// the rows, and every result has the bits `dot` gives.
pub fn dot_rows<W: Unsigned32, const R: usize>(xs: [&[W]; R], ys: &[&[Acts]], out: [&mut [f32]; R]) {
    assert!(ys.len() <= TOKENS && out.iter().all(|o| o.len() == ys.len()));
    assert!(xs.iter().all(|x| x.len() == xs[0].len()) && ys.iter().all(|y| y.len() == xs[0].len()));
    #[cfg(target_arch = "x86_64")]
    if avx2::available() {
        let with = crate::simd::Instructions::best();
        // SAFETY: the CPU has AVX2 and FMA (checked just above), and what
        // `best` found; every row and token has as many blocks (asserted).
        unsafe {
            match ys {
                [a] => avx2::dot_rows::<W, R, 1>(xs, [a], out, with),
                [a, b] => avx2::dot_rows::<W, R, 2>(xs, [a, b], out, with),
                [a, b, c] => avx2::dot_rows::<W, R, 3>(xs, [a, b, c], out, with),
                [a, b, c, d] => avx2::dot_rows::<W, R, 4>(xs, [a, b, c, d], out, with),
                _ => {}
            }
        }
        return;
    }
    for (x, out) in xs.iter().zip(out) {
        for (o, y) in out.iter_mut().zip(ys) {
            let blocks: Vec<BlockQ8_1> = y.iter().map(|a| BlockQ8_1 { d: f16::from_f32(a.d), s: f16::from_f32(a.s), qs: a.qs }).collect();
            *o = dot_scalar(x, &blocks);
        }
    }
}

/// Tokens [`dot_rows`] takes at once.
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

    use super::{Acts, BlockQ8_1, Unsigned32};
    use crate::simd::Instructions;
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

    /// `N` tokens' products with `R` weight rows, each in `dot`'s order of
    /// operations (the `m · s` sums of four tokens side by side in one
    /// register: each lane its own fused multiply-add, as `dot`'s).
    ///
    /// # Safety
    /// The CPU must have AVX2, FMA and `with`, and every row and every
    /// `ys[t]` as many blocks as `xs[0]`.
    #[inline(always)]
    pub unsafe fn dot_rows<W: Unsigned32, const R: usize, const N: usize>(xs: [&[W]; R], ys: [&[Acts]; N], out: [&mut [f32]; R], with: Instructions) {
        match with {
            Instructions::Avx2 => rows_avx2(xs, ys, out),
            Instructions::Vnni => rows_vnni(xs, ys, out),
            Instructions::Avx512 => rows_32_registers(xs, ys, out),
        }
    }

    #[target_feature(enable = "avx2,fma")]
    unsafe fn rows_avx2<W: Unsigned32, const R: usize, const N: usize>(xs: [&[W]; R], ys: [&[Acts]; N], out: [&mut [f32]; R]) {
        let ones = _mm256_set1_epi16(1);
        // u8 x i8 pairs to i16 (at most 2 * 31 * 128: no saturation), then
        // pairs of those to i32: 8 lanes of 4 products each.
        rows_with(xs, ys, out, |a, b| _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), ones))
    }

    #[target_feature(enable = "avx2,fma,avxvnni")]
    unsafe fn rows_vnni<W: Unsigned32, const R: usize, const N: usize>(xs: [&[W]; R], ys: [&[Acts]; N], out: [&mut [f32]; R]) {
        rows_with(xs, ys, out, |a, b| _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), a, b))
    }

    #[target_feature(enable = "avx2,fma,avxvnni,avx512f,avx512vl,avx512bw,avx512vnni")]
    unsafe fn rows_32_registers<W: Unsigned32, const R: usize, const N: usize>(xs: [&[W]; R], ys: [&[Acts]; N], out: [&mut [f32]; R]) {
        rows_with(xs, ys, out, |a, b| _mm256_dpbusd_epi32(_mm256_setzero_si256(), a, b))
    }

    #[inline(always)]
    unsafe fn rows_with<W: Unsigned32, const R: usize, const N: usize>(
        xs: [&[W]; R],
        ys: [&[Acts]; N],
        out: [&mut [f32]; R],
        lanes: impl Fn(__m256i, __m256i) -> __m256i,
    ) {
        let mut acc = [[_mm256_setzero_ps(); N]; R];
        let mut summs = [_mm_setzero_ps(); R];
        for i in 0..xs[0].len() {
            let bx: [&W; R] = std::array::from_fn(|r| xs[r].get_unchecked(i));
            if N == 1 {
                for x in bx {
                    prefetch_ahead(x);
                }
            }
            let weights: [__m256i; R] = std::array::from_fn(|r| bx[r].register());
            let d0: [__m256; R] = std::array::from_fn(|r| _mm256_set1_ps(bx[r].d().to_f32()));
            let s: [f32; 4] = std::array::from_fn(|t| if t < N { ys[t].get_unchecked(i).s } else { 0.0 });
            let s = _mm_loadu_ps(s.as_ptr());
            for r in 0..R {
                summs[r] = _mm_fmadd_ps(_mm_set1_ps(bx[r].m().to_f32()), s, summs[r]);
            }
            for t in 0..N {
                let y = ys[t].get_unchecked(i);
                let activations = _mm256_loadu_si256(y.qs.as_ptr().cast());
                let d1 = _mm256_broadcast_ss(&y.d);
                for r in 0..R {
                    let lanes = lanes(weights[r], activations);
                    acc[r][t] = _mm256_fmadd_ps(_mm256_mul_ps(d0[r], d1), _mm256_cvtepi32_ps(lanes), acc[r][t]);
                }
            }
        }
        for r in 0..R {
            let mut m = [0f32; 4];
            _mm_storeu_ps(m.as_mut_ptr(), summs[r]);
            for t in 0..N {
                out[r][t] = hsum(acc[r][t]) + m[t];
            }
        }
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

    /// The prompt kernel for one row (and for two, the same row twice, with
    /// every instruction set the CPU has), each result checked equal.
    fn dot_tokens<W: Unsigned32>(x: &[W], ys: &[&[BlockQ8_1]], out: &mut [f32]) {
        let prepared: Vec<Vec<Acts>> = ys.iter().map(|y| prepare(y)).collect();
        let ys: Vec<&[Acts]> = prepared.iter().map(Vec::as_slice).collect();
        dot_rows([x], &ys, [&mut *out]);
        #[cfg(target_arch = "x86_64")]
        if avx2::available() {
            for with in crate::simd::Instructions::available() {
                let (mut a, mut b) = (vec![0f32; ys.len()], vec![0f32; ys.len()]);
                // SAFETY: AVX2 and FMA checked, the others listed by the CPU;
                // as many blocks everywhere.
                unsafe {
                    match &ys[..] {
                        [p] => avx2::dot_rows::<W, 2, 1>([x, x], [p], [&mut a, &mut b], with),
                        [p, q, r] => avx2::dot_rows::<W, 2, 3>([x, x], [p, q, r], [&mut a, &mut b], with),
                        [p, q, r, s] => avx2::dot_rows::<W, 2, 4>([x, x], [p, q, r, s], [&mut a, &mut b], with),
                        _ => unreachable!("the tests use 1, 3 or 4 tokens"),
                    }
                }
                assert_eq!((a.clone(), b), (out.to_vec(), out.to_vec()), "two rows, {with:?}");
            }
        }
    }

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
