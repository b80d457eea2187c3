//! Activations quantized the way ggml's x86 code quantizes them, in the
//! memory layout of candle's blocks so that candle's kernels can read them.

use candle_core::quantized::k_quants::BlockQ8_0;
use half::f16;


const BLOCK: usize = 32;

/// ggml's `block_q8_0`: `x = d * q`.
#[derive(Clone, Copy)]
#[repr(C)]
struct Q8_0 {
    d: f16,
    qs: [i8; BLOCK],
}

const _: () = assert!(std::mem::size_of::<Q8_0>() == std::mem::size_of::<BlockQ8_0>());
const _: () = assert!(std::mem::align_of::<Q8_0>() == std::mem::align_of::<BlockQ8_0>());

/// ggml's `quantize_row_q8_0` (AVX2): scale by 127 / max|x| and round half
/// to even. (candle rounds half away from zero.)
pub fn quantize_q8_0(x: &[f32]) -> Vec<BlockQ8_0> {
    assert_eq!(x.len() % BLOCK, 0, "a row of {} values is not whole blocks", x.len());
    let blocks: Vec<Q8_0> = x
        .chunks_exact(BLOCK)
        .map(|xs| {
            let max = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
            let id = if max != 0.0 { 127.0 / max } else { 0.0 };
            Q8_0 { d: f16::from_f32(max / 127.0), qs: std::array::from_fn(|i| (xs[i] * id).round_ties_even() as i8) }
        })
        .collect();
    // SAFETY: same size, alignment and field layout (asserted above): an
    // f16 scale then 32 signed bytes, `repr(C)` on both sides.
    let mut blocks = std::mem::ManuallyDrop::new(blocks);
    unsafe { Vec::from_raw_parts(blocks.as_mut_ptr().cast::<BlockQ8_0>(), blocks.len(), blocks.capacity()) }
}

#[cfg(test)]
mod tests {
    use candle_core::quantized::k_quants::GgmlType;

    use super::*;

    #[test]
    fn q8_0_blocks_round_half_to_even_and_read_back_through_candle() {
        let mut x = [0f32; BLOCK];
        x[0] = 127.0;
        x[1] = 2.5;
        x[2] = -3.5;
        x[3] = 0.25;
        let blocks = quantize_q8_0(&x);
        let mut back = [0f32; BLOCK];
        BlockQ8_0::to_float(&blocks, &mut back);
        assert_eq!(&back[..4], &[127.0, 2.0, -4.0, 0.0]);
    }
}
