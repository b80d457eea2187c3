//! What the AVX2 kernels ([`crate::q4_1`], [`crate::q8_0`],
//! [`crate::k_quants`]) share: whether the CPU runs them, ggml's sum of a
//! register's eight floats, the sums of eight registers' lanes, whose order each product's last bits follow, and
//! ggml's unpacking of 32-value blocks' nibbles and fifth bits.

/// Whether the CPU has AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
pub fn avx2_available() -> bool {
    use std::sync::OnceLock;
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
}

/// Whether the CPU also has AVX-VNNI (byte products summed four to a
/// 32-bit lane in one instruction).
#[cfg(target_arch = "x86_64")]
pub fn vnni_available() -> bool {
    use std::sync::OnceLock;
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| avx2_available() && is_x86_feature_detected!("avxvnni"))
}

/// Whether the CPU also has AVX-512 with its 256-bit forms and VNNI (the
/// AVX2 kernels then have 32 registers).
#[cfg(target_arch = "x86_64")]
pub fn avx512_available() -> bool {
    use std::sync::OnceLock;
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        vnni_available()
            && is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512vl")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512vnni")
    })
}

/// ggml's `hsum_float_8`: (x0+x4 + x2+x6) + (x1+x5 + x3+x7).
///
/// # Safety
/// The CPU must have AVX.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub unsafe fn hsum_float_8(acc: std::arch::x86_64::__m256) -> f32 {
    use std::arch::x86_64::*;
    let r = _mm_add_ps(_mm256_extractf128_ps(acc, 1), _mm256_castps256_ps128(acc));
    let r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    let r = _mm_add_ss(r, _mm_movehdup_ps(r));
    _mm_cvtss_f32(r)
}

/// ggml's `bytes_from_nibbles_32`: 16 bytes to 32 values 0..16, the low
/// nibbles first.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub unsafe fn nibbles(qs: &[u8; 16]) -> std::arch::x86_64::__m256i {
    use std::arch::x86_64::*;
    let packed = _mm_loadu_si128(qs.as_ptr().cast());
    _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0F))
}

/// ggml's `bytes_from_bits_32`: bit `i` of the 4 bytes to byte `i`, 0xFF
/// where set.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub unsafe fn bits(qh: &[u8; 4]) -> std::arch::x86_64::__m256i {
    use std::arch::x86_64::*;
    let word = i32::from_le_bytes(*qh);
    let spread = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0);
    let bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(word), spread);
    let others = _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe);
    _mm256_cmpeq_epi8(_mm256_or_si256(bytes, others), _mm256_set1_epi64x(-1))
}

/// The sum of each of eight registers' 32-bit lanes, register `t`'s in
/// lane `t`: the kernels that read eight prompt tokens at once gather the
/// tokens' integer sums so, for float steps made once for the eight.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub unsafe fn lane_sums(v: &[std::arch::x86_64::__m256i; 8]) -> std::arch::x86_64::__m256i {
    use std::arch::x86_64::*;
    let (a, b) = (_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
    let (c, d) = (_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
    // Registers 0–3, then 4–7: the sums of their low halves in the low
    // half, of their high halves in the high half.
    let (low, high) = (_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
    _mm256_add_epi32(_mm256_permute2x128_si256::<0x20>(low, high), _mm256_permute2x128_si256::<0x31>(low, high))
}

/// Weight `i` of 32 packed two to a byte (as [`nibbles`] unpacks them).
pub fn nibble(qs: &[u8; 16], i: usize) -> u8 {
    if i < 16 {
        qs[i] & 0x0F
    } else {
        qs[i - 16] >> 4
    }
}

/// Bytes ahead of the weight block in use that a one-token kernel asks the
/// memory for: reading an answer's next token, every weight comes from
/// memory once, and the hardware's own prefetch leaves the kernels waiting
/// on it (SmolLM2's generation on one thread: 26 tok/s without, 42 with;
/// 1,024 to 2,048 bytes do the same on an AVX-512 CPU). On an AVX2-only Zen
/// 3, 1,536 bytes held the Llama-3.2-1B Q4_K_M shape to 18 tok/s, 320 to
/// 1,024 gave 23–25 (docs/BENCHMARKS.md).
pub const PREFETCH_AHEAD: usize = 1024;

/// Asks for the memory [`PREFETCH_AHEAD`] bytes past `block` (past a row's
/// end is the next row's start).
///
/// # Safety
/// None beyond the CPU's SSE: a prefetch never faults, wherever it points.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub unsafe fn prefetch_ahead<T>(block: &T) {
    use std::arch::x86_64::*;
    _mm_prefetch::<_MM_HINT_T0>((block as *const T).cast::<i8>().wrapping_add(PREFETCH_AHEAD));
}

#[cfg(target_arch = "x86_64")]
/// The instructions a kernel is compiled for, best last.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Instructions {
    Avx2,
    /// Each block's lanes in one AVX-VNNI instruction (the same
    /// integers: no pair here comes near its 16 bits).
    Vnni,
    /// The same with AVX-512's 32 registers.
    Avx512,
}

#[cfg(target_arch = "x86_64")]
impl Instructions {
    /// Those the CPU has (AVX2 and FMA assumed), for the tests.
    #[cfg(test)]
    pub fn available() -> Vec<Instructions> {
        let mut all = vec![Instructions::Avx2];
        if vnni_available() {
            all.push(Instructions::Vnni);
        }
        if avx512_available() {
            all.push(Instructions::Avx512);
        }
        all
    }

    /// The best the CPU has.
    pub fn best() -> Instructions {
        if avx512_available() {
            Instructions::Avx512
        } else if vnni_available() {
            Instructions::Vnni
        } else {
            Instructions::Avx2
        }
    }
}
