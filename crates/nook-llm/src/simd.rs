//! What the AVX2 kernels ([`crate::q4_1`], [`crate::q8_0`],
//! [`crate::k_quants`]) share: whether the CPU runs them, and ggml's sum of a
//! register's eight floats, whose order each product's last bits follow.

/// Whether the CPU has AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
pub fn avx2_available() -> bool {
    use std::sync::OnceLock;
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
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
