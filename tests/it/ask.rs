//! Answers from the user's files (`nook ask`, `Engine::ask`): the real
//! index, the real embedding model, the default chat model on the CPU.

use std::sync::atomic::{AtomicBool, Ordering};

use nook_engine::{AskEvent, AskRequest, EngineError, NookPaths, Support};
use nook_tests::{index, stdout_of, Home};
use serde_json::Value;

const NOTHING_FOUND: &str = nook_chat::NOTHING_FOUND;

/// Writes `text` to `rel` under `dir`, making its folders.
fn write_file(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

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

/// The text of lines `start..=end` of `path`.
fn lines_of(path: &str, start: u32, end: u32) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().skip(start as usize - 1).take((end - start + 1) as usize).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sentence_that_answers_comes_first_with_its_file_and_lines_and_every_generated_sentence_is_checked() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 10, 5).unwrap();
    let root = docs.path().canonicalize().unwrap();
    let engine = home.engine().await;
    index(&engine, docs.path()).await;
    let mut events = Vec::new();
    let request = AskRequest { question: "How often should I feed my sourdough starter?".into(), ..AskRequest::default() };
    let answer = engine.ask(&request, &AtomicBool::new(false), &mut |e| events.push(e)).await.unwrap();
    let turn = &answer.turn;

    // Sources, then the extract, before the model loads or writes anything.
    assert!(matches!(events[0], AskEvent::Sources(_)), "{:?}", events[0]);
    let AskEvent::Extract(Some(extract)) = &events[1] else { panic!("the extract comes second: {:?}", events[1]) };
    let sourdough = root.join("kitchen/sourdough.md").to_string_lossy().into_owned();
    assert_eq!(extract.path, sourdough);
    assert!(
        lines_of(&sourdough, extract.line_start, extract.line_end).contains(extract.text.trim()),
        "the span is the file's text at its lines: {extract:?}"
    );
    assert_eq!(turn.sources[extract.source - 1].path, extract.path, "numbered as the sources are");
    assert_eq!(turn.extract.as_ref(), Some(extract), "kept in the turn");

    // Every sentence the model wrote is checked; a supported one holds its
    // exact claims (numbers, names) in the lines of the passage it cites.
    assert!(!turn.sentences.is_empty(), "{turn:?}");
    for sentence in &turn.sentences {
        match sentence.support {
            Support::Supported => {
                assert!(!sentence.sources.is_empty());
                for &n in &sentence.sources {
                    let source = &turn.sources[n - 1];
                    let passage = lines_of(&source.path, source.line_start, source.line_end).to_lowercase();
                    for claim in nook_answer::support::claims(&sentence.text) {
                        assert!(passage.contains(&claim), "{claim:?} of {:?} is not in [{n}]", sentence.text);
                    }
                }
            }
            _ => assert!(sentence.sources.is_empty(), "{sentence:?}"),
        }
    }
    // Numbers are copied, never made up: every number the model wrote is
    // in the passages it read (or is a source's number).
    let read: String = turn.sources.iter().map(|s| lines_of(&s.path, s.line_start, s.line_end)).collect::<Vec<_>>().join("\n");
    let numbers_in = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_digit() || c == '.')).map(|n| n.trim_matches('.').to_string()).filter(|n| !n.is_empty()).collect()
    };
    let numbers_read = numbers_in(&read);
    for number in numbers_in(&turn.answer) {
        let source_number = number.parse::<usize>().is_ok_and(|n| (1..=turn.sources.len()).contains(&n));
        assert!(source_number || numbers_read.contains(&number), "{number} is not a number of the passages: {:?}", turn.answer);
    }
    // The answer cites exactly what the check kept.
    for source in &turn.sources {
        let marker = format!("[{}]", source.number);
        assert_eq!(source.cited, turn.answer.contains(&marker), "{marker} in {:?}", turn.answer);
    }
    let checked = events.iter().find_map(|e| match e {
        AskEvent::Checked { sentences, answer } => Some((sentences, answer)),
        _ => None,
    });
    assert_eq!(checked, Some((&turn.sentences, &turn.answer)), "the check is streamed too");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_follow_up_does_not_read_again_what_the_model_read_for_the_turn_before() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 10, 5).unwrap();
    let engine = home.engine().await;
    index(&engine, docs.path()).await;
    let reading = |events: &[AskEvent]| {
        events
            .iter()
            .find_map(|e| match e {
                AskEvent::Reading { tokens, reused } => Some((*tokens, *reused)),
                _ => None,
            })
            .expect("the model read a prompt")
    };

    let mut events = Vec::new();
    let request = AskRequest { question: "How often should I feed my sourdough starter?".into(), ..AskRequest::default() };
    let first = engine.ask(&request, &AtomicBool::new(false), &mut |e| events.push(e)).await.unwrap();
    let (first_tokens, _) = reading(&events);
    let exchange = first.turn.exchange.as_ref().expect("what the model read and wrote is kept");
    assert!(exchange.prompt.contains("[1] ") && exchange.prompt.ends_with(&first.turn.question), "{exchange:?}");

    let mut events = Vec::new();
    let follow_up = AskRequest { question: "What flour does it use?".into(), conversation: Some(first.conversation_id.clone()), ..AskRequest::default() };
    let second = engine.ask(&follow_up, &AtomicBool::new(false), &mut |e| events.push(e)).await.unwrap();
    let (tokens, reused) = reading(&events);
    assert!(reused >= first_tokens, "the first turn's {first_tokens} tokens are not read again: {reused} of {tokens} reused");
    assert!(!second.turn.answer.trim().is_empty());
}

