//! Answers from the user's files (`nook ask`, `Engine::ask`): the real
//! index, the real embedding model, the default chat model on the CPU.

use std::sync::atomic::{AtomicBool, Ordering};

use nook_engine::{AskEvent, AskRequest, EngineError, NookPaths};
use nook_tests::{index, stdout_of, Home};
use serde_json::Value;

const NOTHING_FOUND: &str = nook_chat::NOTHING_FOUND;

fn json(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout_of(output)).expect("valid JSON")
}

#[test]
fn a_question_is_answered_from_the_files_with_numbered_sources_and_the_conversation_goes_on() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 10, 5).unwrap();
    let root = docs.path().canonicalize().unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));

    let first = json(&home.nook(&["ask", "--json", "How often should I feed my sourdough starter?"]));
    let turn = &first["turn"];
    let sources = turn["sources"].as_array().unwrap();
    let sourdough = root.join("kitchen/sourdough.md");
    assert_eq!(sources[0]["path"], sourdough.to_str().unwrap(), "the best passage comes first: {sources:?}");
    assert_eq!(sources[0]["number"], 1);
    assert!(sources.len() <= 4);
    assert!(sources[0]["line_start"].as_u64().unwrap() >= 1);
    let answer = turn["answer"].as_str().unwrap();
    assert!(!answer.is_empty() && answer != NOTHING_FOUND, "{answer}");
    assert_eq!(turn["model"], "SmolLM2-135M-Instruct.Q4_1");
    assert!(["end_of_turn", "max_tokens"].contains(&turn["finish"].as_str().unwrap()), "{turn}");
    // The cited flags are exactly the [n] the answer contains.
    for source in sources {
        let marker = format!("[{}]", source["number"]);
        assert_eq!(source["cited"].as_bool().unwrap(), answer.contains(&marker), "{marker} in {answer:?}");
    }

    let id = first["conversation"].as_str().unwrap().to_string();
    let listed = json(&home.nook(&["conversations", "list", "--json"]));
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["title"], "How often should I feed my sourdough starter?");
    assert_eq!(listed[0]["turns"], 1);

    let again = json(&home.nook(&["ask", "--json", "--conversation", &id, "What flour does it use?"]));
    assert_eq!(again["conversation"], id.as_str(), "the same conversation goes on");
    let shown = json(&home.nook(&["conversations", "show", "--json", &id]));
    let questions: Vec<&str> = shown["turns"].as_array().unwrap().iter().map(|t| t["question"].as_str().unwrap()).collect();
    assert_eq!(questions, ["How often should I feed my sourdough starter?", "What flour does it use?"]);

    stdout_of(&home.nook(&["conversations", "rename", &id, "Bread"]));
    assert_eq!(json(&home.nook(&["conversations", "list", "--json"]))[0]["title"], "Bread");
    stdout_of(&home.nook(&["conversations", "delete", &id]));
    assert_eq!(json(&home.nook(&["conversations", "list", "--json"])), Value::Array(vec![]));
}

#[test]
fn the_human_output_streams_the_answer_then_lists_the_sources() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 5, 6).unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let out = stdout_of(&home.nook(&["ask", "How often should I feed my sourdough starter?"]));
    let (answer, rest) = out.split_once("\nSources:\n").expect("a Sources section");
    assert!(!answer.trim().is_empty());
    assert!(rest.contains("  [1] ") && rest.contains("kitchen/sourdough.md:"), "{rest}");
    assert!(rest.contains("continue with: nook ask --conversation c"), "{rest}");
}

