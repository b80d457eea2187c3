//! The `nook` command-line contract that scripts and later checks rely on.

use std::fs;
use std::process::Command;
use std::time::{Duration, SystemTime};

use nook_tests::{nook_binary, stdout_of, Home};
use serde_json::Value;

fn json(output: &std::process::Output) -> Value {
    serde_json::from_str(&stdout_of(output)).expect("valid JSON")
}

#[test]
fn index_search_and_status_work_from_the_command_line() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 20, 9).unwrap();
    let root = docs.path().canonicalize().unwrap();
    let old = root.join("home/garden.md");
    fs::File::options().write(true).open(&old).unwrap()
        .set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_577_836_800)) // 2020-01-01
        .unwrap();

    let indexed = stdout_of(&home.nook(&["index", docs.path().to_str().unwrap()]));
    assert!(indexed.contains(&format!("{} files found", corpus.files.len())), "{indexed}");

    let found = json(&home.nook(&["search", "--json", "how often should I feed my bread starter"]));
    let results = found["results"].as_array().unwrap();
    assert_eq!(results[0]["path"], root.join("kitchen/sourdough.md").to_str().unwrap());
    assert!(results.iter().all(|r| r["path"].as_str().unwrap().starts_with('/')), "absolute paths");
    let ranks: Vec<u64> = results.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=results.len() as u64).collect::<Vec<_>>());

    let code = json(&home.nook(&["search", "--json", "--kind", "code", "--limit", "3", "sorting"]));
    let code = code["results"].as_array().unwrap();
    assert!(!code.is_empty() && code.len() <= 3);
    assert!(code.iter().all(|r| r["kind"] == "code"), "{code:?}");

    let before_2021 = json(&home.nook(&["search", "--json", "--until", "2021-01-01", "garden"]));
    let paths: Vec<&str> = before_2021["results"].as_array().unwrap().iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(paths, [old.to_str().unwrap()]);
    let since = json(&home.nook(&["search", "--json", "--since", "2021-01-01", "tomato seedlings garden"]));
    assert!(since["results"].as_array().unwrap().iter().all(|r| r["path"] != old.to_str().unwrap()));

    let human = stdout_of(&home.nook(&["search", "brake pads"]));
    assert!(human.starts_with(" 1. ") && human.contains("civic-maintenance.txt:"), "{human}");

    let status = json(&home.nook(&["status", "--json"]));
    assert_eq!(status["files_indexed"].as_u64().unwrap() as usize, corpus.files.len());
    assert!(status["chunks"].as_u64().unwrap() as usize >= corpus.files.len());
    let human_status = stdout_of(&home.nook(&["status"]));
    assert!(human_status.contains(&format!("{} indexed", corpus.files.len())), "{human_status}");
}

#[test]
fn bad_requests_are_refused_with_a_message_that_says_what_to_do() {
    let home = Home::new();
    let refusal = |args: &[&str], expected: &str| home.assert_refused(args, expected);
    refusal(&["search", "   "], "the request is empty; type what you are looking for");
    refusal(&["search", "--kind", "pdfs", "x"], "expected one of: text, markdown, code, html, data");
    refusal(&["search", "--since", "last tuesday", "x"], "use YYYY-MM-DD");
    refusal(&["search", "--since", "2025-01-02", "--until", "2025-01-01", "x"], "swap or widen the dates");
    refusal(&["index", "/no/such/folder"], "no such folder");
    let empty = stdout_of(&home.nook(&["status"]));
    assert!(empty.contains("Nothing is indexed yet"), "{empty}");
}

#[test]
fn a_missing_model_names_the_command_that_fetches_it() {
    let nowhere = tempfile::tempdir().unwrap();
    let out = Command::new(nook_binary())
        .args(["status"])
        .env("NOOK_HOME", nowhere.path())
        .env("HOME", nowhere.path())
        .env_remove("XDG_DATA_HOME")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("all-MiniLM-L6-v2") && stderr.contains("bash scripts/setup.sh --models"), "{stderr}");
}

#[test]
fn models_list_shows_each_model_and_what_is_wrong_with_a_bad_one() {
    let home = Home::new();
    let dropped = home.dir.path().join("models");
    fs::create_dir_all(&dropped).unwrap();
    fs::write(dropped.join("half-download.gguf"), b"GGUF\x03\x00").unwrap();
    let listed = json(&home.nook(&["models", "list", "--json"]));
    let models = listed.as_array().unwrap();
    let chat = models.iter().find(|m| m["name"] == "SmolLM2-135M-Instruct").unwrap();
    assert_eq!((chat["task"].as_str(), chat["architecture"].as_str(), chat["context_length"].as_u64()), (Some("chat"), Some("llama"), Some(8192)));
    assert!(chat["problem"].is_null());
    let embed = models.iter().find(|m| m["task"] == "embed").unwrap();
    assert!(embed["location"].as_str().unwrap().ends_with("all-MiniLM-L6-v2"), "{embed}");
    let bad = models.iter().find(|m| m["name"] == "half-download").unwrap();
    assert!(bad["problem"].as_str().unwrap().contains("half-download.gguf is not a usable GGUF model"), "{bad}");
    let human = stdout_of(&home.nook(&["models", "list"]));
    assert!(human.contains("SmolLM2-135M-Instruct  (chat, llama, 8192 tokens of context") && human.contains("problem:"), "{human}");
}

#[test]
fn nook_watch_follows_a_folder_without_the_desktop_app() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    fs::write(root.join("tides.md"), "Tide tables for the northern pier.\n").unwrap();
    let mut child = Command::new(nook_binary())
        .args(["watch", "--json", root.to_str().unwrap()])
        .env("NOOK_HOME", home.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let until = |kind: &str| -> Value {
        loop {
            let line = lines.recv_timeout(Duration::from_secs(120)).unwrap_or_else(|_| panic!("no `{kind}` event"));
            let event: Value = serde_json::from_str(&line).unwrap();
            if event["type"] == kind {
                return event;
            }
        }
    };
    let indexed = until("indexed");
    assert_eq!(indexed["report"]["indexed"], 1, "{indexed}");
    fs::write(root.join("harbour.md"), "The harbour master keeps the ferry timetable.\n").unwrap();
    let updated = until("updated");
    assert_eq!(updated["report"]["indexed"], 1, "{updated}");
    child.kill().unwrap();
    child.wait().unwrap();

    let found = json(&home.nook(&["search", "--json", "ferry timetable"]));
    assert_eq!(found["results"][0]["path"], root.join("harbour.md").to_str().unwrap());
    // The folder stays in the Library.
    let why = json(&home.nook(&["why", "--json", root.join("harbour.md").to_str().unwrap()]));
    assert_eq!((why["state"].as_str(), why["folder"].as_str()), (Some("indexed"), root.to_str()));
}
