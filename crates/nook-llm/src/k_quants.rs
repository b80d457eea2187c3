//! Q4_K, Q5_K and Q6_K weights times activations quantized to Q8_K, one
//! token or several at a time: the kernels of Q4_K_M and Q5_K_M models
//! (most of their matrices are Q4_K or Q5_K, the rest Q6_K).
//!
//! One token's product is candle's (and ggml's) AVX2 `vec_dot_q4k_q8k`,
//! `vec_dot_q5k_q8k` or `vec_dot_q6k_q8k`, with the weights asked for ahead
//! of use. Reading a prompt, each weight block's scales are decoded and its
//! bits unpacked once for several tokens instead of once per token:
//!
//! - Q4_K and Q6_K, [`GROUP`] tokens at a time ([`dot_group`]): each
//!   token's sums are kept in integers over a block, and the float steps
//!   are made for the eight tokens in one register. The results are the
//!   one-token product's but for the order of the float sums (tested).
//! - Q5_K, and the tokens left over, up to [`TOKENS`] at a time
//!   ([`dot_tokens`]): each token keeps its own accumulators and the float
//!   steps their order, so every result has the bits of the one-token
//!   product (tested against candle's).

use candle_core::quantized::k_quants::{BlockQ4K, BlockQ5K, BlockQ6K, BlockQ8K, GgmlType};
use half::f16;

/// Values of a K-quant super-block.
const QK_K: usize = 256;

/// Tokens [`dot_tokens`] takes at once.
pub const TOKENS: usize = 4;

/// candle's `BlockQ4K`, whose fields candle keeps to itself, as ggml lays
/// it out: `w = d · scale · q − dmin · min` for each 32-value part, its
/// 6-bit scale and min packed in `scales`.
#[repr(C)]
struct Q4K {
    d: f16,
    dmin: f16,
    scales: [u8; 12],
    qs: [u8; QK_K / 2],
}

/// candle's `BlockQ5K`: Q4_K's layout with a fifth bit for each value in
/// `qh` (bit `k` of byte `i` for value `32k + i`).
#[repr(C)]
struct Q5K {
    d: f16,
    dmin: f16,
    scales: [u8; 12],
    qh: [u8; QK_K / 8],
    qs: [u8; QK_K / 2],
}

/// candle's `BlockQ6K`: `w = d · scale · (q − 32)` for each 16-value part,
/// `q` of 6 bits: 4 in `ql`, 2 in `qh`.
#[repr(C)]
struct Q6K {
    ql: [u8; QK_K / 2],
    qh: [u8; QK_K / 4],
    scales: [i8; QK_K / 16],
    d: f16,
}

/// candle's `BlockQ8K`: `x = d · q`, with the sums of each 16 `q`s.
#[repr(C)]
pub(crate) struct Q8K {
    d: f32,
    qs: [i8; QK_K],
    bsums: [i16; QK_K / 16],
}

const _: () = assert!(std::mem::size_of::<Q4K>() == std::mem::size_of::<BlockQ4K>());
const _: () = assert!(std::mem::size_of::<Q8K>() == std::mem::size_of::<BlockQ8K>());
const _: () = assert!(std::mem::align_of::<Q4K>() == std::mem::align_of::<BlockQ4K>());
const _: () = assert!(std::mem::align_of::<Q8K>() == std::mem::align_of::<BlockQ8K>());
const _: () = assert!(std::mem::size_of::<Q5K>() == std::mem::size_of::<BlockQ5K>());
const _: () = assert!(std::mem::align_of::<Q5K>() == std::mem::align_of::<BlockQ5K>());
const _: () = assert!(std::mem::size_of::<Q6K>() == std::mem::size_of::<BlockQ6K>());
const _: () = assert!(std::mem::align_of::<Q6K>() == std::mem::align_of::<BlockQ6K>());

fn weights(blocks: &[BlockQ4K]) -> &[Q4K] {
    // SAFETY: both are `repr(C)` with the same fields in the same order
    // (ggml's block_q4_K), so the same size and alignment (asserted above);
    // every bit pattern is valid for both.
    unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast(), blocks.len()) }
}

fn weights_q5k(blocks: &[BlockQ5K]) -> &[Q5K] {
    // SAFETY: as in `weights`, for ggml's block_q5_K.
    unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast(), blocks.len()) }
}

