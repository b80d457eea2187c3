//! llama.cpp's own tokenizer tests, run on Nook's tokenizer: each test
//! vocabulary llama.cpp ships (`ggml-vocab-NAME.gguf`, real vocabularies of
//! the model families people bring) with its test inputs (`.inp`) and the
//! token ids llama.cpp and Hugging Face give for them (`.out`).
//!
//! The files come from llama-cpp-python's source distribution, fetched and
//! checked by the test set-up (`bash scripts/setup.sh --test-models`, into
//! `~/.cache/nook/test-models/llama-vocabs`). Each vocabulary is
//! tokenized exactly; a kind Nook does not know is refused by name.

mod common;

use std::path::PathBuf;

use nook_chat::{Tokenizer, TokenizerError, VocabSpec};
use nook_gguf::Gguf;

fn vocabularies() -> PathBuf {
    let home = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let dir = home.join(".cache/nook/test-models/llama-vocabs");
    assert!(dir.join("ggml-vocab-gpt-2.gguf").is_file(), "{} is missing: run `bash scripts/setup.sh --test-models`", dir.display());
    dir
}

fn load(name: &str) -> Result<Tokenizer, TokenizerError> {
    let gguf = Gguf::open(&vocabularies().join(format!("ggml-vocab-{name}.gguf"))).unwrap();
    Tokenizer::new(VocabSpec::from_gguf(&gguf.metadata)?)
}

/// The test inputs and their ids, in the harness's format
/// (llama.cpp's tests/test-tokenizer-0.cpp): inputs separated by
/// `"\n__ggml_vocab_test__\n"` (the last one may lack it), one line of
/// space-separated ids per input.
fn cases(name: &str) -> Vec<(String, Vec<u32>)> {
    let dir = vocabularies();
    let inputs = std::fs::read_to_string(dir.join(format!("ggml-vocab-{name}.gguf.inp"))).unwrap();
    let outputs = std::fs::read_to_string(dir.join(format!("ggml-vocab-{name}.gguf.out"))).unwrap();
    let mut texts: Vec<String> = inputs.split("\n__ggml_vocab_test__\n").map(String::from).collect();
    if texts.last().is_some_and(|t| t.is_empty()) {
        texts.pop();
    }
    let ids: Vec<Vec<u32>> =
        outputs.lines().map(|line| line.split_whitespace().map(|id| id.parse().unwrap()).collect()).collect();
    assert_eq!(texts.len(), ids.len(), "{name}: as many inputs as lines of ids");
    texts.into_iter().zip(ids).collect()
}

/// Every input tokenized as the harness does (no BOS or EOS added, special
/// tokens not parsed); all differences reported.
fn tokenizes_as_llama_cpp(name: &str) {
    let tokenizer = load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let cases = cases(name);
    assert!(cases.len() >= 40, "{name}: {} cases", cases.len());
    let differences: Vec<String> = cases
        .iter()
        .filter_map(|(text, expected)| {
            let actual = tokenizer.encode(text, false, false);
            (&actual != expected).then(|| format!("{text:?}:\n  llama.cpp {expected:?}\n  Nook      {actual:?}"))
        })
        .collect();
    assert!(differences.is_empty(), "{name}: {} of {} inputs differ:\n{}", differences.len(), cases.len(), differences.join("\n"));
}

#[test]
fn gpt_2() {
    tokenizes_as_llama_cpp("gpt-2");
}

#[test]
fn llama_spm() {
    tokenizes_as_llama_cpp("llama-spm");
}

#[test]
fn phi_3() {
    tokenizes_as_llama_cpp("phi-3");
}

#[test]
fn llama_bpe() {
    tokenizes_as_llama_cpp("llama-bpe");
}

#[test]
fn qwen2() {
    tokenizes_as_llama_cpp("qwen2");
}

#[test]
fn qwen35() {
    tokenizes_as_llama_cpp("qwen35");
}

#[test]
fn deepseek_llm() {
    tokenizes_as_llama_cpp("deepseek-llm");
}

#[test]
fn deepseek_coder() {
    tokenizes_as_llama_cpp("deepseek-coder");
}

#[test]
fn falcon() {
    tokenizes_as_llama_cpp("falcon");
}

#[test]
fn gemma_4() {
    tokenizes_as_llama_cpp("gemma-4");
}

#[test]
fn mpt() {
    tokenizes_as_llama_cpp("mpt");
}

#[test]
fn starcoder() {
    tokenizes_as_llama_cpp("starcoder");
}

#[test]
fn refact() {
    tokenizes_as_llama_cpp("refact");
}

#[test]
fn command_r() {
    tokenizes_as_llama_cpp("command-r");
}

/// Nook's own multilingual corpus (`tests/fixtures/tokenizer_corpus.json`)
/// on every test vocabulary, with and without special tokens added and
/// parsed, against llama.cpp's ids (`tests/fixtures/llamacpp/vocab-*`,
/// written by `bash scripts/oracle/llamacpp.sh` through llama-cpp-python);
/// phi-3's parsed special tokens strip the white space after them (RSTRIP,
/// set by the model's name).
#[test]
fn the_multilingual_corpus_tokenizes_as_llama_cpp_on_every_family() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/llamacpp");
    let mut differences = Vec::new();
    for name in VOCABULARIES {
        let path = fixtures.join(format!("vocab-{name}-tokenize.json"));
        let found = common::fixture_differences(&load(name).unwrap(), &path, 200);
        differences.extend(found.into_iter().map(|d| format!("{name} {d}")));
    }
    assert!(differences.is_empty(), "{} cases differ:\n{}", differences.len(), differences.join("\n"));
}

const VOCABULARIES: [&str; 14] = [
    "llama-bpe", "qwen2", "qwen35", "deepseek-llm", "deepseek-coder", "command-r", "falcon", "mpt", "refact", "starcoder",
    "gpt-2", "llama-spm", "phi-3", "gemma-4",
];

/// What the tokens spell is the text again, byte for byte, for the
/// byte-level vocabularies and Gemma 4's `▁` spelling with `<0xXX>` bytes.
#[test]
fn the_tokens_spell_the_text_back() {
    for name in ["gpt-2", "llama-bpe", "qwen2", "deepseek-coder", "gemma-4"] {
        let tokenizer = load(name).unwrap();
        for (text, ids) in cases(name) {
            let spelled: Vec<u8> = ids.iter().flat_map(|&id| tokenizer.piece(id, false)).collect();
            assert_eq!(String::from_utf8_lossy(&spelled), text, "{name}");
        }
    }
}

/// A pre-tokenizer or vocabulary type Nook does not know is refused by
/// name, never tokenized some other way.
#[test]
fn an_unknown_pre_tokenizer_or_vocabulary_type_is_refused_by_name() {
    let gguf = Gguf::open(&vocabularies().join("ggml-vocab-gpt-2.gguf")).unwrap();
    let spec = VocabSpec::from_gguf(&gguf.metadata).unwrap();
    let tekken = VocabSpec { pre: Some("tekken".into()), ..spec.clone() };
    assert_eq!(Tokenizer::new(tekken).err(), Some(TokenizerError::UnsupportedPreTokenizer("tekken".into())));
    let rwkv = VocabSpec { model: "rwkv".into(), ..spec };
    assert_eq!(Tokenizer::new(rwkv).err(), Some(TokenizerError::UnsupportedModel("rwkv".into())));
}