#[tokio::test(flavor = "multi_thread")]
async fn when_nothing_relevant_is_indexed_the_answer_says_so_without_the_model() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 10, 7).unwrap();
    let engine = home.engine().await;
    index(&engine, docs.path()).await;
    let mut events = Vec::new();
    let request = AskRequest { question: "What is the melting point of tungsten in kelvin?".into(), ..AskRequest::default() };
    let answer = engine.ask(&request, &AtomicBool::new(false), &mut |e| events.push(e)).await.unwrap();
    assert_eq!(answer.turn.answer, NOTHING_FOUND);
    assert_eq!(answer.turn.finish, "nothing_found");
    assert!(answer.turn.sources.is_empty() && answer.turn.model.is_empty());
    assert_eq!(events, vec![AskEvent::Sources(vec![]), AskEvent::Text(NOTHING_FOUND.into())], "no model was loaded");
    let kept = engine.conversations().get(&answer.conversation_id).unwrap();
    assert_eq!(kept.turns, vec![answer.turn], "kept like any answer");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_answer_stops_and_keeps_what_was_said() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 5, 8).unwrap();
    let engine = home.engine().await;
    index(&engine, docs.path()).await;
    let cancel = AtomicBool::new(false);
    let mut texts = 0;
    let request = AskRequest { question: "How often should I feed my sourdough starter?".into(), ..AskRequest::default() };
    let answer = engine
        .ask(&request, &cancel, &mut |event| {
            if let AskEvent::Text(_) = event {
                texts += 1;
                if texts == 3 {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(answer.turn.finish, "cancelled");
    assert_eq!(texts, 3, "no text after the cancel");
    assert!(!answer.turn.answer.is_empty());
    assert_eq!(engine.conversations().get(&answer.conversation_id).unwrap().turns[0].finish, "cancelled");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_chat_model_a_question_is_refused_with_what_to_do() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 5, 9).unwrap();
    // Only the embedding model: a models folder holding just that.
    let installed = NookPaths::from_env().unwrap().model_dirs;
    let embed = installed.iter().map(|d| d.join("all-MiniLM-L6-v2")).find(|d| d.is_dir()).expect("the embedding model is installed");
    let models = home.dir.path().join("only-embed");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(&embed, models.join("all-MiniLM-L6-v2")).unwrap();
    let mut paths = NookPaths::under(home.dir.path(), None);
    paths.model_dirs = vec![models];
    let engine = nook_engine::Engine::open(paths).await.unwrap();
    index(&engine, docs.path()).await;
    let request = AskRequest { question: "How often should I feed my sourdough starter?".into(), ..AskRequest::default() };
    let err = engine.ask(&request, &AtomicBool::new(false), &mut |_| {}).await.unwrap_err();
    assert!(matches!(err, EngineError::ChatModelMissing { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("bash scripts/setup.sh --models") && text.contains("nook models add"), "{text}");
}

#[test]
fn bad_conversation_requests_are_refused_with_what_to_do() {
    let home = Home::new();
    let refusal = |args: &[&str], expected: &str| home.assert_refused(args, expected);
    refusal(&["ask", "   "], "nothing to search for");
    refusal(&["ask", "--conversation", "c123", "hello?"], "no conversation has the id c123; `nook conversations list` shows them");
    refusal(&["conversations", "show", "../../etc/passwd"], "no conversation has the id");
    refusal(&["conversations", "delete", "c999"], "no conversation has the id c999");
    let empty = stdout_of(&home.nook(&["conversations", "list"]));
    assert!(empty.contains("No conversations yet"), "{empty}");
}

#[test]
fn a_chosen_model_whose_file_is_gone_is_named_with_what_to_do() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 5, 10).unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let downloads = tempfile::tempdir().unwrap();
    let file = downloads.path().join("mine.gguf");
    std::fs::write(&file, nook_gguf::header_only("llama")).unwrap();
    stdout_of(&home.nook(&["models", "add", file.to_str().unwrap()]));
    stdout_of(&home.nook(&["models", "use", "mine"]));
    std::fs::remove_file(home.dir.path().join("models/mine.gguf")).unwrap();
    home.assert_refused(
        &["ask", "How often should I feed my sourdough starter?"],
        "the model mine chosen for chat is no longer there (moved or deleted?); choose another with `nook models use NAME --task chat`",
    );
}
