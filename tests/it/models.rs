//! `nook models add | use | remove`: a model per task, chosen by name,
//! checked before it is taken.

use std::path::PathBuf;

use nook_tests::{stdout_of, Home};
use serde_json::Value;
use sha2::{Digest, Sha256};

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

    let damaged = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/tiny-models/bad-vocabulary-rows.gguf");
    refusal(&["models", "add", damaged.to_str().unwrap()], "its vocabulary has 259 tokens but its token embeddings have 200 rows");

    let tiny = downloads.path().join("tiny.gguf");
    std::fs::write(&tiny, nook_gguf::header_only("qwen3")).unwrap();
    stdout_of(&home.nook(&["models", "add", tiny.to_str().unwrap()]));
    refusal(&["models", "add", tiny.to_str().unwrap()], "there is already a model named tiny");
}

/// Tokens compared with llama.cpp's at most, and at least.
const GREEDY_TOKENS: usize = 32;
const AT_LEAST: usize = 16;

/// A model of a family people bring, on that family's real vocabulary
/// (tiny random weights, built by the test set-up: scripts/random_models.py),
/// is added, chosen and asked through the CLI like any GGUF a user drops in;
/// the prompt Nook builds is the one llama.cpp's fixture was made from, and
/// the answer's tokens are llama.cpp's greedy choices after it
/// (tests/fixtures/llamacpp/family-NAME.json, made by
/// scripts/oracle/family_models.py).
fn family_answers_as_llama_cpp(name: &str) {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/llamacpp");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(fixtures.join(format!("family-{name}.json"))).unwrap()).unwrap();
    let case = &fixture["cases"][0];
    let ids = |v: &Value| v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect::<Vec<_>>();
    let model = PathBuf::from(std::env::var("HOME").unwrap()).join(format!(".cache/nook/test-models/families/{name}.gguf"));
    let bytes = std::fs::read(&model).unwrap_or_else(|e| panic!("{}: {e} (bash scripts/setup.sh --test-models builds it)", model.display()));
    assert_eq!(format!("{:x}", Sha256::digest(&bytes)), fixture["model_sha256"].as_str().unwrap(), "{name}: not the model the fixture was made on");

    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    // (The model sees the file as `harbour/tram.txt`, as in the fixture.)
    std::fs::create_dir(docs.path().join("harbour")).unwrap();
    std::fs::write(docs.path().join("harbour/tram.txt"), fixture["note"].as_str().unwrap()).unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let added = stdout_of(&home.nook(&["models", "add", model.to_str().unwrap()]));
    assert!(added.contains(&format!("Added {name}")), "{added}");
    let listed = models(&home);
    let entry = listed.iter().find(|m| m["name"] == name).unwrap();
    assert_eq!(entry["architecture"], case["architecture"], "{entry}");
    // What to expect of it here, from its header.
    let outlook = &entry["outlook"];
    assert_eq!(outlook["fits"], true, "{entry}");
    assert!(outlook["parameters"].as_u64().unwrap() > 1_000_000, "{entry}");
    assert!(outlook["write_tokens_per_second"].as_f64().unwrap() > 0.0, "{entry}");
    assert_eq!(outlook["good_for"].as_str().unwrap().contains("reasons before it answers"), name == "tiny-qwen3", "{entry}");
    stdout_of(&home.nook(&["models", "use", name]));

    let out = stdout_of(&home.nook(&["ask", fixture["question"].as_str().unwrap(), "--json", "--explain"]));
    let answer: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["turn"]["model"], name);
    let generation = &answer["generation"];
    assert!(
        ids(&generation["prompt_ids"]) == ids(&case["prompt_ids"]),
        "{name}: Nook's prompt is not the one the fixture was made from; if the prompt changed on purpose, renew the fixtures with `bash scripts/oracle/llamacpp.sh`"
    );
    let tokens = ids(&generation["tokens"]);
    let greedy = ids(&case["greedy"]);
    // Up to where a rule overruled the model (a number not in the
    // passages), the tokens are the model's own.
    let compared = GREEDY_TOKENS.min(tokens.len()).min(generation["first_refused"].as_u64().map_or(usize::MAX, |n| n as usize));
    assert!(compared >= AT_LEAST, "{name}: only {compared} tokens to compare ({tokens:?})");
    assert_eq!(tokens[..compared], greedy[..compared], "{name}: the answer's tokens differ from llama.cpp's greedy ones");
}

#[test]
fn a_llama_3_model_answers_as_llama_cpp() {
    family_answers_as_llama_cpp("tiny-llama3");
}

#[test]
fn a_mistral_model_answers_as_llama_cpp() {
    family_answers_as_llama_cpp("tiny-mistral");
}

#[test]
fn a_qwen2_model_answers_as_llama_cpp() {
    family_answers_as_llama_cpp("tiny-qwen2");
}

#[test]
fn a_qwen3_model_answers_as_llama_cpp() {
    family_answers_as_llama_cpp("tiny-qwen3");
}

#[test]
fn a_phi3_model_answers_as_llama_cpp() {
    family_answers_as_llama_cpp("tiny-phi3");
}

#[test]
fn a_gemma3_model_answers_as_llama_cpp() {
    // Gemma 3's own vocabulary; the grounded prompt outgrows the window of
    // its local layers, so the window is tested too.
    family_answers_as_llama_cpp("tiny-gemma3");
}
