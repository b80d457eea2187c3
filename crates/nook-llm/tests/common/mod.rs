//! Where set-up put the models these tests run.

use std::path::PathBuf;

use nook_llm::Model;

fn home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
}

/// The default chat model (`bash scripts/setup.sh --models`).
pub fn smollm2_path() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME").map_or_else(|| home().join(".local/share"), PathBuf::from);
    data.join("nook/models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
}

/// The test-only second architecture (`bash scripts/setup.sh --test-models`).
#[allow(dead_code)] // not every test file uses it
pub fn gemma3_path() -> PathBuf {
    home().join(".cache/nook/test-models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf")
}

#[allow(dead_code)]
pub fn smollm2() -> Model {
    let path = smollm2_path();
    assert!(path.is_file(), "{} is missing: run `bash scripts/setup.sh --models`", path.display());
    Model::load(&path).unwrap()
}
