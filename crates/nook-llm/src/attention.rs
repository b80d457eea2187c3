//! Attention over the KV cache: each new position's queries scored against
//! every cached key it may see, a softmax, and the values weighted by it.
//!
//! The cache holds position `j`'s keys (and values) for all KV heads in one
//! row. A task takes one new position, one KV head and some of the query
//! heads that share it, so the key and value rows it reads stay in the
//! core's caches between its queries. Keys are scored four positions at a
//! time and values summed over a block of dimensions at a time, with the
//! accumulators in registers: one token's generation reads each row once.
//! (llama.cpp's order of sums is not kept: it differs between its own CPU
//! paths, and the greedy tests compare choices, not bits.)

use crate::ops::softmax;
use crate::pool::Pool;

/// The heads of one attention layer.
#[derive(Clone, Copy, Debug)]
pub struct Heads {
    pub heads: usize,
    pub kv_heads: usize,
    pub head_dim: usize,
    pub value_dim: usize,
}

/// Causal (and, for local layers, windowed to the last `window` positions)
/// attention of `n` new positions starting at `start` over the whole cache:
/// `n × heads × value_dim` values. `q` is `n × heads × head_dim`; `keys` and
/// `values` hold `start + n` positions of `kv_heads × head_dim` (and
/// `× value_dim`) values.
#[allow(clippy::too_many_arguments)]
pub fn attend(shape: Heads, q: &[f32], keys: &[f32], values: &[f32], n: usize, start: usize, window: Option<usize>, scale: f32, pool: &Pool) -> Vec<f32> {
    let Heads { heads, kv_heads, head_dim, value_dim } = shape;
    let group = heads / kv_heads;
    let per_task = heads_per_task(n * kv_heads, group, pool.threads());
    let (key_stride, value_stride) = (kv_heads * head_dim, kv_heads * value_dim);
    let mut out = vec![0f32; n * heads * value_dim];
    // Heads sharing a KV head are neighbours, so a task's output is one run.
    pool.for_each_chunk(&mut out, per_task * value_dim, |index, out| {
        let first_head = index * per_task;
        let token = first_head / heads;
        let kv_head = first_head % heads / group;
        let position = start + token;
        let first = window.map_or(0, |w| (position + 1).saturating_sub(w));
        let visible = first..position + 1;
        let keys = &keys[kv_head * head_dim..];
        let values = &values[kv_head * value_dim..];
        let mut scores = vec![0f32; visible.len()];
        for (i, out) in out.chunks_exact_mut(value_dim).enumerate() {
            let query = &q[(first_head + i) * head_dim..][..head_dim];
            score(query, &keys[first * key_stride..], key_stride, scale, &mut scores);
            softmax(&mut scores);
            weighted_sum(&scores, &values[first * value_stride..], value_stride, out);
        }
    });
    out
}

/// How many of a group's query heads one task takes: the most that still
/// leaves every thread several tasks (a divisor of `group`, so tasks are
/// alike), else one.
fn heads_per_task(kv_tasks: usize, group: usize, threads: usize) -> usize {
    let wanted = 4 * threads;
    (1..=group).rev().find(|&per| group % per == 0 && kv_tasks * (group / per) >= wanted).unwrap_or(1)
}