#[test]
fn a_quote_only_answer_needs_no_model_and_names_its_file_and_lines() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 10, 5).unwrap();
    let root = docs.path().canonicalize().unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let sourdough = root.join("kitchen/sourdough.md");

    let out = json(&home.nook(&["ask", "--quote-only", "--json", "How often should I feed my sourdough starter?"]));
    let turn = &out["turn"];
    assert_eq!(turn["model"], "");
    assert_eq!(turn["finish"], "quote_only");
    assert_eq!(turn["extract"]["path"], sourdough.to_str().unwrap());
    let line = turn["extract"]["line_start"].as_u64().unwrap() as u32;
    let span = turn["extract"]["text"].as_str().unwrap();
    assert!(lines_of(sourdough.to_str().unwrap(), line, line).contains(span.lines().next().unwrap().trim()), "{turn}");
    let answer = turn["answer"].as_str().unwrap();
    let number = turn["extract"]["source"].as_u64().unwrap();
    assert!(answer.ends_with(&format!("[{number}]")), "{answer}");
    assert_eq!(turn["sources"][number as usize - 1]["cited"], true);

    let human = stdout_of(&home.nook(&["ask", "--quote-only", "How often should I feed my sourdough starter?"]));
    let from = human.find("From your files [").expect("the quote's heading");
    assert!(human[from..].contains(&format!("{}:{line}", sourdough.display())), "{human}");
    assert!(human.contains(&format!("  > {}", span.lines().next().unwrap().trim())), "{human}");

    // --explain: every piece as scored, best first; the span shown is the
    // best one's.
    let out = json(&home.nook(&["ask", "--quote-only", "--json", "--explain", "How often should I feed my sourdough starter?"]));
    let scored = out["scored"].as_array().expect("the scored pieces");
    let scores: Vec<f64> = scored.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    let best = &scored[0];
    assert_eq!(best["span"], out["turn"]["extract"]["text"]);
    assert_eq!(best["path"], sourdough.to_str().unwrap());
    assert!(best["features"].as_array().unwrap().iter().any(|f| f[0] == "meaning"), "{best}");
    let human = stdout_of(&home.nook(&["ask", "--quote-only", "--explain", "How often should I feed my sourdough starter?"]));
    assert!(human.contains("How the passages' pieces scored"), "{human}");
}

#[test]
fn a_question_that_names_a_file_is_answered_from_that_file_and_one_can_be_scoped_by_hand() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(docs.path(), rel, text);
    write("deps/tower-0.5.2/README.md", "# Tower\n\nModular components for building robust networking clients and servers.\n\n## Supported Rust versions\n\nThe current MSRV is 1.64.0.\n");
    write("deps/tower-http-0.6.1/README.md", "# tower-http\n\nHTTP middleware built on tower: every tower service works with it.\n\ntower-http's MSRV is 1.66.\n");
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let out = json(&home.nook(&["ask", "--quote-only", "--json", "What is tower's MSRV?"]));
    let extract = &out["turn"]["extract"];
    assert!(extract["path"].as_str().unwrap().ends_with("tower-0.5.2/README.md"), "{extract}");
    assert!(extract["text"].as_str().unwrap().contains("1.64.0"), "{extract}");

    // Scoped by hand: only that file (or folder) is read.
    let http = docs.path().join("deps/tower-http-0.6.1");
    for within in [http.clone(), http.join("README.md")] {
        let out = json(&home.nook(&["ask", "--quote-only", "--json", "--in", within.to_str().unwrap(), "What is tower's MSRV?"]));
        let sources = out["turn"]["sources"].as_array().unwrap();
        assert!(!sources.is_empty() && sources.iter().all(|s| s["path"].as_str().unwrap().contains("tower-http-0.6.1")), "{out}");
        assert!(out["turn"]["extract"]["text"].as_str().unwrap().contains("1.66"), "{out}");
    }
    let missing = docs.path().join("deps/none");
    home.assert_refused(&["ask", "--in", missing.to_str().unwrap(), "What is tower's MSRV?"], "there is no such file or folder");
}

