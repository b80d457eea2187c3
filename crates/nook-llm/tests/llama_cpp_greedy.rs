//! Nook's runtime picks the same tokens as llama.cpp, greedily, on the same
//! GGUF file: the first 32 tokens after each fixed prompt of
//! tests/fixtures/llamacpp/*-greedy.json (`bash scripts/oracle/llamacpp.sh`).

mod common;

use std::path::Path;

use nook_chat::{argmax, ChatTemplate, Family, Message};
use nook_llm::Model;
use serde_json::Value;

use common::smollm2;

fn ids(value: &Value) -> Vec<u32> {
    value.as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect()
}

/// Greedy tokens after `prompt`, up to `max` or the end of the answer.
fn answer(model: &mut Model, prompt: &[u32], max: usize) -> String {
    model.reset();
    let mut logits = model.forward(prompt).unwrap();
    let mut text = Vec::new();
    for _ in 0..max {
        let next = argmax(&logits);
        if model.tokenizer().ends_generation(next) {
            break;
        }
        text.extend(model.tokenizer().piece(next, false));
        logits = model.forward(&[next]).unwrap();
    }
    String::from_utf8_lossy(&text).into_owned()
}

#[test]
fn smollm2_answers_a_question_through_its_own_chat_template() {
    let mut model = smollm2();
    let (template, fallback) = ChatTemplate::for_model(model.chat_template(), Family::ChatMl);
    assert_eq!((template.builtin_family(), fallback), (None, None), "the file's own template is used");
    // (Without a system message the template adds SmolLM's own, after which
    // this 135M model rambles about L'Étoile, in llama.cpp as here.)
    let chat = [Message::new("system", "You are a helpful assistant."), Message::new("user", "What is the capital of France?")];
    let prompt = template.render(&chat, true, "", "").unwrap();
    let ids = model.tokenizer().encode(&prompt, true, true);
    assert_eq!(answer(&mut model, &ids, 24), "The capital of France is Paris.", "llama.cpp's answer to the same prompt");
}

/// Not yet: candle 0.11's Q4_1 path quantizes activations to Q8_1 with
/// other rounding than ggml (the block sum `s` is built from f16-rounded
/// parts, rounding is half-away-from-zero where ggml's AVX2 path rounds half
/// to even), and SmolLM2's weights are all Q4_1. The tokens agree for the
/// first 1 to 30 steps, then drift (first differences at top-2 gaps of 0.0005
/// to 0.25). Nook's own Q4_1 kernel is the next step of issue 4.
#[test]
#[ignore = "known difference: candle's Q4_1 x Q8_1 rounding; see the comment"]
fn smollm2_greedy_decoding_matches_llama_cpp() {
    let mut model = smollm2();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/llamacpp/smollm2-greedy.json");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let mut report = Vec::new();
    for case in fixture["cases"].as_array().unwrap() {
        let prompt = ids(&case["prompt_ids"]);
        let expected = ids(&case["greedy"]);
        let ours = model.tokenizer().encode(case["prompt"].as_str().unwrap(), true, true);
        assert_eq!(ours, prompt, "the prompt tokenizes as llama.cpp's");
        model.reset();
        let mut logits = model.forward(&prompt).unwrap();
        let mut produced = Vec::new();
        for _ in 0..expected.len() {
            let next = argmax(&logits);
            produced.push(next);
            logits = model.forward(&[next]).unwrap();
        }
        if produced != expected {
            let at = produced.iter().zip(&expected).position(|(a, b)| a != b).unwrap();
            report.push(format!(
                "{:?}: first difference at step {at} (llama.cpp's top-2 gap there {}):\n  llama.cpp {expected:?}\n  Nook      {produced:?}",
                case["prompt"].as_str().unwrap(),
                case["top2_gaps"][at]
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}
