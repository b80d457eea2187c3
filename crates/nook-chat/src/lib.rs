//! The text side of Nook's on-device chat, apart from any model runtime:
//! vocabularies as GGUF files describe them, tokenization that gives the
//! same token ids as llama.cpp on the same file, and choosing the next token
//! from a model's logits; chat templates, from the file or built in;
//! fitting a conversation into the context window; stop sequences;
//! questions grounded in numbered sources, and the citations in answers.
//!
//! Nothing here links candle or reads weights; the runtime reads a GGUF
//! file's metadata into a [`VocabSpec`] and builds a [`Tokenizer`] from it.

mod bpe;
mod context;
mod grounding;
mod pretokenize;
mod sampling;
mod special;
mod spm;
mod stop;
mod symbols;
mod template;
mod thinking;
mod tokenizer;
mod unicode;
mod vocab;

pub use context::{fit as fit_context, ContextError};
pub use grounding::{citations, grounded_question, summarize_parts, summarize_text, Source, GROUNDED_SYSTEM, NOTHING_FOUND, SUMMARY_SYSTEM};
pub use sampling::{argmax, Sampler, SamplingParams};
pub use stop::{StopSequences, Streamed};
pub use template::{ChatTemplate, Family, Message, TemplateError};
pub use thinking::{answer_of, Said, ThinkingSplit, CLOSE as THINK_CLOSE, OPEN as THINK_OPEN};
pub use tokenizer::{TextStream, Tokenizer};
pub use vocab::{TokenType, TokenizerError, VocabSpec};
