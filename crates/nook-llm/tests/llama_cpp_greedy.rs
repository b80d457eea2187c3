//! Nook's runtime picks the same tokens as llama.cpp, greedily, on the same
//! GGUF file: the first 32 tokens after each fixed prompt of
//! tests/fixtures/llamacpp/*-greedy.json (`bash scripts/oracle/llamacpp.sh`),
//! on SmolLM2 (llama architecture, Q4_1) and gemma-3-270m (gemma3, Q5_0,
//! Q4_K, Q6_K and Q8_0).

mod common;

use std::path::Path;

use nook_chat::{argmax, ChatTemplate, Family, Message};
use nook_llm::Model;
use serde_json::Value;

use common::{gemma3_path, smollm2};

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

/// Greedy tokens after every prompt of the fixture, compared with
/// llama.cpp's: the report names each prompt that parts and where. Parting
/// is allowed only at a step where llama.cpp's own first choice beat its
/// second by less than `near_tie` (after which the two texts go their own
/// ways): where activations are quantized, a product summed in another
/// order can round an activation the other way, which moves logits by a
/// tenth or so. llama.cpp itself, reading the gemma-3 prompts one token at
/// a time instead of at once, parts from its own batched choices at a
/// step whose gap is 0.003.
fn compare_with_llama_cpp(model: &mut Model, fixture: &str, near_tie: f64) -> Vec<String> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/llamacpp").join(fixture);
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let mut report = Vec::new();
    for case in fixture["cases"].as_array().unwrap() {
        let prompt = ids(&case["prompt_ids"]);
        let expected = ids(&case["greedy"]);
        assert_eq!(expected.len(), 32, "the fixture holds 32 tokens per prompt");
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
            if case["top2_gaps"][at].as_f64().unwrap() < near_tie {
                continue;
            }
            report.push(format!(
                "{:?}: first difference at step {at} (llama.cpp's top-2 gap there {}):\n  llama.cpp {expected:?}\n  Nook      {produced:?}",
                case["prompt"].as_str().unwrap(),
                case["top2_gaps"][at]
            ));
        }
    }
    report
}

#[test]
fn smollm2_greedy_decoding_matches_llama_cpp() {
    // Its weight products are llama.cpp's bit for bit; attention sums its
    // scores and values in another order (four keys and a block of
    // dimensions at a time).
    let report = compare_with_llama_cpp(&mut smollm2(), "smollm2-greedy.json", 0.1);
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn gemma3_greedy_decoding_matches_llama_cpp() {
    let path = gemma3_path();
    assert!(path.is_file(), "{} is missing: run `bash scripts/setup.sh --test-models`", path.display());
    // Its prompts' K-quant, Q5_0 and Q8_0 products are summed eight
    // tokens at a time, in another order than llama.cpp's.
    let report = compare_with_llama_cpp(&mut Model::load(&path).unwrap(), "gemma3-greedy.json", 0.1);
    assert!(report.is_empty(), "{}", report.join("\n"));
}