/// `scores[j] = scale · (keys[j] · query)`, key `j` at `j * stride`.
fn score(query: &[f32], keys: &[f32], stride: usize, scale: f32, scores: &mut [f32]) {
    let dims = query.len();
    if scores.is_empty() {
        return;
    }
    assert!(keys.len() >= (scores.len() - 1) * stride + dims);
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
    // SAFETY: the features are compiled in; every key read lies in `keys`
    // (asserted above).
    unsafe {
        avx2::score(query, keys, stride, scale, scores)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma")))]
    for (j, out) in scores.iter_mut().enumerate() {
        *out = keys[j * stride..][..dims].iter().zip(query).map(|(k, q)| k * q).sum::<f32>() * scale;
    }
}

/// `out[d] = Σ_j probabilities[j] · values[j][d]`, row `j` at `j * stride`.
fn weighted_sum(probabilities: &[f32], values: &[f32], stride: usize, out: &mut [f32]) {
    let dims = out.len();
    if probabilities.is_empty() {
        out.fill(0.0);
        return;
    }
    assert!(values.len() >= (probabilities.len() - 1) * stride + dims);
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
    // SAFETY: as in `score`.
    unsafe {
        avx2::weighted_sum(probabilities, values, stride, out)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma")))]
    for (d, out) in out.iter_mut().enumerate() {
        *out = probabilities.iter().enumerate().map(|(j, p)| p * values[j * stride + d]).sum();
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
mod avx2 {
    use std::arch::x86_64::*;

    /// One register of f32 values.
    const LANES: usize = 8;
    /// Registers of sums kept while weighting values.
    const BLOCK: usize = 8;

    /// Four keys at a time, one register of sums each, the four reduced
    /// together; the dimensions past the last whole register one by one.
    pub unsafe fn score(query: &[f32], keys: &[f32], stride: usize, scale: f32, scores: &mut [f32]) {
        let dims = query.len();
        let whole = dims / LANES * LANES;
        let (q, k) = (query.as_ptr(), keys.as_ptr());
        let tail = |row: *const f32| -> f32 { (whole..dims).map(|d| *row.add(d) * query[d]).sum() };
        let mut j = 0;
        while j + 4 <= scores.len() {
            let rows: [*const f32; 4] = std::array::from_fn(|r| k.add((j + r) * stride));
            let mut sums = [_mm256_setzero_ps(); 4];
            for c in (0..whole).step_by(LANES) {
                let query = _mm256_loadu_ps(q.add(c));
                for (sum, row) in sums.iter_mut().zip(rows) {
                    *sum = _mm256_fmadd_ps(_mm256_loadu_ps(row.add(c)), query, *sum);
                }
            }
            // [s0, s1, s2, s3] from the four registers at once.
            let pairs = _mm256_hadd_ps(_mm256_hadd_ps(sums[0], sums[1]), _mm256_hadd_ps(sums[2], sums[3]));
            let four = _mm_add_ps(_mm256_castps256_ps128(pairs), _mm256_extractf128_ps(pairs, 1));
            let mut out = [0f32; 4];
            _mm_storeu_ps(out.as_mut_ptr(), four);
            for (r, score) in scores[j..j + 4].iter_mut().enumerate() {
                *score = (out[r] + tail(rows[r])) * scale;
            }
            j += 4;
        }
        for (j, score) in scores.iter_mut().enumerate().skip(j) {
            let row = k.add(j * stride);
            let mut sum = _mm256_setzero_ps();
            for c in (0..whole).step_by(LANES) {
                sum = _mm256_fmadd_ps(_mm256_loadu_ps(row.add(c)), _mm256_loadu_ps(q.add(c)), sum);
            }
            *score = (reduce(sum) + tail(row)) * scale;
        }
    }

    /// BLOCK registers of dimensions at a time summed over every position,
    /// then one register at a time, then the dimensions left one by one.
    pub unsafe fn weighted_sum(probabilities: &[f32], values: &[f32], stride: usize, out: &mut [f32]) {
        let dims = out.len();
        let v = values.as_ptr();
        let mut from = 0;
        while from + BLOCK * LANES <= dims {
            let mut sums = [_mm256_setzero_ps(); BLOCK];
            for (j, &p) in probabilities.iter().enumerate() {
                let (p, row) = (_mm256_set1_ps(p), v.add(j * stride + from));
                for (b, sum) in sums.iter_mut().enumerate() {
                    *sum = _mm256_fmadd_ps(_mm256_loadu_ps(row.add(b * LANES)), p, *sum);
                }
            }
            for (b, sum) in sums.iter().enumerate() {
                _mm256_storeu_ps(out.as_mut_ptr().add(from + b * LANES), *sum);
            }
            from += BLOCK * LANES;
        }
        while from + LANES <= dims {
            let mut sum = _mm256_setzero_ps();
            for (j, &p) in probabilities.iter().enumerate() {
                sum = _mm256_fmadd_ps(_mm256_loadu_ps(v.add(j * stride + from)), _mm256_set1_ps(p), sum);
            }
            _mm256_storeu_ps(out.as_mut_ptr().add(from), sum);
            from += LANES;
        }
        for (d, out) in out.iter_mut().enumerate().skip(from) {
            *out = probabilities.iter().enumerate().map(|(j, p)| p * *v.add(j * stride + d)).sum();
        }
    }

    unsafe fn reduce(sum: __m256) -> f32 {
        let four = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
        let two = _mm_add_ps(four, _mm_movehl_ps(four, four));
        _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Attention as the formula states it, one head at a time, in f64.
    fn reference(shape: Heads, q: &[f32], keys: &[f32], values: &[f32], n: usize, start: usize, window: Option<usize>, scale: f32) -> Vec<f32> {
        let Heads { heads, kv_heads, head_dim, value_dim } = shape;
        let mut out = Vec::new();
        for token in 0..n {
            let position = start + token;
            let first = window.map_or(0, |w| (position + 1).saturating_sub(w));
            for head in 0..heads {
                let kv = head / (heads / kv_heads);
                let query = &q[(token * heads + head) * head_dim..][..head_dim];
                let scores: Vec<f64> = (first..=position)
                    .map(|j| {
                        let key = &keys[(j * kv_heads + kv) * head_dim..][..head_dim];
                        key.iter().zip(query).map(|(k, q)| f64::from(*k) * f64::from(*q)).sum::<f64>() * f64::from(scale)
                    })
                    .collect();
                let max = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let weights: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
                let total: f64 = weights.iter().sum();
                for d in 0..value_dim {
                    let v: f64 = (first..=position).zip(&weights).map(|(j, w)| w / total * f64::from(values[(j * kv_heads + kv) * value_dim + d])).sum();
                    out.push(v as f32);
                }
            }
        }
        out
    }

    fn numbers(count: usize, seed: u32) -> Vec<f32> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn attention_matches_the_formula_for_every_head_shape_and_window() {
        let pool = Pool::new(2).unwrap();
        // Grouped queries, odd dimensions (a tail past the blocks), a window.
        for (shape, n, start, window) in [
            (Heads { heads: 9, kv_heads: 3, head_dim: 64, value_dim: 64 }, 1, 37, None),
            (Heads { heads: 9, kv_heads: 3, head_dim: 64, value_dim: 64 }, 7, 0, None),
            (Heads { heads: 4, kv_heads: 1, head_dim: 96, value_dim: 96 }, 3, 10, Some(5)),
            (Heads { heads: 2, kv_heads: 2, head_dim: 13, value_dim: 75 }, 2, 6, None),
        ] {
            let cached = start + n;
            let q = numbers(n * shape.heads * shape.head_dim, 1);
            let keys = numbers(cached * shape.kv_heads * shape.head_dim, 2);
            let values = numbers(cached * shape.kv_heads * shape.value_dim, 3);
            let got = attend(shape, &q, &keys, &values, n, start, window, 0.3, &pool);
            let want = reference(shape, &q, &keys, &values, n, start, window, 0.3);
            assert_eq!(got.len(), want.len());
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert!((g - w).abs() < 1e-5, "{shape:?} value {i}: {g} against {w}");
            }
        }
    }

    #[test]
    fn a_task_takes_whole_groups_while_threads_stay_busy() {
        assert_eq!(heads_per_task(500 * 3, 3, 2), 3); // a prompt: whole groups
        assert_eq!(heads_per_task(3, 3, 2), 1); // one token, three KV heads
        assert_eq!(heads_per_task(8, 4, 2), 4); // Llama-3.2-1B's eight KV heads
        assert_eq!(heads_per_task(2, 7, 2), 1); // seven is prime
        assert_eq!(heads_per_task(1, 4, 2), 1);
    }
}
