//! Choosing the next token from a model's logits: greedy, or sampled with
//! temperature, top-k and top-p after a repeat penalty, from a seeded
//! generator so that a seed always gives the same answer.

/// How the next token is chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingParams {
    /// 0 (or less) picks the most likely token every time.
    pub temperature: f32,
    /// Only the k most likely tokens are candidates (0: all).
    pub top_k: usize,
    /// Only the most likely tokens whose probabilities add up to p are
    /// candidates (1.0: all).
    pub top_p: f32,
    /// Logits of tokens among the last `repeat_last_n` are divided (if
    /// positive) or multiplied (if negative) by this (1.0: off).
    pub repeat_penalty: f32,
    pub repeat_last_n: usize,
    pub seed: u64,
}

impl Default for SamplingParams {
    fn default() -> Self {
        SamplingParams { temperature: 0.7, top_k: 40, top_p: 0.9, repeat_penalty: 1.1, repeat_last_n: 64, seed: 0 }
    }
}

impl SamplingParams {
    /// The most likely token every time, nothing else: what the
    /// correctness tests compare with llama.cpp.
    pub fn greedy() -> Self {
        SamplingParams { temperature: 0.0, top_k: 0, top_p: 1.0, repeat_penalty: 1.0, repeat_last_n: 0, seed: 0 }
    }
}

#[derive(Debug, Clone)]
pub struct Sampler {
    params: SamplingParams,
    rng: Pcg32,
}

impl Sampler {
    pub fn new(params: SamplingParams) -> Sampler {
        let rng = Pcg32::new(params.seed);
        Sampler { params, rng }
    }

    /// The next token. `logits` (one per vocabulary entry) is changed in
    /// place; `recent` is the tokens so far, newest last.
    pub fn sample(&mut self, logits: &mut [f32], recent: &[u32]) -> u32 {
        self.penalize(logits, recent);
        self.choose(logits)
    }

    /// The repeat penalty on `logits`, for the tokens among `recent`.
    pub fn penalize(&self, logits: &mut [f32], recent: &[u32]) {
        let p = &self.params;
        if p.repeat_penalty != 1.0 && p.repeat_last_n > 0 {
            let mut seen = std::collections::HashSet::new();
            for &id in recent.iter().rev().take(p.repeat_last_n) {
                if let Some(logit) = logits.get_mut(id as usize) {
                    if seen.insert(id) {
                        *logit = if *logit > 0.0 { *logit / p.repeat_penalty } else { *logit * p.repeat_penalty };
                    }
                }
            }
        }
    }

    /// A token chosen from `logits` as they are (penalized already):
    /// greedy, or sampled at the temperature among the top-k and top-p.
    pub fn choose(&mut self, logits: &[f32]) -> u32 {
        let p = &self.params;
        if p.temperature <= 0.0 {
            return argmax(logits);
        }
        let mut candidates: Vec<(u32, f32)> = logits.iter().enumerate().map(|(id, &l)| (id as u32, l)).collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if p.top_k > 0 {
            candidates.truncate(p.top_k);
        }
        // Softmax at the temperature, over what is left.
        let max = candidates[0].1;
        let mut total = 0.0f64;
        let mut probs: Vec<f64> = candidates
            .iter()
            .map(|&(_, l)| {
                let e = (((l - max) / p.temperature) as f64).exp();
                total += e;
                e
            })
            .collect();
        probs.iter_mut().for_each(|q| *q /= total);
        if p.top_p < 1.0 {
            let mut sum = 0.0;
            let keep = probs.iter().position(|q| {
                sum += q;
                sum >= p.top_p as f64
            });
            let keep = keep.map_or(probs.len(), |at| at + 1);
            probs.truncate(keep);
            candidates.truncate(keep);
        }
        let total: f64 = probs.iter().sum();
        let mut target = self.rng.next_f64() * total;
        for (i, q) in probs.iter().enumerate() {
            if target < *q {
                return candidates[i].0;
            }
            target -= q;
        }
        candidates[probs.len() - 1].0
    }
}

/// The first index of the largest logit (as ggml's greedy sampler).
pub fn argmax(logits: &[f32]) -> u32 {
    let mut best = 0;
    for (i, &l) in logits.iter().enumerate() {
        if l > logits[best] {
            best = i;
        }
    }
    best as u32
}

/// PCG-XSH-RR 32: small, fast and reproducible across platforms.
#[derive(Debug, Clone)]
struct Pcg32 {
    state: u64,
}

impl Pcg32 {
    const MULTIPLIER: u64 = 6364136223846793005;
    const INCREMENT: u64 = 1442695040888963407;

    fn new(seed: u64) -> Pcg32 {
        let mut rng = Pcg32 { state: 0 };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed);
        rng.next_u32();
        rng
    }

    fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(Self::MULTIPLIER).wrapping_add(Self::INCREMENT);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        let bits = (u64::from(self.next_u32()) << 21) ^ u64::from(self.next_u32() >> 11);
        (bits & ((1 << 53) - 1)) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(temperature: f32, top_k: usize, top_p: f32, seed: u64) -> SamplingParams {
        SamplingParams { temperature, top_k, top_p, repeat_penalty: 1.0, repeat_last_n: 0, seed }
    }

    #[test]
    fn greedy_takes_the_first_of_the_largest() {
        let mut sampler = Sampler::new(SamplingParams::greedy());
        assert_eq!(sampler.sample(&mut [0.1, 2.0, -1.0, 2.0], &[]), 1);
    }

    #[test]
    fn the_same_seed_gives_the_same_tokens() {
        let logits = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5];
        let run = |seed| {
            let mut sampler = Sampler::new(params(1.0, 0, 1.0, seed));
            (0..50).map(|_| sampler.sample(&mut logits.clone(), &[])).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn samples_follow_the_softmax() {
        // Logits ln 3 and 0: the first should come up three times in four.
        let mut sampler = Sampler::new(params(1.0, 0, 1.0, 42));
        let n = 20_000;
        let firsts = (0..n).filter(|_| sampler.sample(&mut [3f32.ln(), 0.0], &[]) == 0).count();
        let share = firsts as f64 / n as f64;
        assert!((share - 0.75).abs() < 0.015, "first token share {share}");
    }

    #[test]
    fn top_k_and_top_p_leave_only_the_likeliest() {
        let logits = [0.0, 5.0, 4.9, -3.0];
        let mut top1 = Sampler::new(params(1.5, 1, 1.0, 3));
        let mut tight_p = Sampler::new(params(1.5, 0, 0.01, 3));
        for _ in 0..100 {
            assert_eq!(top1.sample(&mut logits.clone(), &[]), 1);
            assert_eq!(tight_p.sample(&mut logits.clone(), &[]), 1);
        }
        let mut top2 = Sampler::new(params(1.5, 2, 1.0, 3));
        let seen: std::collections::HashSet<u32> = (0..200).map(|_| top2.sample(&mut logits.clone(), &[])).collect();
        assert_eq!(seen, [1, 2].into());
    }

    #[test]
    fn a_repeat_penalty_lowers_recent_tokens_once() {
        let mut sampler = Sampler::new(SamplingParams { repeat_penalty: 2.0, repeat_last_n: 8, ..SamplingParams::greedy() });
        let mut logits = [3.0, 2.0, -1.0];
        // Token 0 twice in the window: penalised once, to 1.5, so 1 wins.
        assert_eq!(sampler.sample(&mut logits, &[0, 2, 0]), 1);
        assert_eq!(logits, [1.5, 2.0, -2.0]);
    }
}
