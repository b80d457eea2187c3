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
    assert_eq!((a.text.as_str(), &a.tokens, a.finish), (b.text.as_str(), &b.tokens, b.finish));
    let others: Vec<String> = (8..12).map(|seed| model.generate(&ids, &sampled(seed), &AtomicBool::new(false), |_| {}).unwrap().text).collect();
    assert!(others.iter().any(|t| *t != a.text), "different seeds sample differently: {a:?} {others:?}");
}

#[test]
fn the_chat_prompt_uses_the_files_template_and_drops_old_turns_to_fit() {
    let path = common::smollm2_path();
    let model = Model::load_with(&path, nook_llm::LoadOptions { context: Some(200), ..Default::default() }).unwrap();
    assert_eq!(model.context(), 200);
    let chat = [
        Message::new("system", "You are a helpful assistant."),
        Message::new("user", "An old question ".repeat(20)),
        Message::new("assistant", "An old answer ".repeat(20)),
        Message::new("user", "What is the capital of France?"),
    ];
    let prompt = model.chat_prompt(&chat, 64).unwrap();
    assert_eq!(prompt.dropped_messages, 2, "the old turn goes, the system message and the question stay");
    assert!(prompt.ids.len() <= 200 - 64);
    assert_eq!(prompt.template_fallback, None, "SmolLM2's own template renders");
    assert_eq!(prompt.ids, {
        let short = [chat[0].clone(), chat[3].clone()];
        model.chat_prompt(&short, 64).unwrap().ids
    });
}

#[test]
fn a_question_longer_than_the_context_is_refused_with_what_to_do() {
    let path = common::smollm2_path();
    let model = Model::load_with(&path, nook_llm::LoadOptions { context: Some(100), ..Default::default() }).unwrap();
    let chat = [Message::new("user", "Why is the sky blue? ".repeat(40))];
    let err = model.chat_prompt(&chat, 32).unwrap_err().to_string();
    assert!(err.contains("ask a shorter question"), "{err}");
}

#[test]
fn a_prompt_that_starts_like_the_last_one_reads_only_what_is_new_and_answers_the_same() {
    let mut model = smollm2();
    let ids = prompt(&model, "What is the capital of France?");
    let first = model.generate(&ids, &greedy(12), &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!(first.reused, 0);
    let again = model.generate(&ids, &greedy(12), &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!(again.reused, ids.len() - 1, "all but the last prompt token came from the cache");
    assert_eq!(again.text, first.text);
    // A next turn: the conversation so far, then a new question.
    let mut longer = ids.clone();
    longer.extend(&first.tokens);
    longer.extend(model.tokenizer().encode("<|im_end|>\n<|im_start|>user\nAnd of Italy?<|im_end|>\n<|im_start|>assistant\n", false, true));
    let next = model.generate(&longer, &greedy(12), &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!(first.finish, Finish::EndOfTurn);
    assert_eq!(next.reused, ids.len() + first.tokens.len(), "the question and the answer came from the cache");
    model.reset();
    let fresh = model.generate(&longer, &greedy(12), &AtomicBool::new(false), |_| {}).unwrap();
    assert_eq!((fresh.reused, &fresh.text), (0, &next.text), "the same answer read from scratch");
}

#[test]
fn a_cancel_is_heard_while_a_long_prompt_is_read() {
    let mut model = smollm2();
    let long = "The weekly notes list the budget, the hiring plan and the office move. ".repeat(120);
    let ids = prompt(&model, &long);
    assert!(ids.len() > 1500, "long enough to take seconds: {} tokens", ids.len());
    let cancel = AtomicBool::new(false);
    let started = std::time::Instant::now();
    let out = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(300));
            cancel.store(true, Ordering::Relaxed);
        });
        model.generate(&ids, &greedy(8), &cancel, |_| {}).unwrap()
    });
    assert_eq!((out.finish, out.tokens.len()), (Finish::Cancelled, 0));
    // Reading it all takes about 8 s here; stopping took one block (0.2 s),
    // with a wide margin for a busy machine.
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(model.cached().len() < ids.len(), "the prompt was not read to the end");
}

#[test]
fn answers_from_a_closed_set_are_scored_by_likelihood() {
    let mut model = smollm2();
    let ids = prompt(&model, "What is the capital of France? Answer with one word.");
    let answers: Vec<Vec<u32>> = ["Paris", "Banana", "Berlin"].iter().map(|a| model.tokenizer().encode(a, false, false)).collect();
    let scores = model.score_answers(&ids, &answers).unwrap();
    assert!(scores[0] > scores[1] && scores[0] > scores[2], "{scores:?}");
    // The cache is left holding the prompt; scoring again gives the same.
    assert_eq!(model.cached(), &ids[..]);
    assert_eq!(model.score_answers(&ids, &answers).unwrap(), scores);
}

#[test]
fn an_answer_read_in_one_pass_has_the_log_probabilities_of_reading_it_token_by_token() {
    let mut model = smollm2();
    let ids = prompt(&model, "Which port does the driver listen on by default?");
    let answer = model.tokenizer().encode("The driver listens on port 4444 unless told otherwise.", false, false);
    let each = model.answer_logprobs(&ids, std::slice::from_ref(&answer)).unwrap().remove(0);
    assert_eq!(each.len(), answer.len());
    assert_eq!(model.cached(), &ids[..], "the cache is cut back to the prompt");
    // Token by token, as a model writing the answer would read it.
    model.reset();
    let mut logits = model.forward(&ids).unwrap();
    for (k, &token) in answer.iter().enumerate() {
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = logits.iter().map(|&l| (l - max).exp()).sum();
        let expected = logits[token as usize] - max - sum.ln();
        assert!((each[k] - expected).abs() < 0.05, "token {k}: {} in one pass, {expected} one by one", each[k]);
        logits = model.forward(&[token]).unwrap();
    }
}

#[test]
fn a_token_the_caller_refuses_is_never_written_and_the_next_choice_is_taken() {
    let mut model = smollm2();
    let ids = prompt(&model, "In what year did the Second World War end? Answer with the year.");
    let free = model.generate(&ids, &greedy(24), &AtomicBool::new(false), |_| {}).unwrap();
    assert!(free.text.contains("1945"), "{}", free.text);
    // No digit may be written at all: the answer goes on in words.
    let mut asked = 0;
    let mut no_digits = |_: &str, piece: &str| {
        asked += 1;
        !piece.bytes().any(|b| b.is_ascii_digit())
    };
    let held = model.generate_with(&ids, &greedy(24), &AtomicBool::new(false), &mut no_digits, |_| {}).unwrap();
    assert!(asked >= held.tokens.len(), "every token was offered");
    assert!(!held.text.bytes().any(|b| b.is_ascii_digit()), "{}", held.text);
    // Up to the first digit nothing was refused, so greedy decoding chose
    // alike; there the next choice was taken, and the answer went on.
    let first_digit = free.text.find(|c: char| c.is_ascii_digit()).unwrap();
    let same = free.text[..first_digit].trim_end();
    assert!(held.text.starts_with(same), "{:?} then {:?}", same, held.text);
    assert!(held.text.len() > same.len(), "{}", held.text);
}