fn weights_q6k(blocks: &[BlockQ6K]) -> &[Q6K] {
    // SAFETY: as in `weights`, for ggml's block_q6_K.
    unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast(), blocks.len()) }
}

fn activations(blocks: &[BlockQ8K]) -> &[Q8K] {
    // SAFETY: as in `weights`, for ggml's block_q8_K.
    unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast(), blocks.len()) }
}

/// A K-quant type with a several-token kernel.
pub(crate) trait KQuant: GgmlType<VecDotType = BlockQ8K> {
    /// `N` tokens' products with the weight row `x`.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA, and every `ys[t]` as many blocks as
    /// `x`.
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_n<const N: usize>(x: &[Self], ys: [&[Q8K]; N], out: &mut [f32]);
}

impl KQuant for BlockQ4K {
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_n<const N: usize>(x: &[Self], ys: [&[Q8K]; N], out: &mut [f32]) {
        avx2::dot_q4k(weights(x), ys, out)
    }
}

impl KQuant for BlockQ5K {
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_n<const N: usize>(x: &[Self], ys: [&[Q8K]; N], out: &mut [f32]) {
        avx2::dot_q5k(weights_q5k(x), ys, out)
    }
}

impl KQuant for BlockQ6K {
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_n<const N: usize>(x: &[Self], ys: [&[Q8K]; N], out: &mut [f32]) {
        avx2::dot_q6k(weights_q6k(x), ys, out)
    }
}

/// One weight row `x` times up to [`TOKENS`] rows of activations (`ys[t]`
/// gives `out[t]`), each with the bits candle's one-token product gives.
pub(crate) fn dot_tokens<T: KQuant>(x: &[T], ys: &[&[BlockQ8K]], out: &mut [f32]) {
    assert!(ys.len() <= TOKENS && ys.len() == out.len());
    assert!(ys.iter().all(|y| y.len() == x.len()));
    #[cfg(target_arch = "x86_64")]
    if crate::simd::avx2_available() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above); every
        // slice has x.len() blocks (asserted above).
        unsafe {
            match ys {
                [a] => T::dot_n(x, [activations(a)], out),
                [a, b] => T::dot_n(x, [activations(a), activations(b)], out),
                [a, b, c] => T::dot_n(x, [activations(a), activations(b), activations(c)], out),
                [a, b, c, d] => T::dot_n(x, [activations(a), activations(b), activations(c), activations(d)], out),
                _ => {}
            }
        }
        return;
    }
    for (o, y) in out.iter_mut().zip(ys) {
        *o = T::vec_dot(x.len() * QK_K, x, y);
    }
}

/// Tokens [`dot_group`] reads at once.
pub const GROUP: usize = 8;

/// What [`dot_group`] needs of [`GROUP`] tokens' activations at one block
/// besides their values: the tokens' scales side by side, and the sums of
/// their values by parts, two parts to a 32-bit lane, a token a lane
/// (`sums32[k]` holds parts `2k` and `2k + 1` of token 0, then of token 1,
/// …): the 32-value parts Q4_K's mins multiply, the 16-value parts Q6_K's
/// offset of 32 does.
#[repr(C, align(32))]
#[derive(Clone)]
pub(crate) struct GroupBlock {
    d: [f32; GROUP],
    sums32: [[i16; 2 * GROUP]; QK_K / 64],
    sums16: [[i16; 2 * GROUP]; QK_K / 32],
}

/// [`GroupBlock`]s of the tokens `ys` (as many blocks each), block by block.
pub(crate) fn group_blocks(ys: [&[BlockQ8K]; GROUP]) -> Vec<GroupBlock> {
    let ys = ys.map(activations);
    (0..ys[0].len())
        .map(|i| {
            let mut block = GroupBlock { d: [0.0; GROUP], sums32: [[0; 2 * GROUP]; QK_K / 64], sums16: [[0; 2 * GROUP]; QK_K / 32] };
            for (t, y) in ys.iter().enumerate() {
                let y = &y[i];
                block.d[t] = y.d;
                for (k, sums) in block.sums32.iter_mut().enumerate() {
                    for e in 0..2 {
                        let part = 2 * k + e;
                        sums[2 * t + e] = y.bsums[2 * part] + y.bsums[2 * part + 1];
                    }
                }
                for (k, sums) in block.sums16.iter_mut().enumerate() {
                    sums[2 * t..2 * t + 2].copy_from_slice(&y.bsums[2 * k..2 * k + 2]);
                }
            }
            block
        })
        .collect()
}

