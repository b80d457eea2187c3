//! What a model file promises on this machine before it is loaded, from its
//! header alone: whether it fits in the memory free now, how fast Nook
//! should read a prompt with it and write an answer (from its size and the
//! speeds measured in docs/BENCHMARKS.md), and what it is good for.

use nook_gguf::Gguf;

use crate::{memory_available, memory_needed, DEFAULT_CONTEXT};

/// Seconds a token takes on 2 threads, as a fixed part plus a part per
/// byte of weights: fitted to Nook's measured speeds (docs/BENCHMARKS.md,
/// "The models people download": the default model, gemma-3-270m and the
/// Qwen2.5-0.5B and Llama-3.2-1B shapes in Q4_K_M, Q5_K_M, Q8_0 and Q4_0;
/// writing within about a third of the line, reading a prompt within a
/// third but for gemma-3-270m, twice as fast as its size says: most of its
/// file is a 262,144-token embedding table, which a prompt barely reads).
/// Reading a prompt:
const READ_FIXED: f64 = 3.2e-3;
const READ_PER_BYTE: f64 = 1.29e-11;
/// Writing an answer:
const WRITE_FIXED: f64 = 17.8e-3;
const WRITE_PER_BYTE: f64 = 4.69e-11;
/// Threads those were measured on; more threads share the work.
const MEASURED_THREADS: f64 = 2.0;

/// What Nook expects of a model file.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlook {
    /// Weights, counted from the tensor table.
    pub parameters: u64,
    /// Memory the model takes once loaded, its KV cache included.
    pub memory_needed: u64,
    /// Memory free now, when the system says.
    pub memory_free: Option<u64>,
    /// Prompt tokens read per second, about.
    pub reads_per_second: f64,
    /// Answer tokens written per second, about.
    pub writes_per_second: f64,
    /// Whether it reasons between `<think>` tags before it answers.
    pub thinks: bool,
    /// Whether the file has its own chat template.
    pub chat_template: bool,
}

impl Outlook {
    /// The outlook of the model in `gguf` on `threads` threads.
    pub fn of(gguf: &Gguf, threads: usize) -> Outlook {
        let arch = gguf.architecture().unwrap_or("");
        let trained = gguf.metadata.u64(&format!("{arch}.context_length")).unwrap_or(DEFAULT_CONTEXT as u64);
        let weights = gguf.file_len.saturating_sub(gguf.data_offset).max(1) as f64;
        let threads = threads.max(1) as f64;
        let tokens = gguf.metadata.strings("tokenizer.ggml.tokens").unwrap_or_default();
        let has = |text: &str| tokens.iter().any(|t| t == text);
        Outlook {
            parameters: gguf.tensors.iter().map(|t| t.dims.iter().product::<u64>()).sum(),
            memory_needed: memory_needed(gguf, trained.min(DEFAULT_CONTEXT as u64)),
            memory_free: memory_available(),
            reads_per_second: threads / MEASURED_THREADS / (READ_FIXED + READ_PER_BYTE * weights),
            writes_per_second: threads / MEASURED_THREADS / (WRITE_FIXED + WRITE_PER_BYTE * weights),
            thinks: has(nook_chat::THINK_OPEN) && has(nook_chat::THINK_CLOSE),
            chat_template: gguf.metadata.str("tokenizer.chat_template").is_ok(),
        }
    }

    /// Whether it fits in the memory free now (`None`: unknown).
    pub fn fits(&self) -> Option<bool> {
        self.memory_free.map(|free| self.memory_needed <= free)
    }

    /// Seconds to read a prompt of `tokens` tokens, about.
    pub fn seconds_to_read(&self, tokens: usize) -> f64 {
        tokens as f64 / self.reads_per_second
    }

    /// What the model is good for, in a sentence or two.
    pub fn good_for(&self) -> String {
        let mut said = vec![match self.parameters {
            p if p < 400_000_000 => "quick answers and plans on any computer, often wrong on details",
            p if p < 2_000_000_000 => "better answers from your files than the default model, a few times slower",
            p if p < 5_000_000_000 => "good answers from your files, slow on a computer without a graphics card",
            _ => "the best answers, very slow on a computer without a graphics card",
        }
        .to_string()];
        if self.thinks {
            said.push("it reasons before it answers (shown collapsed), which takes longer".into());
        }
        if !self.chat_template {
            said.push("its file has no chat template, so Nook writes its family's; a base model (not tuned to chat) may not follow it".into());
        }
        said.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outlook(parameters: u64, thinks: bool, chat_template: bool) -> Outlook {
        Outlook {
            parameters,
            memory_needed: 600_000_000,
            memory_free: Some(8_000_000_000),
            reads_per_second: 60.0,
            writes_per_second: 14.0,
            thinks,
            chat_template,
        }
    }

    #[test]
    fn what_a_model_is_good_for_follows_its_size_and_its_ways() {
        assert!(outlook(135_000_000, false, true).good_for().starts_with("quick answers"));
        assert!(outlook(500_000_000, false, true).good_for().starts_with("better answers"));
        let qwen3 = outlook(4_000_000_000, true, true).good_for();
        assert!(qwen3.starts_with("good answers") && qwen3.contains("reasons before it answers"), "{qwen3}");
        assert!(outlook(270_000_000, false, false).good_for().contains("no chat template"));
    }

    #[test]
    fn it_fits_when_free_memory_holds_it() {
        let mut o = outlook(500_000_000, false, true);
        assert_eq!(o.fits(), Some(true));
        o.memory_free = Some(500_000_000);
        assert_eq!(o.fits(), Some(false));
        o.memory_free = None;
        assert_eq!(o.fits(), None);
        assert_eq!(o.seconds_to_read(1200), 20.0);
    }

    #[test]
    fn speeds_come_from_the_bytes_of_weights_and_the_threads() {
        let path = std::env::temp_dir().join(format!("nook-outlook-{}.gguf", std::process::id()));
        std::fs::write(&path, nook_gguf::header_only("llama")).unwrap();
        let gguf = Gguf::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let (two, four) = (Outlook::of(&gguf, 2), Outlook::of(&gguf, 4));
        assert!((four.writes_per_second / two.writes_per_second - 2.0).abs() < 1e-9);
        assert!(two.reads_per_second > two.writes_per_second);
        assert!(!two.thinks && !two.chat_template);
    }
}
