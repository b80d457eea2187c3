//! Generation with the default chat model: streaming, the ways it ends,
//! and seeds.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use nook_chat::{ChatTemplate, Family, Message, SamplingParams};
use common::smollm2;
use nook_llm::{Finish, Generation, Model};

fn prompt(model: &Model, question: &str) -> Vec<u32> {
    let (template, _) = ChatTemplate::for_model(model.chat_template(), Family::ChatMl);
    let chat = [Message::new("system", "You are a helpful assistant."), Message::new("user", question)];
    model.tokenizer().encode(&template.render(&chat, true, "", "").unwrap(), true, true)
}

fn greedy(max_tokens: usize) -> Generation {
    Generation { sampling: SamplingParams::greedy(), max_tokens, stop: Vec::new() }
}

#[test]
fn the_answer_streams_and_ends_with_the_turn() {
    let mut model = smollm2();
    let ids = prompt(&model, "What is the capital of France?");
    let mut pieces = Vec::new();
    let out = model.generate(&ids, &greedy(64), &AtomicBool::new(false), |t| pieces.push(t.to_string())).unwrap();
    assert_eq!(out.text, "The capital of France is Paris.");
    assert_eq!(out.finish, Finish::EndOfTurn);
    assert!(pieces.len() > 3, "streamed in pieces: {pieces:?}");
    assert_eq!(pieces.concat(), out.text);
}

#[test]
fn max_tokens_and_stop_sequences_end_it_early() {
    let mut model = smollm2();
    let ids = prompt(&model, "What is the capital of France?");
    let out = model.generate(&ids, &greedy(3), &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!((out.tokens.len(), out.finish), (3, Finish::MaxTokens));
    let stop = Generation { stop: vec![" is".into()], ..greedy(64) };
    let out = model.generate(&ids, &stop, &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!((out.text.as_str(), out.finish), ("The capital of France", Finish::StopSequence));
}

/// A cancel is seen before the next token: no text comes after it. (Each
/// token takes tens of milliseconds here, so that is well within the half
/// second the app promises; the chat benchmark measures it.)
#[test]
fn a_cancel_stops_it_before_the_next_token() {
    let mut model = smollm2();
    let ids = prompt(&model, "Write a long story about a lighthouse keeper.");
    let cancel = AtomicBool::new(false);
    let mut pieces_after_cancel = 0;
    let out = model
        .generate(&ids, &greedy(400), &cancel, |_| {
            if cancel.swap(true, Ordering::Relaxed) {
                pieces_after_cancel += 1;
            }
        })
        .unwrap();
    assert_eq!(out.finish, Finish::Cancelled);
    assert_eq!(pieces_after_cancel, 0);
    assert!(!out.text.is_empty() && out.tokens.len() <= 2, "{out:?}");
}

#[test]
fn a_seed_gives_the_same_answer_every_time() {
    let mut model = smollm2();
    let ids = prompt(&model, "Name a fruit.");
    let sampled = |seed| Generation { sampling: SamplingParams { temperature: 1.0, seed, ..SamplingParams::default() }, ..greedy(24) };
    let a = model.generate(&ids, &sampled(7), &AtomicBool::new(false), |_| {}).unwrap();
    let b = model.generate(&ids, &sampled(7), &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!(a, b);
    let others: Vec<String> = (8..12).map(|seed| model.generate(&ids, &sampled(seed), &AtomicBool::new(false), |_| {}).unwrap().text).collect();
    assert!(others.iter().any(|t| *t != a.text), "different seeds sample differently: {a:?} {others:?}");
}
