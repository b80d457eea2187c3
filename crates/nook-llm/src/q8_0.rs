//! Weights in 32-value blocks with one f16 scale — Q4_0, Q5_0 and Q8_0 —
//! times activations quantized to Q8_0, computed as ggml's AVX2 code
//! computes them, bit for bit (candle's Q4_0 and Q5_0 products are scalar,
//! in another order). Q5_0 and Q8_0 are what llama.cpp's K-quant files use
//! for matrices whose rows are not whole 256-value blocks (every matrix
//! that reads Qwen2.5-0.5B's 896 or gemma-3-270m's 640 values), Q4_0 and
//! Q8_0 whole files.
//!
//! Each block's products of pairs are summed to 8 lanes of four (integers:
//! exact in any order), scaled by the two blocks' scales into 8 float
//! accumulators with fused multiply-adds, then summed as ggml's
//! `hsum_float_8`. ggml makes the weights' signs the activations' before
//! multiplying; Q4_0 and Q5_0 weights are stored as unsigned numbers minus
//! an offset (8, 16), so here they are multiplied unsigned and the offset
//! times the activations' lane sums, made once per input ([`Acts`]), is
//! taken off: the same integers with two instructions fewer per token and
//! block. [`dot_tokens`] unpacks each weight block once for up to
//! [`TOKENS`] tokens, with each token's own accumulators, so every result
//! has the bits of the one-token product. [`dot_group`] reads [`GROUP`]
//! prompt tokens at once, each token's block sums kept in integers and
//! gathered into one register, a token a lane, so each block's float step
//! is made once for the eight: the one-token products but for the order of
//! the float sums.

use candle_core::quantized::k_quants::{BlockQ4_0, BlockQ5_0, BlockQ8_0};
use half::f16;

use crate::simd::{nibble, Instructions};

const BLOCK: usize = 32;

/// Tokens [`dot_tokens`] takes at once.
pub const TOKENS: usize = 4;

/// A weight type of this family, in ggml's layout (candle's blocks keep
/// their fields to themselves; these mirror them, checked by size).
pub trait Block32: Sized {
    /// candle's block of this type.
    type Candle;
    /// What is added to each weight to store it unsigned; 0 for weights
    /// stored signed.
    const OFFSET: i32;
    fn scale(&self) -> f32;
    /// The block's 32 weights as signed integers (the scale apart).
    fn values(&self) -> [i8; BLOCK];
    /// The same as an AVX2 register.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i;
    /// The weights plus [`Self::OFFSET`], as unsigned bytes (types with
    /// an offset only).
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    unsafe fn unsigned_register(&self) -> std::arch::x86_64::__m256i {
        unreachable!("a type stored signed has no unsigned form")
    }
}

#[repr(C)]
pub struct Q4_0 {
    d: f16,
    qs: [u8; BLOCK / 2],
}

#[repr(C)]
pub struct Q5_0 {
    d: f16,
    qh: [u8; 4],
    qs: [u8; BLOCK / 2],
}

/// Also the activations' type.
#[repr(C)]
pub struct Q8_0 {
    d: f16,
    qs: [i8; BLOCK],
}

const _: () = assert!(std::mem::size_of::<Q4_0>() == std::mem::size_of::<BlockQ4_0>());
const _: () = assert!(std::mem::size_of::<Q5_0>() == std::mem::size_of::<BlockQ5_0>());
const _: () = assert!(std::mem::size_of::<Q8_0>() == std::mem::size_of::<BlockQ8_0>());
const _: () = assert!(std::mem::align_of::<Q4_0>() == std::mem::align_of::<BlockQ4_0>());
const _: () = assert!(std::mem::align_of::<Q5_0>() == std::mem::align_of::<BlockQ5_0>());
const _: () = assert!(std::mem::align_of::<Q8_0>() == std::mem::align_of::<BlockQ8_0>());

/// candle's blocks as this module's (the same `repr(C)` fields in ggml's
/// order, size and alignment asserted above; any bit pattern is valid).
pub fn view<B: Block32>(blocks: &[B::Candle]) -> &[B] {
    assert_eq!(std::mem::size_of::<B>(), std::mem::size_of::<B::Candle>());
    assert_eq!(std::mem::align_of::<B>(), std::mem::align_of::<B::Candle>());
    // SAFETY: see above.
    unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast(), blocks.len()) }
}