#[test]
fn a_file_named_by_a_question_is_read_though_others_are_closer_and_copies_are_read_once() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(docs.path(), rel, text);
    write("deps/subtle-2.6.1/README.md", "# subtle\n\nPure-Rust traits and utilities for constant-time cryptographic implementations.\n\nRust **1.41** or higher.\n");
    for name in ["walkdir-2.5.0", "byteorder-1.5.0", "memchr-2.7.0"] {
        write(&format!("deps/{name}/README.md"), &format!("# {name}\n\nThis crate's minimum supported Rust version (MSRV) is 1.34.0.\n"));
    }
    let copy = "# Releases\n\nPreview releases stay available for download for at least 6 months.\n";
    write("deps/lance-core-14.0.2/README.md", copy);
    write("deps/lance-datagen-14.0.2/README.md", copy);
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));

    // The other files say "minimum supported Rust version" word for word;
    // subtle's says only "Rust 1.41 or higher". Its file is read, its
    // pieces count as named (plainly: no other file says "subtle"), and
    // another crate's version does not answer for it.
    let out = json(&home.nook(&["ask", "--quote-only", "--json", "--explain", "What's the minimum supported Rust version for the subtle crate?"]));
    let first = out["turn"]["sources"][0]["path"].as_str().unwrap();
    assert!(first.ends_with("subtle-2.6.1/README.md"), "{out}");
    let feature = |p: &Value, name: &str| p["features"].as_array().unwrap().iter().find(|f| f[0] == name).and_then(|f| f[1].as_f64()).unwrap();
    let named: Vec<&Value> = out["scored"].as_array().unwrap().iter().filter(|p| feature(p, "named") == 1.0).collect();
    assert!(!named.is_empty() && named.iter().all(|p| p["path"].as_str().unwrap().ends_with("subtle-2.6.1/README.md")), "{out}");
    assert!(named.iter().any(|p| p["span"].as_str().unwrap().contains("1.41")), "{out}");
    assert!(!out["turn"]["extract"]["text"].as_str().is_some_and(|t| t.contains("1.34.0")), "never another crate's: {out}");

    let out = json(&home.nook(&["ask", "--quote-only", "--json", "How long do preview releases stay available?"]));
    let paths: Vec<&str> = out["turn"]["sources"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect();
    let copies = paths.iter().filter(|p| p.contains("/lance-")).count();
    assert_eq!(copies, 1, "one of the two identical files: {paths:?}");
    assert!(out["turn"]["extract"]["text"].as_str().unwrap().contains("6 months"), "{out}");
}

#[test]
fn very_long_questions_are_refused_and_other_languages_are_answered_with_a_note() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 5, 5).unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let long = "a".repeat(2400);
    home.assert_refused(&["ask", &long], "the question is 2400 characters long; ask in at most 2000");
    let out = json(&home.nook(&["ask", "--quote-only", "--json", "Combien de fois faut-il nourrir le levain de la cuisine ?"]));
    let notes = out["turn"]["notes"].as_array().expect("notes");
    assert!(notes[0].as_str().unwrap().contains("another language"), "{notes:?}");
}

#[test]
fn a_follow_up_is_searched_with_the_question_before_it() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 10, 5).unwrap();
    let root = docs.path().canonicalize().unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let first = json(&home.nook(&["ask", "--quote-only", "--json", "How often should I feed my sourdough starter?"]));
    let id = first["conversation"].as_str().unwrap();
    let again = json(&home.nook(&["ask", "--quote-only", "--json", "--conversation", id, "and how much flour?"]));
    let sourdough = root.join("kitchen/sourdough.md");
    assert_eq!(again["turn"]["sources"][0]["path"], sourdough.to_str().unwrap(), "{}", again["turn"]);
}

/// A lease of several topics, long enough to take several parts.
fn lease() -> String {
    let topics = [
        ("Term", "The lease runs for twelve months, from the first of March to the last day of February."),
        ("Rent", "The monthly rent is nine hundred euros, paid by bank transfer before the fifth day of each month."),
        ("Deposit", "The tenant pays a deposit of eighteen hundred euros, returned within thirty days of moving out."),
        ("Pets", "One cat or one small dog may live in the flat, with the landlord's written consent."),
        ("Repairs", "The landlord repairs the heating, plumbing and roof; the tenant replaces light bulbs and filters."),
        ("Notice", "Either party may end the lease with three months' notice given in writing."),
    ];
    let mut text = String::from("# Lease agreement\n\n");
    for (heading, fact) in topics {
        text.push_str(&format!("## {heading}\n\n{fact}\n"));
        // Plain sentences around each fact, so the file runs to several
        // parts.
        for k in 1..=6 {
            text.push_str(&format!("Clause {k} about {} applies as the law of the land describes it in its article {k}.\n", heading.to_lowercase()));
        }
        text.push('\n');
    }
    text
}

