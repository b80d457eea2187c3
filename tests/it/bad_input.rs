//! Bad files are skipped with a reason a person can act on, the rest is
//! indexed, and a run killed halfway loses nothing.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use nook_engine::{Engine, FileState, IndexOptions, SearchRequest, WalkOptions, Why};
use nook_tests::{nook_binary, stdout_of, write_file as write, Home};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn each_bad_file_is_skipped_with_its_reason_and_good_files_are_found() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    write(&root, "good/lighthouse.md", b"# Lighthouse keeper's logbook\n\nThe lamp was trimmed at dusk and the fog horn sounded twice.\n");
    write(&root, "good/latin1.txt", b"Menu du caf\xe9: cr\xe8me br\xfbl\xe9e and espresso, served at the harbour kiosk.\n");
    write(&root, "good/utf16.txt", &[b"\xff\xfe".as_slice(), &"Tide tables for the northern pier".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()].concat());
    write(&root, "good/nested.html", format!("{}<p>deeply nested seashell catalogue</p>{}", "<div>".repeat(5_000), "</div>".repeat(5_000)).as_bytes());
    write(&root, "bad/program.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    write(&root, "bad/photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    write(&root, "bad/huge.log", &vec![b'a'; 200 * 1024]);
    write(&root, "bad/empty.txt", b"");
    write(&root, "bad/id_rsa", b"-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n");
    write(&root, "bad/notes-with-key.md", b"keep this safe\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n");
    write(&root, ".hidden/diary.txt", b"secret diary");
    write(&root, "node_modules/left-pad/index.js", b"module.exports = 1");
    std::os::unix::fs::symlink(root.join("bad"), root.join("bad/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere"), root.join("bad/dangling")).unwrap();
    // A file readable only by its owner's root-less twin: skipped below when
    // this test runs as root, which reads everything.
    write(&root, "locked/private.txt", b"locked away");
    fs::set_permissions(root.join("locked/private.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    let permissions_apply = fs::read(root.join("locked/private.txt")).is_err();

    let engine = home.engine().await;
    let options = IndexOptions { walk: WalkOptions { max_file_size: 64 * 1024, ..WalkOptions::default() }, ..IndexOptions::default() };
    let report = engine.index(&root, &options, &mut |_| {}).await.unwrap();
    assert_eq!(report.indexed, 4 + usize::from(!permissions_apply), "{report:?}");

    let status = engine.status(usize::MAX).await.unwrap();
    let check = |rel: &str, expected: &str, reason: &str| nook_tests::assert_problem(&status, &root, rel, expected, reason);
    check("bad/program.txt", "skipped", "binary content (ELF executable)");
    check("bad/photo.md", "skipped", "binary content (PNG image)");
    check("bad/huge.log", "skipped", "too large");
    check("bad/empty.txt", "skipped", "empty");
    check("bad/id_rsa", "skipped", "secret");
    check("bad/notes-with-key.md", "skipped", "secret");
    check(".hidden", "skipped", "hidden");
    check("node_modules", "skipped", "build output or dependencies");
    check("bad/loop", "skipped", "symbolic link loop");
    check("bad/dangling", "failed", "broken symbolic link");
    if permissions_apply {
        check("locked/private.txt", "failed", "permission denied");
    } else {
        eprintln!("running as root: the permission-denied case cannot be produced here");
    }

    for (query, file) in [
        ("lighthouse fog horn", "good/lighthouse.md"),
        ("crème brûlée at the harbour kiosk", "good/latin1.txt"),
        ("tide tables northern pier", "good/utf16.txt"),
        ("seashell catalogue", "good/nested.html"),
    ] {
        let hits = engine.search(&SearchRequest::new(query)).await.unwrap();
        assert_eq!(hits[0].path, root.join(file).to_str().unwrap(), "{query}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_folder_keeps_what_was_indexed_from_it() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    write(&root, "shared/minutes.txt", b"Minutes of the allotment society: compost bins are moving to plot nine.\n");
    let engine = home.engine().await;
    nook_tests::index(&engine, &root).await;

    fs::set_permissions(root.join("shared"), fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(root.join("shared")).is_ok() {
        eprintln!("running as root: folders cannot be made unreadable here");
        return;
    }
    let report = nook_tests::index(&engine, &root).await;
    fs::set_permissions(root.join("shared"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!((report.removed, report.failed), (0, 1));
    let hits = engine.search(&SearchRequest::new("allotment compost bins")).await.unwrap();
    assert!(hits[0].path.ends_with("shared/minutes.txt"));
}

/// Counts the committed versions (manifests) of a table in the index.
fn versions(index: &Path, table: &str) -> usize {
    fs::read_dir(index.join(format!("{table}.lance/_versions"))).map_or(0, |dir| {
        dir.filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "manifest"))).count()
    })
}

#[test]
fn a_run_killed_halfway_loses_nothing_and_the_next_run_finishes_the_job() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 400, 11).unwrap();
    let index_dir = home.dir.path().join("index");

    let mut child = Command::new(nook_binary())
        .args(["index", docs.path().to_str().unwrap()])
        .env("NOOK_HOME", home.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first batch of file records is committed (the table's
    // second version), then kill -9.
    let deadline = Instant::now() + Duration::from_secs(300);
    while versions(&index_dir, "files") < 2 {
        assert!(child.try_wait().unwrap().is_none(), "indexing ended before it could be interrupted");
        assert!(Instant::now() < deadline, "no batch was committed within 5 minutes");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let resumed: Value = serde_json::from_str(&stdout_of(&home.nook(&["index", "--json", docs.path().to_str().unwrap()]))).unwrap();
    let kept = resumed["unchanged"].as_u64().unwrap() as usize;
    let redone = resumed["indexed"].as_u64().unwrap() as usize;
    // Files whose content the index already held (the corpus repeats a few
    // texts) take those vectors instead of being embedded again.
    let reused = resumed["reused"].as_u64().unwrap() as usize;
    assert!(kept > 0, "the first run's committed work was kept: {resumed}");
    assert!(redone > 0, "the first run was really interrupted: {resumed}");
    assert_eq!(kept + redone + reused, corpus.files.len(), "{resumed}");

    let status: Value = serde_json::from_str(&stdout_of(&home.nook(&["status", "--json"]))).unwrap();
    assert_eq!(status["files_indexed"].as_u64().unwrap() as usize, corpus.files.len());
    let hits: Value = serde_json::from_str(&stdout_of(&home.nook(&["search", "--json", "how often should I feed my bread starter"]))).unwrap();
    assert!(hits["results"][0]["path"].as_str().unwrap().ends_with("kitchen/sourdough.md"), "{hits}");
}

#[tokio::test(flavor = "multi_thread")]
async fn why_explains_each_files_standing_by_the_rules_the_index_follows() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    write(&root, ".gitignore", b"build/\n");
    write(&root, "notes/plan.md", b"# Garden plan\n\nPlant the beans after the last frost.\n");
    write(&root, "build/report.txt", b"generated");
    write(&root, ".secrets/diary.txt", b"dear diary");
    write(&root, "bad/empty.txt", b"");
    let engine = home.engine().await;
    nook_tests::index(&engine, &root).await;
    write(&root, "notes/new.md", b"Written after the last run.\n");
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "elsewhere.txt", b"not in the library");

    let folders = vec![root.clone()];
    let why = |path: PathBuf| why_of(&engine, &folders, path);
    let indexed = why(root.join("notes/plan.md")).await;
    assert_eq!((indexed.state, indexed.chunks), (FileState::Indexed, 1), "{indexed:?}");
    assert_eq!(indexed.folder.as_deref(), Some(root.as_path()));
    let ignored = why(root.join("build/report.txt")).await;
    assert_eq!(ignored.state, FileState::Skipped);
    assert!(ignored.reason.contains("inside") && ignored.reason.contains(".gitignore"), "{ignored:?}");
    let hidden = why(root.join(".secrets/diary.txt")).await;
    assert_eq!(hidden.state, FileState::Skipped);
    assert!(hidden.reason.contains("hidden"), "{hidden:?}");
    let empty = why(root.join("bad/empty.txt")).await;
    assert_eq!(empty.state, FileState::Skipped);
    assert!(empty.reason.contains("empty"), "{empty:?}");
    let pending = why(root.join("notes/new.md")).await;
    assert_eq!(pending.state, FileState::Pending, "{pending:?}");
    let elsewhere = why(outside.path().join("elsewhere.txt")).await;
    assert_eq!(elsewhere.state, FileState::Outside);
    assert!(elsewhere.reason.contains("add its folder"), "{elsewhere:?}");
    assert_eq!(why(root.join("notes/gone.md")).await.state, FileState::Missing);

    // The same answer from the command line, as JSON.
    let out = home.nook(&["why", "--json", root.join("notes/plan.md").to_str().unwrap()]);
    let json: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["state"], "indexed", "{json}");
}

async fn why_of(engine: &Engine, folders: &[PathBuf], path: PathBuf) -> Why {
    engine.why(&path, folders).await.unwrap()
}