/// A K-quant type with a [`GROUP`]-token kernel.
pub(crate) trait Grouped: GgmlType<VecDotType = BlockQ8K> {
    /// [`dot_group`].
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA; every `ys[t]` and `blocks` as many
    /// blocks as `x`.
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_group_avx2(x: &[Self], ys: [&[Q8K]; GROUP], blocks: &[GroupBlock], out: &mut [f32; GROUP]);
}

impl Grouped for BlockQ4K {
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_group_avx2(x: &[Self], ys: [&[Q8K]; GROUP], blocks: &[GroupBlock], out: &mut [f32; GROUP]) {
        avx2::dot_q4k_group(weights(x), ys, blocks, out)
    }
}

impl Grouped for BlockQ6K {
    #[cfg(target_arch = "x86_64")]
    unsafe fn dot_group_avx2(x: &[Self], ys: [&[Q8K]; GROUP], blocks: &[GroupBlock], out: &mut [f32; GROUP]) {
        avx2::dot_q6k_group(weights_q6k(x), ys, blocks, out)
    }
}

/// One weight row `x` times [`GROUP`] tokens' activations `ys` (`ys[t]`
/// gives `out[t]`), with the tokens' [`GroupBlock`]s `blocks`.
pub(crate) fn dot_group<T: Grouped>(x: &[T], ys: [&[BlockQ8K]; GROUP], blocks: &[GroupBlock], out: &mut [f32; GROUP]) {
    assert!(ys.iter().all(|y| y.len() == x.len()) && blocks.len() == x.len());
    #[cfg(target_arch = "x86_64")]
    if crate::simd::avx2_available() {
        // SAFETY: the CPU has AVX2 and FMA (checked just above); every
        // slice has x.len() blocks (asserted above).
        unsafe { T::dot_group_avx2(x, ys.map(activations), blocks, out) };
        return;
    }
    for (o, y) in out.iter_mut().zip(ys) {
        *o = T::vec_dot(x.len() * QK_K, x, y);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use crate::simd::hsum_float_8 as hsum;

    use super::{GroupBlock, GROUP, Q4K, Q5K, Q6K, Q8K, QK_K};
    use crate::simd::{lane_sums, prefetch_ahead};

    /// The 6-bit scales and mins of a block, as ggml unpacks them: four
    /// u32s, the scales in the first two and the mins in the last two.
    fn scales_and_mins(packed: &[u8; 12]) -> [u32; 4] {
        const KMASK1: u32 = 0x3f3f3f3f;
        const KMASK2: u32 = 0x0f0f0f0f;
        const KMASK3: u32 = 0x03030303;
        let word = |i: usize| u32::from_le_bytes([packed[4 * i], packed[4 * i + 1], packed[4 * i + 2], packed[4 * i + 3]]);
        let (u0, u1, u2) = (word(0), word(1), word(2));
        [u0 & KMASK1, (u2 & KMASK2) | (((u0 >> 6) & KMASK3) << 4), u1 & KMASK1, ((u2 >> 4) & KMASK2) | (((u1 >> 6) & KMASK3) << 4)]
    }

    /// A Q4_K or Q5_K block's eight mins as 16-bit integers, and its eight
    /// scales twice over (for [`scale_shuffle`]).
    #[inline(always)]
    unsafe fn mins_and_scales(packed: &[u8; 12]) -> (__m128i, __m256i) {
        let u = scales_and_mins(packed);
        let both = _mm256_cvtepu8_epi16(_mm_set_epi32(u[3] as i32, u[2] as i32, u[1] as i32, u[0] as i32));
        let scales = _mm256_extracti128_si256(both, 0);
        (_mm256_extracti128_si256(both, 1), _mm256_set_m128i(scales, scales))
    }

    /// Each min times the sum of its 32 activations, in pairs: four
    /// 32-bit lanes.
    #[inline(always)]
    unsafe fn mins_times_sums(mins: __m128i, y: &Q8K) -> __m128i {
        let q8sums = _mm256_loadu_si256(y.bsums.as_ptr().cast());
        let q8s = _mm_hadd_epi16(_mm256_extracti128_si256(q8sums, 0), _mm256_extracti128_si256(q8sums, 1));
        _mm_madd_epi16(mins, q8s)
    }

    /// The shuffle that spreads scale `i` (a pair of bytes of the 16-bit
    /// scales) over a whole register: ggml's `get_scale_shuffle_k4`. Read
    /// from a table: made from its bytes, it took sixteen instructions.
    #[inline(always)]
    unsafe fn scale_shuffle(i: usize) -> __m256i {
        static SHUFFLES: [[u8; 32]; 8] = {
            let mut table = [[0; 32]; 8];
            let mut i = 0;
            while i < 8 {
                let mut b = 0;
                while b < 32 {
                    table[i][b] = (2 * i + b % 2) as u8;
                    b += 1;
                }
                i += 1;
            }
            table
        };
        _mm256_loadu_si256(SHUFFLES[i].as_ptr().cast())
    }

    /// Each of `N` tokens' integer sums with the Q4_K block `bx` (its
    /// block `i`), eight 32-bit lanes a token: the values times the
    /// activations times the scales, the mins left out.
    #[inline(always)]
    unsafe fn q4k_block_sums<const N: usize>(bx: &Q4K, scales: __m256i, ys: &[&[Q8K]; N], i: usize) -> [__m256i; N] {
        let m4 = _mm256_set1_epi8(0x0F);
        let mut sumi = [_mm256_setzero_si256(); N];
        for j in 0..QK_K / 64 {
            let scale_l = _mm256_shuffle_epi8(scales, scale_shuffle(2 * j));
            let scale_h = _mm256_shuffle_epi8(scales, scale_shuffle(2 * j + 1));
            let q4bits = _mm256_loadu_si256(bx.qs.as_ptr().add(32 * j).cast());
            let q4l = _mm256_and_si256(q4bits, m4);
            let q4h = _mm256_and_si256(_mm256_srli_epi16(q4bits, 4), m4);
            for t in 0..N {
                let q8 = ys[t].get_unchecked(i).qs.as_ptr().add(64 * j);
                let p16l = _mm256_madd_epi16(scale_l, _mm256_maddubs_epi16(q4l, _mm256_loadu_si256(q8.cast())));
                let p16h = _mm256_madd_epi16(scale_h, _mm256_maddubs_epi16(q4h, _mm256_loadu_si256(q8.add(32).cast())));
                sumi[t] = _mm256_add_epi32(sumi[t], _mm256_add_epi32(p16l, p16h));
            }
        }
        sumi
    }

    /// `N` tokens' products with one Q4_K weight row.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA, and every `ys[t]` as many blocks as
    /// `x`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_q4k<const N: usize>(x: &[Q4K], ys: [&[Q8K]; N], out: &mut [f32]) {
        let mut acc = [_mm256_setzero_ps(); N];
        let mut acc_m = [_mm_setzero_ps(); N];
        for (i, bx) in x.iter().enumerate() {
            if N == 1 {
                prefetch_ahead(bx);
            }
            let (mins, scales) = mins_and_scales(&bx.scales);
            let (d, dmin) = (bx.d.to_f32(), bx.dmin.to_f32());
            for t in 0..N {
                let by = ys[t].get_unchecked(i);
                let prod = mins_times_sums(mins, by);
                acc_m[t] = _mm_fmadd_ps(_mm_set1_ps(-by.d * dmin), _mm_cvtepi32_ps(prod), acc_m[t]);
            }
            let sumi = q4k_block_sums(bx, scales, &ys, i);
            for t in 0..N {
                let vd = _mm256_set1_ps(ys[t].get_unchecked(i).d * d);
                acc[t] = _mm256_fmadd_ps(vd, _mm256_cvtepi32_ps(sumi[t]), acc[t]);
            }
        }
        for t in 0..N {
            let m = _mm_add_ps(acc_m[t], _mm_movehl_ps(acc_m[t], acc_m[t]));
            let m = _mm_add_ss(m, _mm_movehdup_ps(m));
            out[t] = hsum(acc[t]) + _mm_cvtss_f32(m);
        }
    }

    /// [`GROUP`] tokens' products with one Q4_K weight row: per block,
    /// each token's integer sums made over the block's 256 values, then
    /// gathered into one register, one lane a token, for the float steps.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA; every `ys[t]` and `blocks` as many
    /// blocks as `x`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_q4k_group(x: &[Q4K], ys: [&[Q8K]; GROUP], blocks: &[GroupBlock], out: &mut [f32; GROUP]) {
        let mut acc = _mm256_setzero_ps();
        for (i, bx) in x.iter().enumerate() {
            let group = blocks.get_unchecked(i);
            let (mins, scales) = mins_and_scales(&bx.scales);
            let sumi = q4k_block_sums(bx, scales, &ys, i);
            // Each min times its 32 values' sum, for every token: a pair
            // of mins spread over all lanes, times that pair's sums of the
            // eight tokens (a token a lane).
            let mins = _mm256_castsi128_si256(mins);
            let mut summ = _mm256_setzero_si256();
            for k in 0..QK_K / 64 {
                let pair = _mm256_permutevar8x32_epi32(mins, _mm256_set1_epi32(k as i32));
                summ = _mm256_add_epi32(summ, _mm256_madd_epi16(pair, _mm256_load_si256(group.sums32[k].as_ptr().cast())));
            }
            let dy = _mm256_load_ps(group.d.as_ptr());
            let d = _mm256_mul_ps(_mm256_set1_ps(bx.d.to_f32()), dy);
            let dmin = _mm256_mul_ps(_mm256_set1_ps(bx.dmin.to_f32()), dy);
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(lane_sums(&sumi)), acc);
            acc = _mm256_fnmadd_ps(dmin, _mm256_cvtepi32_ps(summ), acc);
        }
        _mm256_storeu_ps(out.as_mut_ptr(), acc);
    }


    /// `N` tokens' products with one Q5_K weight row (candle's
    /// `vec_dot_q5k_q8k` for each: the mins' part summed as floats apart).
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA, and every `ys[t]` as many blocks as
    /// `x`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_q5k<const N: usize>(x: &[Q5K], ys: [&[Q8K]; N], out: &mut [f32]) {
        let m4 = _mm256_set1_epi8(0x0F);
        let sixteen = _mm256_set1_epi8(16);
        let mut acc = [_mm256_setzero_ps(); N];
        let mut summs = [0f32; N];
        for (i, bx) in x.iter().enumerate() {
            if N == 1 {
                prefetch_ahead(bx);
            }
            let (mins, scales) = mins_and_scales(&bx.scales);
            let (xd, xdmin) = (bx.d.to_f32(), bx.dmin.to_f32());
            for t in 0..N {
                let by = ys[t].get_unchecked(i);
                let prod = mins_times_sums(mins, by);
                let zero = _mm_setzero_si128();
                let hsum = _mm_hadd_epi32(_mm_hadd_epi32(prod, zero), zero);
                summs[t] += -by.d * xdmin * _mm_extract_epi32::<0>(hsum) as f32;
            }
            let hbits = _mm256_loadu_si256(bx.qh.as_ptr().cast());
            let mut sumi = [_mm256_setzero_si256(); N];
            for j in 0..QK_K / 64 {
                let scale_0 = _mm256_shuffle_epi8(scales, scale_shuffle(2 * j));
                let scale_1 = _mm256_shuffle_epi8(scales, scale_shuffle(2 * j + 1));
                let q5bits = _mm256_loadu_si256(bx.qs.as_ptr().add(32 * j).cast());
                // Bit 2j of each qh byte is the fifth bit of the low
                // nibbles' values, bit 2j + 1 of the high ones': 16 where set.
                let high = |k: usize| {
                    let mask = _mm256_set1_epi8((1u8 << k) as i8);
                    _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hbits, mask), mask), sixteen)
                };
                let q5_0 = _mm256_add_epi8(_mm256_and_si256(q5bits, m4), high(2 * j));
                let q5_1 = _mm256_add_epi8(_mm256_and_si256(_mm256_srli_epi16::<4>(q5bits), m4), high(2 * j + 1));
                for t in 0..N {
                    let q8 = ys[t].get_unchecked(i).qs.as_ptr().add(64 * j);
                    let p16_0 = _mm256_madd_epi16(scale_0, _mm256_maddubs_epi16(q5_0, _mm256_loadu_si256(q8.cast())));
                    let p16_1 = _mm256_madd_epi16(scale_1, _mm256_maddubs_epi16(q5_1, _mm256_loadu_si256(q8.add(32).cast())));
                    sumi[t] = _mm256_add_epi32(sumi[t], _mm256_add_epi32(p16_0, p16_1));
                }
            }
            for t in 0..N {
                let vd = _mm256_set1_ps(ys[t].get_unchecked(i).d * xd);
                acc[t] = _mm256_fmadd_ps(vd, _mm256_cvtepi32_ps(sumi[t]), acc[t]);
            }
        }
        for t in 0..N {
            out[t] = hsum(acc[t]) + summs[t];
        }
    }

    /// The shuffle that spreads scales `2i` and `2i + 1` over eight bytes
    /// each: ggml's `get_scale_shuffle`, from a table as [`scale_shuffle`].
    #[inline(always)]
    unsafe fn scale_pair_shuffle(i: usize) -> __m128i {
        static SHUFFLES: [[u8; 16]; 8] = {
            let mut table = [[0; 16]; 8];
            let mut i = 0;
            while i < 8 {
                let mut b = 0;
                while b < 16 {
                    table[i][b] = (2 * i + b / 8) as u8;
                    b += 1;
                }
                i += 1;
            }
            table
        };
        _mm_loadu_si128(SHUFFLES[i].as_ptr().cast())
    }

    /// [`GROUP`] tokens' products with one Q6_K weight row, as
    /// [`dot_q4k_group`] makes Q4_K's. The values' offset of 32 is taken
    /// off once a block, as 32 times each scale times its 16 activations'
    /// sum, instead of once a value.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA; every `ys[t]` and `blocks` as many
    /// blocks as `x`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_q6k_group(x: &[Q6K], ys: [&[Q8K]; GROUP], blocks: &[GroupBlock], out: &mut [f32; GROUP]) {
        let m4 = _mm256_set1_epi8(0xF);
        let m2 = _mm256_set1_epi8(3);
        let mut acc = _mm256_setzero_ps();
        for (i, bx) in x.iter().enumerate() {
            let group = blocks.get_unchecked(i);
            let scales = _mm_loadu_si128(bx.scales.as_ptr().cast());
            let mut sumi = [_mm256_setzero_si256(); GROUP];
            for j in 0..QK_K / 128 {
                for k in 0..4 {
                    // Values 32k.. of these 128: the low nibbles of the
                    // first or second 32 bytes of `ql` (k = 0, 1), their
                    // high nibbles (2, 3), each with two bits of `qh` above
                    // them. Read again for each k: the eight tokens' sums
                    // take most registers.
                    let bits = _mm256_loadu_si256(bx.ql.as_ptr().add(64 * j + 32 * (k % 2)).cast());
                    let low = if k < 2 { bits } else { _mm256_srli_epi16::<4>(bits) };
                    let high = _mm256_loadu_si256(bx.qh.as_ptr().add(32 * j).cast());
                    let top = match k {
                        0 => high,
                        1 => _mm256_srli_epi16::<2>(high),
                        2 => _mm256_srli_epi16::<4>(high),
                        _ => _mm256_srli_epi16::<6>(high),
                    };
                    let q = _mm256_or_si256(_mm256_and_si256(low, m4), _mm256_slli_epi16::<4>(_mm256_and_si256(top, m2)));
                    let scale = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales, scale_pair_shuffle(4 * j + k)));
                    for t in 0..GROUP {
                        let y = _mm256_loadu_si256(ys[t].get_unchecked(i).qs.as_ptr().add(128 * j + 32 * k).cast());
                        sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(scale, _mm256_maddubs_epi16(q, y)));
                    }
                }
            }
            // Σ scale · 16-value sum, a pair of scales at a time over the
            // eight tokens (a token a lane).
            let scales = _mm256_cvtepi8_epi16(scales);
            let mut offset = _mm256_setzero_si256();
            for k in 0..QK_K / 32 {
                let pair = _mm256_permutevar8x32_epi32(scales, _mm256_set1_epi32(k as i32));
                offset = _mm256_add_epi32(offset, _mm256_madd_epi16(pair, _mm256_load_si256(group.sums16[k].as_ptr().cast())));
            }
            let sums = _mm256_sub_epi32(lane_sums(&sumi), _mm256_slli_epi32(offset, 5));
            let d = _mm256_mul_ps(_mm256_set1_ps(bx.d.to_f32()), _mm256_load_ps(group.d.as_ptr()));
            acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(sums), acc);
        }
        _mm256_storeu_ps(out.as_mut_ptr(), acc);
    }

    /// `N` tokens' products with one Q6_K weight row.
    ///
    /// # Safety
    /// The CPU must have AVX2 and FMA, and every `ys[t]` as many blocks as
    /// `x`.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn dot_q6k<const N: usize>(x: &[Q6K], ys: [&[Q8K]; N], out: &mut [f32]) {
        let m4 = _mm256_set1_epi8(0xF);
        let m2 = _mm256_set1_epi8(3);
        let m32s = _mm256_set1_epi8(32);
        let mut acc = [_mm256_setzero_ps(); N];
        for (i, bx) in x.iter().enumerate() {
            if N == 1 {
                prefetch_ahead(bx);
            }
            let scales = _mm_loadu_si128(bx.scales.as_ptr().cast());
            let mut sumi = [_mm256_setzero_si256(); N];
            for j in 0..QK_K / 128 {
                let scale = |k: usize| _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales, scale_pair_shuffle(4 * j + k)));
                let (s0, s1, s2, s3) = (scale(0), scale(1), scale(2), scale(3));
                let bits1 = _mm256_loadu_si256(bx.ql.as_ptr().add(64 * j).cast());
                let bits2 = _mm256_loadu_si256(bx.ql.as_ptr().add(64 * j + 32).cast());
                let high = _mm256_loadu_si256(bx.qh.as_ptr().add(32 * j).cast());
                let h0 = _mm256_slli_epi16(_mm256_and_si256(high, m2), 4);
                let h1 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2), m2), 4);
                let h2 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 4), m2), 4);
                let h3 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 6), m2), 4);
                let q0 = _mm256_or_si256(_mm256_and_si256(bits1, m4), h0);
                let q1 = _mm256_or_si256(_mm256_and_si256(bits2, m4), h1);
                let q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bits1, 4), m4), h2);
                let q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bits2, 4), m4), h3);
                for t in 0..N {
                    let q8 = ys[t].get_unchecked(i).qs.as_ptr().add(128 * j);
                    // q · y − 32 · y, as unsigned-by-signed byte pairs,
                    // then scaled (the 6-bit values are stored offset by 32).
                    let part = |q: __m256i, k: usize, scale: __m256i| {
                        let y = _mm256_loadu_si256(q8.add(32 * k).cast());
                        _mm256_madd_epi16(scale, _mm256_sub_epi16(_mm256_maddubs_epi16(q, y), _mm256_maddubs_epi16(m32s, y)))
                    };
                    let (p0, p1, p2, p3) = (part(q0, 0, s0), part(q1, 1, s1), part(q2, 2, s2), part(q3, 3, s3));
                    sumi[t] = _mm256_add_epi32(sumi[t], _mm256_add_epi32(p0, p1));
                    sumi[t] = _mm256_add_epi32(sumi[t], _mm256_add_epi32(p2, p3));
                }
            }
            let d = bx.d.to_f32();
            for t in 0..N {
                let vd = _mm256_set1_ps(ys[t].get_unchecked(i).d * d);
                acc[t] = _mm256_fmadd_ps(vd, _mm256_cvtepi32_ps(sumi[t]), acc[t]);
            }
        }
        for t in 0..N {
            out[t] = hsum(acc[t]);
        }
    }
}

