//! A model file that cannot be used is refused with a message naming the
//! file and the reason, before anything heavy is loaded.

mod common;

use common::smollm2_path;
use nook_llm::{LlmError, LoadOptions, Model};

fn message(result: Result<Model, LlmError>) -> String {
    match result {
        Ok(_) => panic!("the model loaded"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_truncated_download_is_named_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("SmolLM2-cut.gguf");
    let whole = std::fs::read(smollm2_path()).unwrap();
    std::fs::write(&cut, &whole[..whole.len() / 3]).unwrap();
    let text = message(Model::load(&cut));
    assert!(text.contains("SmolLM2-cut.gguf") && text.contains("truncated"), "{text}");
}

#[test]
fn a_file_that_is_not_a_model_is_named_and_explained() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("notes.gguf");
    std::fs::write(&fake, "# my notes\n").unwrap();
    let text = message(Model::load(&fake));
    assert!(text.contains("notes.gguf") && text.contains("GGUF magic"), "{text}");
}

#[test]
fn a_model_that_would_not_fit_in_memory_is_refused_before_loading() {
    let options = LoadOptions { memory_available: Some(64 << 20), ..LoadOptions::default() };
    let text = message(Model::load_with(&smollm2_path(), options));
    assert!(text.contains("SmolLM2-135M-Instruct.Q4_1.gguf") && text.contains("only 0.1 GB is free"), "{text}");
}

#[test]
fn an_architecture_nook_does_not_run_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rwkv-world.gguf");
    std::fs::write(&path, nook_gguf::header_only("rwkv6")).unwrap();
    let text = message(Model::load(&path));
    assert!(text.contains("rwkv-world.gguf") && text.contains("the rwkv6 architecture is not supported"), "{text}");
}

#[test]
fn a_vocabulary_and_embeddings_that_disagree_are_named_before_loading() {
    // 259 tokens over 200 embedding rows (scripts/random_models.py --bad).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/tiny-models/bad-vocabulary-rows.gguf");
    let text = message(Model::load(&path));
    assert!(
        text.contains("bad-vocabulary-rows.gguf") && text.contains("259 tokens but its token embeddings have 200 rows") && text.contains("download it again"),
        "{text}"
    );
}
