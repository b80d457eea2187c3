//! Generating an answer: read the prompt, then pick tokens one at a time,
//! streaming the text, until the model ends its turn, a stop sequence
//! appears, the token budget is spent or the caller cancels.

use std::sync::atomic::{AtomicBool, Ordering};

use nook_chat::{Sampler, SamplingParams, StopSequences, Streamed, TextStream};

use crate::{LlmError, Model};

/// Time to read one block of the prompt between two looks at the cancel
/// flag (the first block has PROMPT_BLOCK_FIRST tokens; the next ones are
/// sized from its speed, up to PROMPT_BLOCK_MAX). Reading in blocks gives
/// the same numbers as reading at once.
const PROMPT_BLOCK_TIME: f64 = 0.2;
const PROMPT_BLOCK_FIRST: usize = 16;
const PROMPT_BLOCK_MAX: usize = 256;
/// Tokens refused at most before the model's next choice stands.
pub const MAX_REFUSED: usize = 64;

/// How to generate.
#[derive(Debug, Clone)]
pub struct Generation {
    pub sampling: SamplingParams,
    /// Tokens to generate at most.
    pub max_tokens: usize,
    /// Texts that end the answer (not shown).
    pub stop: Vec<String>,
}

impl Default for Generation {
    fn default() -> Self {
        Generation { sampling: SamplingParams::default(), max_tokens: 512, stop: Vec::new() }
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The model ended its turn (EOS, end of turn).
    EndOfTurn,
    StopSequence,
    MaxTokens,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub text: String,
    /// Tokens generated, the ending token not included.
    pub tokens: Vec<u32>,
    pub finish: Finish,
    /// Prompt tokens found in the cache from the previous call and not read
    /// again (a conversation's earlier turns, say).
    pub reused: usize,
    /// The first token (by its index in `tokens`) where `allow` refused the
    /// model's own choice; before it, the tokens are the model's greedy or
    /// sampled choices untouched.
    pub first_refused: Option<usize>,
}

impl Model {
    /// Tokens of `prompt` the cache already holds and [`Model::generate`]
    /// will not read again: the common beginning, all but the last prompt
    /// token at most (its logits pick the first answer token).
    pub fn reusable(&self, prompt: &[u32]) -> usize {
        let common = self.cached().iter().zip(prompt).take_while(|(a, b)| a == b).count();
        common.min(prompt.len().saturating_sub(1))
    }

    /// Generates after `prompt` (token ids), every token allowed: see
    /// [`Model::generate_with`].
    pub fn generate(
        &mut self,
        prompt: &[u32],
        options: &Generation,
        cancel: &AtomicBool,
        on_text: impl FnMut(&str),
    ) -> Result<Generated, LlmError> {
        self.generate_with(prompt, options, cancel, &mut |_, _| true, on_text)
    }

    /// Generates after `prompt` (token ids). What the cache already holds of
    /// the prompt's beginning is kept and not read again: the numbers are
    /// the same either way (every token is computed alone, whatever the
    /// blocks), only faster. `on_text` gets the answer as it grows; `cancel`
    /// is checked before every token and every block of the prompt, so a
    /// cancel takes effect within one token's time. `allow(text so far,
    /// token's text)` may refuse a token: the next choice is taken instead
    /// (at most [`MAX_REFUSED`] refusals a token, then the model's own).
    pub fn generate_with(
        &mut self,
        prompt: &[u32],
        options: &Generation,
        cancel: &AtomicBool,
        allow: &mut dyn FnMut(&str, &str) -> bool,
        mut on_text: impl FnMut(&str),
    ) -> Result<Generated, LlmError> {
        let reused = self.reusable(prompt);
        self.truncate(reused);
        let mut sampler = Sampler::new(options.sampling.clone());
        let mut stream = TextStream::default();
        let mut stops = StopSequences::new(options.stop.iter().cloned());
        // The prompt and then the answer's tokens: the repeat penalty looks
        // back over both.
        let mut history: Vec<u32> = prompt.to_vec();
        // The answer's text so far, as `allow` sees it.
        let mut written = String::new();
        let mut text = String::new();
        let mut emit = |piece: &str, text: &mut String| {
            if !piece.is_empty() {
                text.push_str(piece);
                on_text(piece);
            }
        };
        let mut first_refused = None;
        let answer = |history: Vec<u32>, text: String, finish, first_refused| Generated {
            text,
            tokens: history[prompt.len()..].to_vec(),
            finish,
            reused,
            first_refused,
        };
        if cancel.load(Ordering::Relaxed) {
            return Ok(answer(history, text, Finish::Cancelled, first_refused));
        }
        if prompt.is_empty() {
            return Err(LlmError::Compute("nothing to answer: the prompt is empty".into()));
        }
        // The prompt in blocks, so that a cancel is heard while it is read:
        // blocks sized from the speed of the last one, to take about
        // PROMPT_BLOCK_TIME each whatever the model's size.
        let mut logits = Vec::new();
        let mut rest = &prompt[reused..];
        let mut block = PROMPT_BLOCK_FIRST;
        while !rest.is_empty() {
            if cancel.load(Ordering::Relaxed) {
                return Ok(answer(history, text, Finish::Cancelled, first_refused));
            }
            let (now, later) = rest.split_at(block.min(rest.len()));
            let started = std::time::Instant::now();
            logits = self.forward(now)?;
            let per_token = started.elapsed().as_secs_f64() / now.len() as f64;
            block = ((PROMPT_BLOCK_TIME / per_token.max(1e-6)) as usize).clamp(1, PROMPT_BLOCK_MAX);
            rest = later;
        }
        let mut finish = Finish::MaxTokens;
        while history.len() - prompt.len() < options.max_tokens {
            if cancel.load(Ordering::Relaxed) {
                finish = Finish::Cancelled;
                break;
            }
            sampler.penalize(&mut logits, &history);
            let mut next = sampler.choose(&logits);
            let mut refused = 0;
            while refused < MAX_REFUSED && !allow(&written, &String::from_utf8_lossy(&self.tokenizer.piece(next, false))) {
                logits[next as usize] = f32::NEG_INFINITY;
                next = sampler.choose(&logits);
                refused += 1;
            }
            if refused > 0 && first_refused.is_none() {
                first_refused = Some(history.len() - prompt.len());
            }
            if self.tokenizer.ends_generation(next) {
                finish = Finish::EndOfTurn;
                break;
            }
            history.push(next);
            written.push_str(&String::from_utf8_lossy(&self.tokenizer.piece(next, false)));
            let piece = stream.push(&self.tokenizer, next, false);
            match stops.push(&piece) {
                Streamed::Text(piece) => emit(&piece, &mut text),
                Streamed::Stopped(piece) => {
                    emit(&piece, &mut text);
                    return Ok(answer(history, text, Finish::StopSequence, first_refused));
                }
            }
            if history.len() - prompt.len() < options.max_tokens {
                logits = self.forward(&[next])?;
            }
        }
        let rest = stream.finish();
        match stops.push(&rest) {
            Streamed::Text(piece) | Streamed::Stopped(piece) => emit(&piece, &mut text),
        }
        emit(&stops.finish(), &mut text);
        Ok(answer(history, text, finish, first_refused))
    }
}
