//! The extractor's best spans as the chat model weighs them, to measure
//! whether it would choose the span that answers better than the extractor
//! (`AskRequest::weigh_only`, `nook-bench qa --weigh-only`). For each span:
//! its likelihood as the answer after the grounded prompt; the same with a
//! question that asks nothing in particular (a small model leans to some
//! passages whatever it is asked); and the question's likelihood as the one
//! the span alone answers. The default model does not choose better
//! (docs/BENCHMARKS.md), so answers do not use it.

use nook_chat::{grounded_question, Message};
use nook_llm::Model;
use serde::{Deserialize, Serialize};

use crate::evidence::Extract;
use crate::Result;

/// A question that asks nothing in particular, for the model's lean.
const NEUTRAL: &str = "What do these passages say?";
/// Tokens of a span the model is asked about at most: the start of a span
/// tells which it is.
const SPAN_TOKENS: usize = 48;
/// What the model is asked of a span alone, to weigh the question as the
/// span's own.
const ASK_OF_SPAN: &str = "Write the question this passage answers.";

/// A span the model was asked about, with what it made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub span: Extract,
    /// The log-probability of each of its tokens as the model's answer to
    /// the question.
    pub asked: Vec<f32>,
    /// The same, to the question that asks nothing in particular.
    pub neutral: Vec<f32>,
    /// The log-probability of each token of the question, as the question
    /// the span alone answers.
    pub question: Vec<f32>,
}

/// What the model makes of each of `spans`: its likelihood as the answer
/// to the question (`prompt`, as its tokens) and to [`NEUTRAL`] asked of
/// the same passages (`neutral_messages`), and the question's likelihood
/// given the span alone. The cache is left holding `prompt`.
pub(crate) fn weigh(model: &mut Model, question: &str, prompt: &[u32], neutral_messages: &[Message], spans: Vec<Extract>) -> Result<Vec<Candidate>> {
    let texts: Vec<String> = spans.iter().map(|span| crate::ask::one_line(&span.text)).collect();
    let asked_tokens = model.tokenizer().encode(question.trim(), false, false);
    let mut questions = Vec::with_capacity(spans.len());
    for text in &texts {
        let passage = Message::new("user", format!("{text}\n\n{ASK_OF_SPAN}"));
        let alone = model.chat_prompt(&[passage], asked_tokens.len())?;
        let mut each = model.answer_logprobs(&alone.ids, std::slice::from_ref(&asked_tokens))?;
        questions.push(each.pop().unwrap_or_default());
    }
    let answers: Vec<Vec<u32>> = texts
        .iter()
        .map(|text| {
            let mut tokens = model.tokenizer().encode(text, false, false);
            tokens.truncate(SPAN_TOKENS);
            tokens
        })
        .collect();
    let neutral = model.chat_prompt(neutral_messages, 0)?;
    // The neutral prompt first: the question's is read last and stays in
    // the cache, as a follow-up's prompt expects.
    let leaning = model.answer_logprobs(&neutral.ids, &answers)?;
    let asked = model.answer_logprobs(prompt, &answers)?;
    Ok(spans
        .into_iter()
        .zip(asked)
        .zip(leaning)
        .zip(questions)
        .map(|(((span, asked), neutral), question)| Candidate { span, asked, neutral, question })
        .collect())
}

/// The grounded message of [`NEUTRAL`] over `sources`.
pub(crate) fn neutral_question(sources: &[nook_chat::Source]) -> String {
    grounded_question(NEUTRAL, sources)
}
