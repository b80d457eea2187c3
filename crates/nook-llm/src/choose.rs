//! Choosing among a closed set of answers by the model's own likelihood:
//! the model reads the prompt once, then each answer is read in one pass
//! for the log-probability of each of its tokens, and the cache is cut back
//! to the prompt before the next. Whatever
//! the model makes of the question, the result is one of the answers given,
//! which is how a plan filled in by the model stays valid.

use crate::{LlmError, Model};

impl Model {
    /// The mean log-probability per token of each answer (as token ids)
    /// right after `prompt`; higher is likelier.
    pub fn score_answers(&mut self, prompt: &[u32], answers: &[Vec<u32>]) -> Result<Vec<f32>, LlmError> {
        let each = self.answer_logprobs(prompt, answers)?;
        Ok(each.iter().map(|tokens| mean(tokens)).collect())
    }

    /// The log-probability of each token of each answer right after
    /// `prompt` and the answer's tokens before it. The prompt is read once
    /// (what the cache already holds of it is not read again), each answer
    /// in one pass after it; the cache is left holding the prompt.
    pub fn answer_logprobs(&mut self, prompt: &[u32], answers: &[Vec<u32>]) -> Result<Vec<Vec<f32>>, LlmError> {
        if prompt.is_empty() {
            return Err(LlmError::Compute("nothing to read: no prompt given".into()));
        }
        // Keep what the cache shares with the prompt, and read at least its
        // last token again for the logits that follow it.
        let shared = self.cached().iter().zip(prompt).take_while(|(a, b)| a == b).count().min(prompt.len() - 1);
        self.truncate(shared);
        let after_prompt = self.forward(&prompt[shared..])?;
        let base = self.position();
        let mut scores = Vec::with_capacity(answers.len());
        for answer in answers {
            let Some((&first, _)) = answer.split_first() else {
                scores.push(Vec::new());
                continue;
            };
            let mut logprobs = vec![log_softmax_at(&after_prompt, first) as f32];
            if answer.len() > 1 {
                let each = self.forward_each(&answer[..answer.len() - 1])?;
                logprobs.extend(each.iter().zip(&answer[1..]).map(|(logits, &token)| log_softmax_at(logits, token) as f32));
                self.truncate(base);
            }
            scores.push(logprobs);
        }
        Ok(scores)
    }
}

/// The mean of `values`; minus infinity for none (an empty answer is never
/// the likeliest).
fn mean(values: &[f32]) -> f32 {
    if values.is_empty() {
        return f32::NEG_INFINITY;
    }
    (values.iter().map(|&v| v as f64).sum::<f64>() / values.len() as f64) as f32
}

/// `log softmax(logits)[token]`, computed stably.
fn log_softmax_at(logits: &[f32], token: u32) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let sum: f64 = logits.iter().map(|&l| (l as f64 - max).exp()).sum();
    logits.get(token as usize).map_or(f64::NEG_INFINITY, |&l| l as f64 - max - sum.ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_softmax_is_normalised_and_ranks_like_the_logits() {
        let logits = [1.0f32, 2.0, 3.0];
        let total: f64 = (0..3).map(|t| log_softmax_at(&logits, t).exp()).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert!(log_softmax_at(&logits, 2) > log_softmax_at(&logits, 0));
        assert_eq!(log_softmax_at(&logits, 7), f64::NEG_INFINITY);
    }
}
