//! Re-indexing does only the work that changed, and the store stays bounded.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use nook_engine::{SearchFilter, SearchRequest};
use nook_tests::{index, Home};

fn dir_size(path: &Path) -> u64 {
    let mut total = 0;
    for entry in fs::read_dir(path).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() { dir_size(&entry.path()) } else { meta.len() };
    }
    total
}

fn set_mtime(path: &Path, time: SystemTime) {
    fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

async fn top_paths(engine: &nook_engine::Engine, query: &str) -> Vec<String> {
    let hits = engine.search(&SearchRequest::new(query)).await.unwrap();
    hits.into_iter().map(|h| h.path).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unchanged_folder_embeds_nothing_and_changes_are_followed() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 40, 3).unwrap();
    let root = docs.path().canonicalize().unwrap();
    let engine = home.engine().await;

    let first = index(&engine, &root).await;
    assert_eq!(first.indexed, corpus.files.len());
    assert!(first.chunks_embedded >= corpus.files.len());
    assert_eq!(engine.store().unindexed_text_rows().await.unwrap(), Some(0), "full-text index covers every chunk");

    // Nothing changed: nothing is read or embedded.
    let again = index(&engine, &root).await;
    assert_eq!((again.chunks_embedded, again.indexed, again.retimed), (0, 0, 0));
    assert_eq!(again.unchanged, corpus.files.len());

    // Touched but not edited: read again, not embedded.
    let garden = root.join("home/garden.md");
    set_mtime(&garden, SystemTime::now() + Duration::from_secs(5));
    let touched = index(&engine, &root).await;
    assert_eq!((touched.retimed, touched.chunks_embedded), (1, 0));

    // Edited: that file alone is embedded again, and its new words are found
    // by both retrievers while its old words are gone.
    fs::write(&garden, "# Garden\n\nThe zanzibarquokka hedge needs trimming in late autumn.\n").unwrap();
    set_mtime(&garden, SystemTime::now() + Duration::from_secs(10));
    let edited = index(&engine, &root).await;
    assert_eq!((edited.indexed, edited.chunks_embedded), (1, 1));
    assert_eq!(engine.store().unindexed_text_rows().await.unwrap(), Some(0), "new rows are in the full-text index");
    let by_words = engine.store().text_search("zanzibarquokka", &SearchFilter::default(), 5).await.unwrap();
    assert_eq!(by_words.len(), 1);
    assert_eq!(by_words[0].path, garden.to_str().unwrap());
    assert_eq!(top_paths(&engine, "zanzibarquokka hedge").await[0], garden.to_str().unwrap());
    assert!(!top_paths(&engine, "growing tomatoes in raised beds").await.iter().take(3).any(|p| p == garden.to_str().unwrap()));

    // Deleted: gone from results and from the records.
    let invoice = root.join("finance/invoice-acme-4471.txt");
    fs::remove_file(&invoice).unwrap();
    let deleted = index(&engine, &root).await;
    assert_eq!((deleted.removed, deleted.chunks_embedded), (1, 0));
    assert!(!top_paths(&engine, "ACME invoice").await.contains(&invoice.to_string_lossy().into_owned()));
    let records = engine.store().file_records(None).await.unwrap();
    assert!(!records.iter().any(|r| r.path == invoice.to_str().unwrap()));
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_re_indexing_does_not_grow_the_store_without_bound() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 60, 5).unwrap();
    let root = docs.path().canonicalize().unwrap();
    let engine = home.engine().await;
    index(&engine, &root).await;
    let baseline = dir_size(&home.paths.index_dir);

    let notes = root.join("kitchen/sourdough.md");
    for round in 0..8 {
        fs::write(&notes, format!("# Sourdough, version {round}\n\nFeed the starter at {round} o'clock.\n")).unwrap();
        set_mtime(&notes, SystemTime::now() + Duration::from_secs(round + 1));
        let report = index(&engine, &root).await;
        assert_eq!(report.indexed, 1);
    }
    let after = dir_size(&home.paths.index_dir);
    assert!(after < baseline * 2, "index grew from {baseline} to {after} bytes over 8 edits of one file");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_kept_out_by_a_rule_is_indexed_once_the_rule_is_lifted() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    fs::create_dir_all(root.join("drafts")).unwrap();
    fs::write(root.join(".gitignore"), "drafts/\n").unwrap();
    fs::write(root.join("drafts/poem.txt"), "An ode to the humble wheelbarrow.\n").unwrap();
    let engine = home.engine().await;
    index(&engine, &root).await;
    assert!(top_paths(&engine, "ode to a wheelbarrow").await.is_empty());

    fs::remove_file(root.join(".gitignore")).unwrap();
    let report = index(&engine, &root).await;
    assert_eq!(report.indexed, 1);
    assert_eq!(top_paths(&engine, "ode to a wheelbarrow").await[0], root.join("drafts/poem.txt").to_str().unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn chunks_left_without_a_record_by_a_killed_run_are_cleaned_up() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    fs::write(root.join("kept.txt"), "Notes about the village fete.\n").unwrap();
    let engine = home.engine().await;
    index(&engine, &root).await;

    // What a run killed between a new file's chunks and its record leaves,
    // for a file deleted before the next run.
    let ghost = root.join("ghost.txt").to_string_lossy().into_owned();
    let vector = engine.embedder().unwrap().embed(&["haunted lighthouse ghost story"]).unwrap().remove(0);
    let chunk = nook_store::NewChunk {
        path: ghost.clone(),
        ordinal: 0,
        kind: nook_engine::FileKind::Text,
        modified_ms: 0,
        chunk: nook_core::Chunk { text: "haunted lighthouse ghost story".into(), line_start: 1, line_end: 1, section: None },
        vector,
    };
    engine.store().write(nook_store::WriteBatch { chunks: vec![chunk], ..Default::default() }).await.unwrap();
    assert_eq!(top_paths(&engine, "haunted lighthouse").await[0], ghost);

    index(&engine, &root).await;
    assert!(!top_paths(&engine, "haunted lighthouse").await.contains(&ghost));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_writer_is_refused_with_a_message() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let engine = home.engine().await;
    let lock = fs::File::create(home.paths.index_dir.join(".writer.lock")).unwrap();
    lock.lock().unwrap();
    let err = engine.index(docs.path(), &nook_engine::IndexOptions::default(), &mut |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("another Nook process is indexing it"), "{err}");
    lock.unlock().unwrap();
    engine.index(docs.path(), &nook_engine::IndexOptions::default(), &mut |_| {}).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_index_built_with_another_model_is_refused() {
    let home = Home::new();
    drop(home.engine().await);
    fs::write(home.paths.index_dir.join("embedding-model.txt"), "some-other-model (abc)\n").unwrap();
    let err = nook_engine::Engine::open(home.paths.clone()).await.err().expect("refused");
    let message = err.to_string();
    assert!(message.contains("some-other-model") && message.contains("all-MiniLM-L6-v2"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_nook_mid_run_again_and_again_still_converges_with_a_sound_index() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 400, 11).unwrap();
    let root = docs.path().canonicalize().unwrap();
    let root_arg = root.to_str().unwrap();

    // Kill `nook index` at a different moment of its run each time, with
    // files changing in between, as a machine that loses power might.
    for (round, delay_ms) in [700u64, 1500, 2600, 400, 3500].into_iter().enumerate() {
        let mut child = std::process::Command::new(nook_tests::nook_binary())
            .args(["index", root_arg])
            .env("NOOK_HOME", home.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        fs::write(root.join(format!("round-{round}.txt")), format!("Written after kill number {round}: the orchard ladder.\n")).unwrap();
        if round == 2 {
            // A filler file (the topic files come first).
            fs::remove_file(root.join(corpus.files.last().unwrap())).unwrap();
        }
    }

    let out = home.nook(&["index", root_arg, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let engine = home.engine().await;
    let on_disk = corpus.files.len() - 1 + 5;
    let records = engine.store().file_records(Some(&format!("{root_arg}/"))).await.unwrap();
    assert_eq!(records.len(), on_disk, "one record per file on disk");
    assert!(records.iter().all(|r| r.status == nook_engine::FileStatus::Indexed), "every file indexed");
    // Every chunk row belongs to a recorded file and no file has its chunks twice.
    let with_chunks = engine.store().chunk_paths(&format!("{root_arg}/")).await.unwrap();
    assert_eq!(with_chunks.len(), on_disk);
    let rows = engine.store().counts().await.unwrap().chunks;
    assert_eq!(rows, records.iter().map(|r| r.chunk_count as usize).sum::<usize>(), "no duplicate or stray chunk rows");
    for query in &corpus.queries {
        assert_eq!(top_paths(&engine, query.query).await[0], root.join(query.expected).display().to_string(), "{}", query.query);
    }
    assert!(!top_paths(&engine, "orchard ladder").await.is_empty());
    assert_eq!(engine.store().unindexed_text_rows().await.unwrap(), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn indexing_waits_while_a_search_or_an_answer_runs() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 60, 5).unwrap();
    let engine = std::sync::Arc::new(home.engine().await);
    engine.embedder().unwrap();

    let interactive = engine.foreground();
    let run = tokio::spawn({
        let engine = engine.clone();
        let root = docs.path().to_path_buf();
        async move { engine.index(&root, &nook_engine::IndexOptions::default(), &mut |_| {}).await.unwrap() }
    });
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(!run.is_finished(), "the run went on during interactive work");
    assert_eq!(engine.store().counts().await.unwrap().chunks, 0, "nothing was embedded meanwhile");
    drop(interactive);
    let report = run.await.unwrap();
    assert_eq!(report.indexed, corpus.files.len());
}
