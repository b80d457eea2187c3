//! Every architecture Nook runs computes as llama.cpp does: on a tiny model
//! of each (random Q8_0 weights, tests/fixtures/tiny-models, made by
//! `scripts/oracle/tiny_models.py`), the logits after a fixed prompt and 32
//! greedy tokens match llama.cpp's (tests/fixtures/llamacpp/tiny-*.json).
//! Real qwen2, qwen3 and phi3 files are too big to fetch for tests; these
//! check the wiring each adds: Q/K/V biases (qwen2), per-head Q/K norms and
//! NEOX rope (qwen3), fused QKV and gate-up matrices with Q scaled before
//! attention (phi3), rope frequency factors (Llama 3.1), LongRoPE (Phi-3.5),
//! and a rope base read from the file (all).

use std::path::{Path, PathBuf};

use nook_chat::argmax;
use nook_llm::Model;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn check(name: &str) {
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(fixtures().join(format!("llamacpp/tiny-{name}.json"))).unwrap()).unwrap();
    let case = &fixture["cases"][0];
    let architecture = case["architecture"].as_str().unwrap();
    let ids = |v: &Value| v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect::<Vec<_>>();
    let mut model = Model::load(&fixtures().join("tiny-models").join(fixture["model"].as_str().unwrap())).unwrap();
    assert_eq!(model.architecture(), architecture);

    let mut logits = model.forward(&ids(&case["prompt_ids"])).unwrap();
    let expected: Vec<f64> = case["first_logits"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    assert_eq!(logits.len(), expected.len());
    let worst = logits.iter().zip(&expected).map(|(a, b)| (f64::from(*a) - b).abs()).fold(0f64, f64::max);
    // The fixture keeps 6 decimals; the rest is accumulation order in the
    // Q8_0 products (llama.cpp repacks those weights).
    assert!(worst < 1e-4, "{architecture}: logits differ from llama.cpp's by up to {worst}");

    let mut produced = Vec::new();
    for _ in 0..32 {
        let next = argmax(&logits);
        produced.push(next);
        logits = model.forward(&[next]).unwrap();
    }
    assert_eq!(produced, ids(&case["greedy"]), "{architecture}: greedy tokens differ from llama.cpp's");
}

#[test]
fn llama_matches_llama_cpp() {
    check("llama");
}

#[test]
fn qwen2_matches_llama_cpp() {
    check("qwen2");
}

#[test]
fn qwen3_matches_llama_cpp() {
    check("qwen3");
}

#[test]
fn phi3_matches_llama_cpp() {
    check("phi3");
}

/// Phi-3.5's LongRoPE: the long factors past the trained context, and cos
/// and sin scaled by the attention factor.
#[test]
fn phi3_with_longrope_matches_llama_cpp() {
    check("phi3-longrope");
}

/// Llama 3.1 and later scale rope frequencies by `rope_freqs.weight`.
#[test]
fn llama_with_rope_frequency_factors_matches_llama_cpp() {
    check("llama3");
}
