//! What the llama.cpp oracle tests share: a fixture of token ids
//! (`tests/fixtures/llamacpp/*-tokenize.json`, written by
//! `bash scripts/oracle/llamacpp.sh`) compared case by case.

use std::path::Path;

use nook_chat::Tokenizer;
use serde_json::Value;

/// Every case of the fixture at `path` that `tokenizer` tokenizes otherwise
/// than llama.cpp did, described; the fixture must hold `at_least` cases.
pub fn fixture_differences(tokenizer: &Tokenizer, path: &Path, at_least: usize) -> Vec<String> {
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= at_least, "{} has only {} cases", path.display(), cases.len());
    let mut differences = Vec::new();
    for case in cases {
        let text = case["text"].as_str().unwrap();
        let (add, parse) = (case["add_special"].as_bool().unwrap(), case["parse_special"].as_bool().unwrap());
        let expected: Vec<u32> = case["ids"].as_array().unwrap().iter().map(|id| id.as_u64().unwrap() as u32).collect();
        let actual = tokenizer.encode(text, add, parse);
        if actual != expected {
            differences.push(format!("{text:?} (add_special {add}, parse_special {parse}):\n  llama.cpp {expected:?}\n  Nook      {actual:?}"));
        }
    }
    differences
}