impl Block32 for Q4_0 {
    type Candle = BlockQ4_0;
    const OFFSET: i32 = 8;
    fn scale(&self) -> f32 {
        self.d.to_f32()
    }
    fn values(&self) -> [i8; BLOCK] {
        std::array::from_fn(|i| nibble(&self.qs, i) as i8 - 8)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i {
        use std::arch::x86_64::*;
        _mm256_sub_epi8(avx2::nibbles(&self.qs), _mm256_set1_epi8(8))
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn unsigned_register(&self) -> std::arch::x86_64::__m256i {
        avx2::nibbles(&self.qs)
    }
}

impl Block32 for Q5_0 {
    type Candle = BlockQ5_0;
    const OFFSET: i32 = 16;
    fn scale(&self) -> f32 {
        self.d.to_f32()
    }
    fn values(&self) -> [i8; BLOCK] {
        let high = u32::from_le_bytes(self.qh);
        std::array::from_fn(|i| (nibble(&self.qs, i) | (((high >> i) & 1) as u8) << 4) as i8 - 16)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i {
        use std::arch::x86_64::*;
        // ggml: 0xF0 where the fifth bit is clear, or-ed into the nibble,
        // is the value minus 16 as a signed byte.
        let high = _mm256_andnot_si256(avx2::bits(&self.qh), _mm256_set1_epi8(0xF0u8 as i8));
        _mm256_or_si256(avx2::nibbles(&self.qs), high)
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn unsigned_register(&self) -> std::arch::x86_64::__m256i {
        use std::arch::x86_64::*;
        let high = _mm256_and_si256(avx2::bits(&self.qh), _mm256_set1_epi8(0x10));
        _mm256_or_si256(avx2::nibbles(&self.qs), high)
    }
}

impl Block32 for Q8_0 {
    type Candle = BlockQ8_0;
    const OFFSET: i32 = 0;
    fn scale(&self) -> f32 {
        self.d.to_f32()
    }
    fn values(&self) -> [i8; BLOCK] {
        self.qs
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn register(&self) -> std::arch::x86_64::__m256i {
        use std::arch::x86_64::*;
        _mm256_loadu_si256(self.qs.as_ptr().cast())
    }
}

/// An activation block as the kernels read it: its values, its scale as
/// f32, and for weights stored with an offset, minus that offset times the
/// sum of each four of its values (the lanes of ggml's
/// `mul_sum_i8_pairs_float`). One token's blocks are one slice, so a
/// kernel follows one pointer a token.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct Acts {
    qs: [i8; BLOCK],
    less_offset: [i32; 8],
    d: f32,
}

/// `blocks` made ready for weights stored with `offset` (see
/// [`Block32::OFFSET`]).
pub fn prepare(blocks: &[Q8_0], offset: i32) -> Vec<Acts> {
    blocks
        .iter()
        .map(|b| Acts {
            qs: b.qs,
            less_offset: std::array::from_fn(|l| -offset * b.qs[4 * l..4 * l + 4].iter().map(|&q| i32::from(q)).sum::<i32>()),
            d: b.scale(),
        })
        .collect()
}

/// ggml's `ggml_vec_dot_q{4,5,8}_0_q8_0` (AVX2 path): one token's
/// product, as the tests check it.
#[cfg(test)]
pub fn dot<B: Block32>(x: &[B], y: &[Q8_0]) -> f32 {
    let y = prepare(y, B::OFFSET);
    let mut out = [0f32];
    dot_tokens(x, &[&y], &mut out);
    out[0]
}

/// One weight row times up to [`TOKENS`] tokens' activations, [`prepare`]d
/// for `B` (`ys[t]` gives `out[t]`): each weight block is unpacked once for
/// all of them, and every result has the bits of the one-token product.
pub fn dot_tokens<B: Block32>(x: &[B], ys: &[&[Acts]], out: &mut [f32]) {
    dot_rows::<B, 1>([x], ys, [out]);
}

/// [`dot_tokens`] for `R` weight rows at once (`out[r]` gets row `r`'s):
/// each token's blocks are read once for all of them.
pub fn dot_rows<B: Block32, const R: usize>(xs: [&[B]; R], ys: &[&[Acts]], out: [&mut [f32]; R]) {
    assert!(ys.len() <= TOKENS && out.iter().all(|o| o.len() == ys.len()));
    assert!(xs.iter().all(|x| x.len() == xs[0].len()) && ys.iter().all(|y| y.len() == xs[0].len()));
    #[cfg(target_arch = "x86_64")]
    if crate::simd::avx2_available() {
        let with = Instructions::best();
        // SAFETY: the CPU has AVX2 and FMA (checked just above), and what
        // `best` found; every row and token has as many blocks (asserted).
        unsafe {
            match ys {
                [a] => avx2::dot::<B, R, 1>(xs, [a], out, with),
                [a, b] => avx2::dot::<B, R, 2>(xs, [a, b], out, with),
                [a, b, c] => avx2::dot::<B, R, 3>(xs, [a, b, c], out, with),
                [a, b, c, d] => avx2::dot::<B, R, 4>(xs, [a, b, c, d], out, with),
                _ => {}
            }
        }
        return;
    }
    for (x, out) in xs.iter().zip(out) {
        for (o, y) in out.iter_mut().zip(ys) {
            *o = dot_scalar(x, y);
        }
    }
}

/// Tokens [`dot_group`] reads at once.
pub const GROUP: usize = crate::k_quants::GROUP;

/// What [`dot_group`] needs of [`GROUP`] tokens' activation blocks besides
/// their values: their scales, and for weights stored with an offset, minus
/// that offset times the sum of their values, side by side.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
pub struct GroupBlock {
    d: [f32; GROUP],
    less_offset: [i32; GROUP],
}

/// [`GroupBlock`]s of the tokens `ys` ([`prepare`]d, as many blocks each),
/// block by block.
pub fn group_blocks(ys: [&[Acts]; GROUP]) -> Vec<GroupBlock> {
    (0..ys[0].len())
        .map(|i| GroupBlock { d: ys.map(|y| y[i].d), less_offset: ys.map(|y| y[i].less_offset.iter().sum()) })
        .collect()
}

/// One weight row times [`GROUP`] tokens' activations, [`prepare`]d for
/// `B` (`ys[t]` gives `out[t]`), with their [`GroupBlock`]s `groups`.
pub fn dot_group<B: Block32>(x: &[B], ys: [&[Acts]; GROUP], groups: &[GroupBlock], out: &mut [f32; GROUP]) {
    assert!(ys.iter().all(|y| y.len() == x.len()) && groups.len() == x.len());
    #[cfg(target_arch = "x86_64")]
    if crate::simd::avx2_available() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above), and what
        // `best` found; every slice has x.len() blocks (asserted).
        unsafe { avx2::dot_group(x, ys, groups, out, Instructions::best()) };
        return;
    }
    for (o, y) in out.iter_mut().zip(ys) {
        *o = dot_scalar(x, y);
    }
}

/// The product without SIMD, in the same order of float operations.
fn dot_scalar<B: Block32>(x: &[B], y: &[Acts]) -> f32 {
    let mut acc = [0f32; 8];
    for (bx, by) in x.iter().zip(y) {
        let d = bx.scale() * by.d;
        let values = bx.values();
        for (lane, a) in acc.iter_mut().enumerate() {
            let sum: i32 = (4 * lane..4 * lane + 4).map(|i| i32::from(values[i]) * i32::from(by.qs[i])).sum();
            *a = d.mul_add(sum as f32, *a);
        }
    }
    // hsum_float_8: (x0+x4 + x2+x6) + (x1+x5 + x3+x7).
    let r: [f32; 4] = std::array::from_fn(|i| acc[i + 4] + acc[i]);
    (r[0] + r[2]) + (r[1] + r[3])
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use crate::simd::{hsum_float_8 as hsum, lane_sums, prefetch_ahead};

    pub use crate::simd::{bits, nibbles, Instructions};

    use super::{Acts, Block32, GroupBlock, GROUP};

    /// `N` tokens' products with `R` weight rows, each as ggml's
    /// `mul_sum_i8_pairs_float` and fused multiply-add compute it (`out[r]`
    /// gets row `r`'s).
    ///
    /// # Safety
    /// The CPU must have AVX2, FMA and `with`, and every row and every
    /// `ys[t]` as many blocks as `xs[0]`, prepared for `B`.
    #[inline(always)]
    pub unsafe fn dot<B: Block32, const R: usize, const N: usize>(xs: [&[B]; R], ys: [&[Acts]; N], out: [&mut [f32]; R], with: Instructions) {
        match with {
            Instructions::Avx2 => dot_avx2(xs, ys, out),
            Instructions::Vnni => dot_vnni(xs, ys, out),
            Instructions::Avx512 => dot_vnni_32_registers(xs, ys, out),
        }
    }

    /// [`dot_vnni`] where AVX-512 gives the same 256-bit instructions 32
    /// registers instead of 16: two rows' and four tokens' accumulators,
    /// Q5_0's unpacking constants and the activations all stay in them.
    #[target_feature(enable = "avx2,fma,avxvnni,avx512f,avx512vl,avx512bw,avx512vnni")]
    unsafe fn dot_vnni_32_registers<B: Block32, const R: usize, const N: usize>(xs: [&[B]; R], ys: [&[Acts]; N], out: [&mut [f32]; R]) {
        dot_with(xs, ys, out, |acc, a, b| _mm256_dpbusd_epi32(acc, a, b))
    }

    #[target_feature(enable = "avx2,fma")]
    unsafe fn dot_avx2<B: Block32, const R: usize, const N: usize>(xs: [&[B]; R], ys: [&[Acts]; N], out: [&mut [f32]; R]) {
        let ones = _mm256_set1_epi16(1);
        // maddubs then madd: pairs to 16 bits, then to 8 lanes of four.
        dot_with(xs, ys, out, |acc, a, b| _mm256_add_epi32(acc, _mm256_madd_epi16(ones, _mm256_maddubs_epi16(a, b))))
    }

    #[target_feature(enable = "avx2,fma,avxvnni")]
    unsafe fn dot_vnni<B: Block32, const R: usize, const N: usize>(xs: [&[B]; R], ys: [&[Acts]; N], out: [&mut [f32]; R]) {
        dot_with(xs, ys, out, |acc, a, b| _mm256_dpbusd_avx_epi32(acc, a, b))
    }

    /// [`GROUP`] tokens' products with one weight row ([`super::dot_group`]).
    ///
    /// # Safety
    /// The CPU must have AVX2, FMA and `with`, and every `ys[t]` and
    /// `groups` as many blocks as `x`, prepared for `B`.
    pub unsafe fn dot_group<B: Block32>(x: &[B], ys: [&[Acts]; GROUP], groups: &[GroupBlock], out: &mut [f32; GROUP], with: Instructions) {
        match with {
            Instructions::Avx2 => group_avx2(x, ys, groups, out),
            Instructions::Vnni => group_vnni(x, ys, groups, out),
            Instructions::Avx512 => group_vnni_32_registers(x, ys, groups, out),
        }
    }

    #[target_feature(enable = "avx2,fma")]
    unsafe fn group_avx2<B: Block32>(x: &[B], ys: [&[Acts]; GROUP], groups: &[GroupBlock], out: &mut [f32; GROUP]) {
        let ones = _mm256_set1_epi16(1);
        group_with(x, ys, groups, out, |a, b| _mm256_madd_epi16(ones, _mm256_maddubs_epi16(a, b)))
    }

    #[target_feature(enable = "avx2,fma,avxvnni")]
    unsafe fn group_vnni<B: Block32>(x: &[B], ys: [&[Acts]; GROUP], groups: &[GroupBlock], out: &mut [f32; GROUP]) {
        group_with(x, ys, groups, out, |a, b| _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), a, b))
    }

