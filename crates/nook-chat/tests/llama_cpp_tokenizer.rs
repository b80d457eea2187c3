//! Nook's tokenizer gives llama.cpp's token ids, on the same GGUF files.
//!
//! The reference ids are in tests/fixtures/llamacpp/*-tokenize.json, written
//! by llama.cpp itself (`bash scripts/oracle/llamacpp.sh`) for every text of
//! tests/fixtures/tokenizer_corpus.json, with and without special tokens
//! added and parsed. The models come from set-up (`bash scripts/setup.sh
//! --models` and `--test-models`).

mod common;

use std::path::{Path, PathBuf};

use nook_chat::{Tokenizer, VocabSpec};
use nook_gguf::Gguf;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
}

/// The default chat model, where set-up put it.
fn smollm2() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME").map_or_else(|| home().join(".local/share"), PathBuf::from);
    data.join("nook/models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
}

/// The test-only second architecture.
fn gemma3() -> PathBuf {
    home().join(".cache/nook/test-models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf")
}

fn tokenizer(model: &Path) -> Tokenizer {
    assert!(model.is_file(), "{} is missing: run `bash scripts/setup.sh --models --test-models`", model.display());
    let gguf = Gguf::open(model).unwrap();
    Tokenizer::new(VocabSpec::from_gguf(&gguf.metadata).unwrap()).unwrap()
}

/// Every case of the fixture, compared; all differences are reported.
fn agrees_with_llama_cpp(model: &Path, fixture: &str) {
    let differences = common::fixture_differences(&tokenizer(model), &repo().join("tests/fixtures/llamacpp").join(fixture), 100);
    assert!(differences.is_empty(), "{} cases of {fixture} differ from llama.cpp:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn smollm2_byte_level_bpe_tokenizes_like_llama_cpp() {
    agrees_with_llama_cpp(&smollm2(), "smollm2-tokenize.json");
}

#[test]
fn gemma3_sentencepiece_tokenizes_like_llama_cpp() {
    agrees_with_llama_cpp(&gemma3(), "gemma3-tokenize.json");
}

#[test]
fn gemma3_chat_prompt_starts_with_exactly_one_bos() {
    use nook_chat::{ChatTemplate, Family, Message};
    let tokenizer = tokenizer(&gemma3());
    let (template, _) = ChatTemplate::for_model(None, Family::Gemma);
    let prompt = template.render(&[Message::new("user", "Hi")], true, "<bos>", "<eos>").unwrap();
    let ids = tokenizer.encode_prompt(&prompt);
    assert_eq!(ids.iter().filter(|&&id| Some(id) == tokenizer.bos()).count(), 1, "{ids:?}");
    assert_eq!(ids[..2], [tokenizer.bos().unwrap(), 105], "<bos><start_of_turn>");
}
