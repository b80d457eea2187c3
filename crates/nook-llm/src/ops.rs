//! The decoder's arithmetic, rounding for rounding as llama.cpp's CPU
//! backend (ggml, built for AVX-512 as on this project's machines) does it:
//! the same operation order, the same fused multiply-adds, the same
//! polynomial for `exp`. The model's activations are large (tens of
//! thousands in SmolLM2's residual stream), so a last-bit difference in one
//! place moves a quantized activation across a rounding edge and the logits
//! part ways within a few layers; exact arithmetic is what keeps Nook's
//! tokens the same as llama.cpp's but at near ties. (Attention, in
//! `attention`, sums in its own order, for speed.)

/// 16-lane vector sum as `_mm512_reduce_add_ps` computes it: halves added
/// pairwise, 16 → 8 → 4 → 2 → 1.
fn reduce_16(lanes: &[f32; 16]) -> f32 {
    let t8: [f32; 8] = std::array::from_fn(|i| lanes[i] + lanes[i + 8]);
    let t4: [f32; 4] = std::array::from_fn(|i| t8[i] + t8[i + 4]);
    (t4[0] + t4[2]) + (t4[1] + t4[3])
}

/// `ggml_v_expf` (AVX-512): a degree-5 polynomial on the reduced argument,
/// scaled by a power of two; at most 1.5 ulp from `exp`.
pub fn expf(x: f32) -> f32 {
    let r = f32::from_bits(0x4B40_0000); // 0x1.8p23
    let z = x.mul_add(f32::from_bits(0x3FB8_AA3B), r); // 0x1.715476p+0 = 1/ln 2
    let n = z - r;
    let b = (-n).mul_add(f32::from_bits(0x35BF_BE8E), (-n).mul_add(f32::from_bits(0x3F31_7200), x)); // ln 2 in two parts
    if n.abs() > 192.0 {
        // Far out of range: ggml gives 0 below and infinity above.
        return if n <= 0.0 { 0.0 } else { f32::INFINITY };
    }
    let u = b * b;
    let j = f32::from_bits(0x3C07_2010)
        .mul_add(b, f32::from_bits(0x3D2B_9F17))
        .mul_add(u, f32::from_bits(0x3E2A_AF33).mul_add(b, f32::from_bits(0x3EFF_FEDB)))
        .mul_add(u, f32::from_bits(0x3F7F_FFF6).mul_add(b, 1.0));
    // `_mm512_scalef_ps(j, n)`: j · 2^n, rounded once (exact in f64, where
    // 2^n for |n| <= 192 is built from its exponent bits).
    let power = f64::from_bits(((1023 + n as i64) as u64) << 52);
    (f64::from(j) * power) as f32
}

/// `ggml_v_silu`: `x / (1 + exp(-x))`.
pub fn silu(x: f32) -> f32 {
    x / (1.0 + expf(0.0 - x))
}

/// ggml's GELU (tanh approximation) on the CPU: looked up in a table of f16
/// inputs and outputs (made once, as ggml makes it), except far from zero.
pub fn gelu(x: f32) -> f32 {
    use half::f16;
    use std::sync::OnceLock;
    static TABLE: OnceLock<Vec<f16>> = OnceLock::new();
    if x <= -10.0 {
        return 0.0;
    }
    if x >= 10.0 {
        return x;
    }
    let table = TABLE.get_or_init(|| (0..=u16::MAX).map(|bits| f16::from_f32(gelu_f32(f16::from_bits(bits).to_f32()))).collect());
    table[usize::from(f16::from_f32(x).to_bits())].to_f32()
}

/// ggml's `ggml_gelu_f32`, from which its table is made.
fn gelu_f32(x: f32) -> f32 {
    const SQRT_2_OVER_PI: f32 = 0.797_884_6;
    const COEF_A: f32 = 0.044715;
    0.5 * x * (1.0 + (SQRT_2_OVER_PI * x * (1.0 + COEF_A * x * x)).tanh())
}

/// ggml's RMS norm: squares summed in f64, `1 / sqrt(mean + eps)` in f32,
/// then `x * scale * weight`.
pub fn rms_norm(x: &[f32], weight: &[f32], epsilon: f32) -> Vec<f32> {
    let sum: f64 = x.iter().map(|&v| f64::from(v * v)).sum();
    let mean = (sum / x.len() as f64) as f32;
    let scale = 1.0 / (mean + epsilon).sqrt();
    x.iter().zip(weight).map(|(&v, &w)| v * scale * w).collect()
}

/// ggml's softmax of `scores` in place (masked entries are `-inf`): `exp`
/// by 16 lanes summed across each group, the groups summed in f64, then
/// scaled by the f32 inverse of the sum.
pub fn softmax(scores: &mut [f32]) {
    let max = scores.iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s));
    let mut sum = 0f64;
    let whole = scores.len() / 16 * 16;
    for group in scores[..whole].chunks_exact_mut(16) {
        let mut lanes = [0f32; 16];
        for (lane, s) in lanes.iter_mut().zip(group.iter_mut()) {
            *s = expf(*s - max);
            *lane = *s;
        }
        sum += f64::from(reduce_16(&lanes));
    }
    for s in &mut scores[whole..] {
        *s = (*s - max).exp();
        sum += f64::from(*s);
    }
    let inverse = (1.0 / sum) as f32;
    scores.iter_mut().for_each(|s| *s *= inverse);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expf_is_within_two_ulp_of_exp_and_saturates_like_ggml() {
        for i in -2000..=800 {
            let x = i as f32 * 0.0437;
            let (ours, exact) = (expf(x), (x as f64).exp());
            let ulp = (exact as f32).abs() * f32::EPSILON;
            assert!(((ours as f64) - exact).abs() <= 2.0 * ulp as f64 + f64::from(f32::from_bits(1)), "exp({x}) = {ours}, not {exact}");
        }
        assert_eq!(expf(f32::NEG_INFINITY), 0.0);
        assert_eq!(expf(0.0), 1.0);
        assert_eq!(expf(200.0), f32::INFINITY);
    }

    #[test]
    fn softmax_sums_to_one_and_gives_masked_entries_nothing() {
        let mut scores = vec![f32::NEG_INFINITY; 40];
        scores[..20].iter_mut().enumerate().for_each(|(i, s)| *s = i as f32 * 0.3);
        softmax(&mut scores);
        assert!((scores.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(scores[20..].iter().all(|&p| p == 0.0));
        assert!(scores[19] > scores[18]);
    }

    #[test]
    fn gelu_follows_ggmls_f16_table() {
        assert_eq!(gelu(0.0), 0.0);
        assert_eq!(gelu(-12.0), 0.0);
        assert_eq!(gelu(12.0), 12.0);
        let y = gelu(1.2345);
        assert_eq!(half::f16::from_f32(y).to_f32(), y, "an f16 value");
        assert!((y - 1.1003).abs() < 2e-3, "{y}"); // gelu(1.2345) = 1.10033
        // The table is the formula at each f16 input.
        for x in [-3.7f32, -0.51, 0.013, 0.5, 2.25, 9.9] {
            let at = half::f16::from_f32(x).to_f32();
            assert_eq!(gelu(x), half::f16::from_f32(gelu_f32(at)).to_f32(), "{x}");
        }
    }

    #[test]
    fn rms_norm_scales_to_unit_mean_square() {
        let y = rms_norm(&[3.0, 4.0], &[1.0, 2.0], 0.0);
        let scale = 1.0 / 12.5f32.sqrt();
        assert_eq!(y, vec![3.0 * scale, 4.0 * scale * 2.0]);
    }
}