    #[target_feature(enable = "avx2,fma,avxvnni,avx512f,avx512vl,avx512bw,avx512vnni")]
    unsafe fn group_vnni_32_registers<B: Block32>(x: &[B], ys: [&[Acts]; GROUP], groups: &[GroupBlock], out: &mut [f32; GROUP]) {
        group_with(x, ys, groups, out, |a, b| _mm256_dpbusd_epi32(_mm256_setzero_si256(), a, b))
    }

    /// The group kernel, with `lanes(a, b)` the products of `a`'s unsigned
    /// and `b`'s signed bytes, four to a lane: each token's block sum in
    /// integers, the eight gathered a token a lane, then one float step.
    #[inline(always)]
    unsafe fn group_with<B: Block32>(x: &[B], ys: [&[Acts]; GROUP], groups: &[GroupBlock], out: &mut [f32; GROUP], lanes: impl Fn(__m256i, __m256i) -> __m256i) {
        let mut acc = _mm256_setzero_ps();
        for (i, bx) in x.iter().enumerate() {
            let mut sums = [_mm256_setzero_si256(); GROUP];
            if B::OFFSET == 0 {
                let qx = bx.register();
                let ax = _mm256_sign_epi8(qx, qx);
                for t in 0..GROUP {
                    let qy = _mm256_loadu_si256(ys[t].get_unchecked(i).qs.as_ptr().cast());
                    sums[t] = lanes(ax, _mm256_sign_epi8(qy, qx));
                }
            } else {
                let ux = bx.unsigned_register();
                for t in 0..GROUP {
                    sums[t] = lanes(ux, _mm256_loadu_si256(ys[t].get_unchecked(i).qs.as_ptr().cast()));
                }
            }
            let group = groups.get_unchecked(i);
            // Zero for weights stored signed.
            let sums = _mm256_add_epi32(lane_sums(&sums), _mm256_load_si256(group.less_offset.as_ptr().cast()));
            let d = _mm256_mul_ps(_mm256_set1_ps(bx.scale()), _mm256_load_ps(group.d.as_ptr()));
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(sums), acc);
        }
        _mm256_storeu_ps(out.as_mut_ptr(), acc);
    }

    /// The kernel, with `lanes(acc, a, b)` adding the products of `a`'s
    /// unsigned and `b`'s signed bytes to `acc`, four to a lane. Each
    /// token's blocks are read once for the `R` rows.
    #[inline(always)]
    unsafe fn dot_with<B: Block32, const R: usize, const N: usize>(
        xs: [&[B]; R],
        ys: [&[Acts]; N],
        out: [&mut [f32]; R],
        lanes: impl Fn(__m256i, __m256i, __m256i) -> __m256i,
    ) {
        let mut acc = [[_mm256_setzero_ps(); N]; R];
        for i in 0..xs[0].len() {
            let bx: [&B; R] = std::array::from_fn(|r| xs[r].get_unchecked(i));
            if N == 1 {
                for x in bx {
                    prefetch_ahead(x);
                }
            }
            let dx: [__m256; R] = std::array::from_fn(|r| _mm256_set1_ps(bx[r].scale()));
            if B::OFFSET == 0 {
                let qx: [__m256i; R] = std::array::from_fn(|r| bx[r].register());
                // |x| as unsigned bytes, and y with x's signs: multiplied
                // as signed pairs (at most 2 · 128 · 127).
                let ax: [__m256i; R] = std::array::from_fn(|r| _mm256_sign_epi8(qx[r], qx[r]));
                for t in 0..N {
                    let y = ys[t].get_unchecked(i);
                    let qy = _mm256_loadu_si256(y.qs.as_ptr().cast());
                    let dy = _mm256_broadcast_ss(&y.d);
                    for r in 0..R {
                        let lanes = lanes(_mm256_setzero_si256(), ax[r], _mm256_sign_epi8(qy, qx[r]));
                        acc[r][t] = _mm256_fmadd_ps(_mm256_mul_ps(dx[r], dy), _mm256_cvtepi32_ps(lanes), acc[r][t]);
                    }
                }
            } else {
                // x + offset (at most 31) times y, less offset times y's
                // lane sums: the same lanes (at most 2 · 31 · 127 a pair).
                let ux: [__m256i; R] = std::array::from_fn(|r| bx[r].unsigned_register());
                for t in 0..N {
                    let y = ys[t].get_unchecked(i);
                    let qy = _mm256_loadu_si256(y.qs.as_ptr().cast());
                    let less = _mm256_loadu_si256(y.less_offset.as_ptr().cast());
                    let dy = _mm256_broadcast_ss(&y.d);
                    for r in 0..R {
                        let lanes = lanes(less, ux[r], qy);
                        acc[r][t] = _mm256_fmadd_ps(_mm256_mul_ps(dx[r], dy), _mm256_cvtepi32_ps(lanes), acc[r][t]);
                    }
                }
            }
        }
        for (acc, out) in acc.iter().zip(out) {
            for t in 0..N {
                out[t] = hsum(acc[t]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use candle_core::quantized::k_quants::{BlockQ4_0, BlockQ5_0, BlockQ8_0, GgmlType};

    use super::*;
    use crate::activations::quantize_q8_0;

    fn values(n: usize, seed: usize) -> Vec<f32> {
        (0..n).map(|i| (((i * 7919 + seed * 104729) % 2003) as f32 / 211.0).sin() * (1.0 + (i % 7) as f32 * 0.3)).collect()
    }

    /// For weights of type `C` (candle's) seen as `B`: the SIMD kernel has
    /// the scalar one's bits, four tokens at once each token's own, and
    /// the product is near candle's.
    fn check<B: Block32<Candle = C>, C: GgmlType<VecDotType = BlockQ8_0>>() {
        let blocks = 9;
        let mut weights = vec![C::zeros(); blocks];
        C::from_float(&values(blocks * BLOCK, 1), &mut weights);
        let rows: Vec<Vec<BlockQ8_0>> = (0..TOKENS).map(|t| quantize_q8_0(&values(blocks * BLOCK, 10 + t))).collect();
        let x = view::<B>(&weights);
        let ys: Vec<&[Q8_0]> = rows.iter().map(|r| view::<Q8_0>(r)).collect();
        let one_by_one: Vec<u32> = ys.iter().map(|y| dot(x, y).to_bits()).collect();
        let prepared: Vec<Vec<Acts>> = ys.iter().map(|y| prepare(y, B::OFFSET)).collect();
        let ys: Vec<&[Acts]> = prepared.iter().map(Vec::as_slice).collect();
        let scalar: Vec<u32> = ys.iter().map(|y| dot_scalar(x, y).to_bits()).collect();
        assert_eq!(one_by_one, scalar, "SIMD and scalar");
        #[cfg(target_arch = "x86_64")]
        if crate::simd::avx2_available() {
            for with in Instructions::available() {
                let (mut first, mut second) = ([0f32; TOKENS], [0f32; TOKENS]);
                // SAFETY: AVX2 and FMA checked, the others listed by the
                // CPU; as many blocks everywhere.
                unsafe { avx2::dot::<B, 2, TOKENS>([x, x], [ys[0], ys[1], ys[2], ys[3]], [&mut first, &mut second], with) };
                assert_eq!(first.map(f32::to_bits).to_vec(), one_by_one, "two rows, {with:?}");
                assert_eq!(second.map(f32::to_bits).to_vec(), one_by_one, "two rows, {with:?}");
            }
        }
        let mut out = [0f32; TOKENS];
        dot_tokens(x, &ys, &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one, "four at once");
        let mut out = [0f32; 3];
        dot_tokens(x, &ys[..3], &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one[..3], "a shorter group");
        for (t, row) in rows.iter().enumerate() {
            let candle = C::vec_dot(blocks * BLOCK, &weights, row);
            let ours = f32::from_bits(one_by_one[t]);
            assert!((ours - candle).abs() <= 1e-5 * candle.abs().max(1.0), "{ours} vs candle's {candle}");
        }
    }

    /// For weights of type `C` seen as `B`: eight tokens at once get each
    /// token's one-token product, but for the order of the float sums,
    /// with every instruction set the CPU has.
    fn check_group<B: Block32<Candle = C>, C: GgmlType<VecDotType = BlockQ8_0>>() {
        let blocks = 9;
        let mut weights = vec![C::zeros(); blocks];
        C::from_float(&values(blocks * BLOCK, 2), &mut weights);
        let x = view::<B>(&weights);
        let prepared: Vec<Vec<Acts>> = (0..GROUP).map(|t| prepare(view::<Q8_0>(&quantize_q8_0(&values(blocks * BLOCK, 20 + t))), B::OFFSET)).collect();
        let ys: [&[Acts]; GROUP] = std::array::from_fn(|t| prepared[t].as_slice());
        let one_by_one: Vec<f32> = ys.iter().map(|y| dot_scalar(x, y)).collect();
        let size: f32 = one_by_one.iter().map(|v| v.abs()).fold(1.0, f32::max);
        let groups = group_blocks(ys);
        let mut out = [0f32; GROUP];
        dot_group(x, ys, &groups, &mut out);
        let near = |out: &[f32; GROUP]| out.iter().zip(&one_by_one).all(|(a, b)| (a - b).abs() <= 1e-5 * size);
        assert!(near(&out), "{out:?} vs {one_by_one:?}");
        #[cfg(target_arch = "x86_64")]
        if crate::simd::avx2_available() {
            for with in Instructions::available() {
                // SAFETY: AVX2 and FMA checked, the others listed by the
                // CPU; as many blocks everywhere.
                unsafe { avx2::dot_group(x, ys, &groups, &mut out, with) };
                assert!(near(&out), "{with:?}: {out:?} vs {one_by_one:?}");
            }
        }
        assert!(out.windows(2).all(|w| w[0] != w[1]), "each token its own product: {out:?}");
    }

    #[test]
    fn eight_tokens_at_once_give_each_tokens_product() {
        check_group::<Q4_0, BlockQ4_0>();
        check_group::<Q5_0, BlockQ5_0>();
        check_group::<Q8_0, BlockQ8_0>();
    }

    #[test]
    fn q4_0_is_ggmls_arithmetic() {
        check::<Q4_0, BlockQ4_0>();
    }

    #[test]
    fn q5_0_is_ggmls_arithmetic() {
        check::<Q5_0, BlockQ5_0>();
    }

    #[test]
    fn q8_0_is_ggmls_arithmetic() {
        check::<Q8_0, BlockQ8_0>();
    }
}