#[test]
fn summarize_a_file_reads_all_of_it_and_shows_its_key_points_with_their_lines() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let text = lease();
    std::fs::write(docs.path().join("lease.md"), &text).unwrap();
    nook_corpus::generate(docs.path(), 5, 3).unwrap();
    stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    let path = docs.path().canonicalize().unwrap().join("lease.md").to_string_lossy().into_owned();

    let out = json(&home.nook(&["ask", "--json", "--quote-only", "summarize lease.md"]));
    let turn = &out["turn"];
    // The sources are the whole file, in parts, from its first line to its
    // last: not the four passages closest to the words.
    let sources = turn["sources"].as_array().unwrap();
    assert!(sources.len() >= 2, "{sources:?}");
    assert!(sources.iter().all(|s| s["path"] == path.as_str()), "{sources:?}");
    assert_eq!(sources[0]["line_start"], 1);
    assert_eq!(sources.last().unwrap()["line_end"].as_u64().unwrap() as usize, text.trim_end().lines().count());
    // Key points: sentences of the file at their lines, each from a
    // different topic, in the file's order.
    let points = turn["key_points"].as_array().expect("key points");
    assert!(points.len() >= 3, "{points:?}");
    let mut last_line = 0;
    for point in points {
        let (start, end) = (point["line_start"].as_u64().unwrap() as u32, point["line_end"].as_u64().unwrap() as u32);
        assert!(lines_of(&path, start, end).contains(point["text"].as_str().unwrap().trim()), "{point}");
        assert!(start > last_line, "in the file's order: {points:?}");
        last_line = start;
        assert_eq!(sources[point["source"].as_u64().unwrap() as usize - 1]["cited"], true);
    }
    let answer = turn["answer"].as_str().unwrap();
    assert!(answer.starts_with("Key points of") && answer.lines().count() == points.len() + 1, "{answer}");

    // A question about a fact in the file is answered from the span, not
    // summarized.
    let fact = json(&home.nook(&["ask", "--json", "--quote-only", "how much is the deposit in lease.md?"]));
    assert!(fact["turn"].get("key_points").is_none(), "{fact}");
    assert!(fact["turn"]["extract"]["text"].as_str().unwrap().contains("eighteen hundred euros"), "{fact}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_summary_by_the_model_reports_each_part_and_is_checked_like_any_answer() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("lease.md"), lease()).unwrap();
    let engine = home.engine().await;
    index(&engine, docs.path()).await;
    let path = docs.path().canonicalize().unwrap().join("lease.md").to_string_lossy().into_owned();
    let scope = nook_engine::scope_filter(std::path::Path::new(&path)).unwrap();
    let mut events = Vec::new();
    // Scoped to the file, the request need not name it.
    let request = AskRequest { question: "give me the gist of this".into(), filter: scope, ..AskRequest::default() };
    let answer = engine.ask(&request, &AtomicBool::new(false), &mut |e| events.push(e)).await.unwrap();
    let turn = &answer.turn;
    let parts = turn.sources.len();
    assert!(parts >= 2, "{turn:?}");

    let summarized: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            AskEvent::Summarizing { stage: nook_engine::SummaryStage::Summarizing, done, total } => {
                assert_eq!(*total, parts);
                Some(*done)
            }
            _ => None,
        })
        .collect();
    assert_eq!(summarized, (1..=parts).collect::<Vec<_>>(), "word after each part");
    let key_points = events.iter().position(|e| matches!(e, AskEvent::KeyPoints(points) if !points.is_empty())).expect("key points");
    let first_text = events.iter().position(|e| matches!(e, AskEvent::Text(_))).expect("a summary");
    assert!(key_points < first_text, "the key points come before the model writes");
    let points = turn.key_points.as_deref().expect("a summary's key points");
    assert!(!points.is_empty() && !turn.sentences.is_empty(), "{turn:?}");
    // The parts the key points come from stay cited after the summary.
    for point in points {
        assert!(turn.sources[point.source - 1].cited, "{point:?}");
    }
    for sentence in &turn.sentences {
        if sentence.support == Support::Supported {
            for &n in &sentence.sources {
                let source = &turn.sources[n - 1];
                let passage = lines_of(&source.path, source.line_start, source.line_end).to_lowercase();
                for claim in nook_answer::support::claims(&sentence.text) {
                    assert!(passage.contains(&claim), "{claim:?} of {:?} is not in part {n}", sentence.text);
                }
            }
        }
    }
}