#[cfg(test)]
mod tests {
    use candle_core::quantized::k_quants::{BlockQ4K, BlockQ5K, BlockQ6K, BlockQ8K, GgmlType};

    use super::*;

    /// Activations of `blocks` blocks for each of [`TOKENS`] tokens.
    fn activation_rows(blocks: usize, seed: usize) -> Vec<Vec<BlockQ8K>> {
        (0..TOKENS)
            .map(|t| {
                let mut y = vec![BlockQ8K::zeros(); blocks];
                BlockQ8K::from_float(&values(blocks * QK_K, seed + t), &mut y);
                y
            })
            .collect()
    }

    fn values(n: usize, seed: usize) -> Vec<f32> {
        (0..n).map(|i| (((i * 7919 + seed * 104729) % 2003) as f32 / 211.0).sin() * (1.0 + (i % 7) as f32 * 0.3)).collect()
    }

    /// For weights of type `T`: each of four tokens at once (and of three,
    /// and one alone) gets the bits of candle's one-token product, which is the blocks'
    /// arithmetic, near f32's.
    fn check<T: KQuant>(blocks: usize, seed: usize) {
        let mut weights = vec![T::zeros(); blocks];
        T::from_float(&values(blocks * QK_K, seed), &mut weights);
        let rows = activation_rows(blocks, 10 * seed);
        let ys: Vec<&[BlockQ8K]> = rows.iter().map(Vec::as_slice).collect();
        let one_by_one: Vec<u32> = ys.iter().map(|y| T::vec_dot(blocks * QK_K, &weights, y).to_bits()).collect();
        let mut out = [0f32; TOKENS];
        dot_tokens(&weights, &ys, &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one, "four at once");
        let mut out = [0f32; 3];
        dot_tokens(&weights, &ys[..3], &mut out);
        assert_eq!(out.map(f32::to_bits).to_vec(), one_by_one[..3], "a shorter group");
        let mut out = [0f32; 1];
        dot_tokens(&weights, &ys[..1], &mut out);
        assert_eq!(out[0].to_bits(), one_by_one[0], "one token");
        let mut w = vec![0f32; blocks * QK_K];
        T::to_float(&weights, &mut w);
        let exact: f32 = w.iter().zip(values(blocks * QK_K, 10 * seed)).map(|(a, b)| a * b).sum();
        let size: f32 = w.iter().zip(values(blocks * QK_K, 10 * seed)).map(|(a, b)| (a * b).abs()).sum();
        let ours = f32::from_bits(one_by_one[0]);
        assert!((ours - exact).abs() < 0.01 * size, "{ours} vs {exact}");
    }

