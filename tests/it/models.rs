//! `nook models add | use | remove`: a model per task, chosen by name,
//! checked before it is taken.

use nook_tests::{stdout_of, Home};
use serde_json::Value;

fn models(home: &Home) -> Vec<Value> {
    let out = stdout_of(&home.nook(&["models", "list", "--json"]));
    serde_json::from_str::<Value>(&out).unwrap().as_array().unwrap().clone()
}

fn used_for(models: &[Value], name: &str) -> Vec<String> {
    let model = models.iter().find(|m| m["name"] == name).unwrap_or_else(|| panic!("{name} is listed"));
    model["used_for"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
}

#[test]
fn a_model_is_added_chosen_for_a_task_and_removed() {
    let home = Home::new();
    let downloads = tempfile::tempdir().unwrap();
    let file = downloads.path().join("tiny-llama.gguf");
    std::fs::write(&file, nook_gguf::header_only("llama")).unwrap();

    let added = stdout_of(&home.nook(&["models", "add", file.to_str().unwrap()]));
    assert!(added.contains("Added tiny-llama"), "{added}");
    assert!(home.dir.path().join("models/tiny-llama.gguf").is_file(), "copied into Nook's models folder");
    assert!(file.is_file(), "the user's file stays where it was");
    assert_eq!(used_for(&models(&home), "SmolLM2-135M-Instruct"), ["chat", "plan"], "the default answers until told otherwise");

    stdout_of(&home.nook(&["models", "use", "tiny-llama", "--task", "plan"]));
    let listed = models(&home);
    assert_eq!(used_for(&listed, "tiny-llama"), ["plan"]);
    assert_eq!(used_for(&listed, "SmolLM2-135M-Instruct"), ["chat"]);

    stdout_of(&home.nook(&["models", "remove", "tiny-llama"]));
    assert!(!home.dir.path().join("models/tiny-llama.gguf").exists());
    assert_eq!(used_for(&models(&home), "SmolLM2-135M-Instruct"), ["chat", "plan"], "the plan task falls back to the default");
}

#[test]
fn models_nook_cannot_use_are_refused_with_the_reason() {
    let home = Home::new();
    let downloads = tempfile::tempdir().unwrap();
    let refusal = |args: &[&str], expected: &str| home.assert_refused(args, expected);
    let mamba = downloads.path().join("mamba.gguf");
    std::fs::write(&mamba, nook_gguf::header_only("mamba")).unwrap();
    refusal(&["models", "add", mamba.to_str().unwrap()], "its architecture, mamba, is not one Nook runs");
    let notes = downloads.path().join("notes.gguf");
    std::fs::write(&notes, "not a model").unwrap();
    refusal(&["models", "add", notes.to_str().unwrap()], "notes.gguf: Nook cannot use this model");
    refusal(&["models", "add", "/no/such/model.gguf"], "/no/such/model.gguf");
    refusal(&["models", "use", "no-such-model"], "no model is named no-such-model; `nook models list` shows");
    refusal(&["models", "use", "all-MiniLM-L6-v2"], "not a chat model");
    refusal(&["models", "use", "SmolLM2-135M-Instruct", "--task", "dream"], "there is no task dream");
    refusal(&["models", "remove", "SmolLM2-135M-Instruct"], "is a default model and cannot be removed");

    let tiny = downloads.path().join("tiny.gguf");
    std::fs::write(&tiny, nook_gguf::header_only("qwen3")).unwrap();
    stdout_of(&home.nook(&["models", "add", tiny.to_str().unwrap()]));
    refusal(&["models", "add", tiny.to_str().unwrap()], "there is already a model named tiny");
}
