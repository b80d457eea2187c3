//! Generating an answer: read the prompt, then pick tokens one at a time,
//! streaming the text, until the model ends its turn, a stop sequence
//! appears, the token budget is spent or the caller cancels.

use std::sync::atomic::{AtomicBool, Ordering};

use nook_chat::{Sampler, SamplingParams, StopSequences, Streamed, TextStream};

use crate::{LlmError, Model};

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
}

impl Model {
    /// Generates after `prompt` (token ids, read from an empty cache).
    /// `on_text` gets the answer as it grows; `cancel` is checked before
    /// every token, so a cancel takes effect within one token's time.
    pub fn generate(
        &mut self,
        prompt: &[u32],
        options: &Generation,
        cancel: &AtomicBool,
        mut on_text: impl FnMut(&str),
    ) -> Result<Generated, LlmError> {
        self.reset();
        let mut sampler = Sampler::new(options.sampling.clone());
        let mut stream = TextStream::default();
        let mut stops = StopSequences::new(options.stop.iter().cloned());
        let mut history: Vec<u32> = prompt.to_vec();
        let mut out = Generated { text: String::new(), tokens: Vec::new(), finish: Finish::MaxTokens };
        let mut emit = |text: &str, out: &mut Generated| {
            if !text.is_empty() {
                out.text.push_str(text);
                on_text(text);
            }
        };
        if cancel.load(Ordering::Relaxed) {
            out.finish = Finish::Cancelled;
            return Ok(out);
        }
        let mut logits = self.forward(prompt)?;
        while out.tokens.len() < options.max_tokens {
            if cancel.load(Ordering::Relaxed) {
                out.finish = Finish::Cancelled;
                break;
            }
            let next = sampler.sample(&mut logits, &history);
            if self.tokenizer.ends_generation(next) {
                out.finish = Finish::EndOfTurn;
                break;
            }
            out.tokens.push(next);
            history.push(next);
            let piece = stream.push(&self.tokenizer, next, false);
            match stops.push(&piece) {
                Streamed::Text(text) => emit(&text, &mut out),
                Streamed::Stopped(text) => {
                    emit(&text, &mut out);
                    out.finish = Finish::StopSequence;
                    return Ok(out);
                }
            }
            if out.tokens.len() < options.max_tokens {
                logits = self.forward(&[next])?;
            }
        }
        let rest = stream.finish();
        match stops.push(&rest) {
            Streamed::Text(text) | Streamed::Stopped(text) => emit(&text, &mut out),
        }
        let tail = stops.finish();
        emit(&tail, &mut out);
        Ok(out)
    }
}