    /// For weights of type `T`: eight tokens at once get each token's
    /// one-token product, but for the order of the float sums.
    fn check_group<T: Grouped>(blocks: usize, seed: usize) {
        let mut weights = vec![T::zeros(); blocks];
        T::from_float(&values(blocks * QK_K, seed), &mut weights);
        let rows: Vec<Vec<BlockQ8K>> = (0..GROUP)
            .map(|t| {
                let mut y = vec![BlockQ8K::zeros(); blocks];
                BlockQ8K::from_float(&values(blocks * QK_K, 30 + 7 * t), &mut y);
                y
            })
            .collect();
        let ys: [&[BlockQ8K]; GROUP] = std::array::from_fn(|t| rows[t].as_slice());
        let mut out = [0f32; GROUP];
        dot_group(&weights, ys, &group_blocks(ys), &mut out);
        let mut w = vec![0f32; blocks * QK_K];
        T::to_float(&weights, &mut w);
        for (t, y) in ys.iter().enumerate() {
            let one = T::vec_dot(blocks * QK_K, &weights, y);
            let size: f32 = w.iter().zip(values(blocks * QK_K, 30 + 7 * t)).map(|(a, b)| (a * b).abs()).sum();
            assert!((out[t] - one).abs() <= 1e-6 * size, "token {t}: {} vs {one}", out[t]);
        }
        assert!(out.windows(2).all(|w| w[0] != w[1]), "each token its own product: {out:?}");
    }

    #[test]
    fn q4k_eight_tokens_at_once_give_each_tokens_product() {
        check_group::<BlockQ4K>(6, 2);
    }

    #[test]
    fn q6k_eight_tokens_at_once_give_each_tokens_product() {
        check_group::<BlockQ6K>(5, 4);
    }

    #[test]
    fn q4k_four_tokens_at_once_give_candles_bits_for_each() {
        check::<BlockQ4K>(6, 1);
    }

    #[test]
    fn q5k_four_tokens_at_once_give_candles_bits_for_each() {
        check::<BlockQ5K>(5, 5);
    }

    #[test]
    fn q6k_four_tokens_at_once_give_candles_bits_for_each() {
        check::<BlockQ6K>(5, 3);
    }
}
