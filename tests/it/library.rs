//! The library: watched folders kept indexed by one background worker, with
//! events a window can follow, pause and resume, and settings that persist.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nook_engine::library::{LibraryEvent, Phase, Sink};
use nook_engine::{FileStatus, Library, SearchRequest, Settings};
use nook_tests::Home;
use tokio::sync::mpsc;

/// A library whose worker runs on this runtime, and the events it sends.
async fn library(home: &Home) -> (Arc<Library>, mpsc::UnboundedReceiver<LibraryEvent>, Arc<Mutex<Vec<LibraryEvent>>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let sink: Sink = Arc::new(move |event: LibraryEvent| {
        seen.lock().unwrap().push(event.clone());
        let _ = tx.send(event);
    });
    let (library, warning) = Library::open(Arc::new(home.engine().await), sink).unwrap();
    assert!(warning.is_none());
    tokio::spawn(library.clone().run());
    (library, rx, log)
}

/// Waits for the first event that `pick` accepts.
async fn until<T>(events: &mut mpsc::UnboundedReceiver<LibraryEvent>, mut pick: impl FnMut(&LibraryEvent) -> Option<T>) -> T {
    let wait = async {
        loop {
            let event = events.recv().await.expect("the worker is running");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(300), wait).await.expect("the event came in time")
}

async fn indexed(events: &mut mpsc::UnboundedReceiver<LibraryEvent>, folder: &Path) -> nook_engine::IndexReport {
    until(events, |e| match e {
        LibraryEvent::Indexed { folder: f, report } if f == folder => Some(report.clone()),
        LibraryEvent::Failed { message, .. } => panic!("indexing failed: {message}"),
        _ => None,
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_added_folder_is_indexed_with_progress_and_can_be_searched() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 20, 5).unwrap();
    let (library, mut events, log) = library(&home).await;

    let folder = library.add(docs.path()).unwrap();
    assert_eq!(folder, docs.path().canonicalize().unwrap());
    let report = indexed(&mut events, &folder).await;
    assert_eq!(report.indexed, corpus.files.len());

    let progress: Vec<(Phase, usize, usize)> = log
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            LibraryEvent::Progress { phase, done, total, .. } => Some((*phase, *done, *total)),
            _ => None,
        })
        .collect();
    let reading: Vec<_> = progress.iter().filter(|p| p.0 == Phase::Indexing).collect();
    assert!(!reading.is_empty(), "progress while reading: {progress:?}");
    assert_eq!(reading.last().unwrap().1, corpus.files.len(), "the last file is always reported");
    assert!(reading.windows(2).all(|w| w[0].1 <= w[1].1), "done only counts up");
    assert_eq!(progress.last().unwrap().0, Phase::Optimizing);

    let summary = &library.folders().await.unwrap()[0];
    assert_eq!((summary.indexed, summary.pending), (corpus.files.len(), false));
    let query = &corpus.queries[0];
    let hits = library.engine().search(&SearchRequest::new(query.query)).await.unwrap();
    assert!(hits.iter().take(3).any(|h| h.path.ends_with(&query.expected)), "{:?}", hits.iter().map(|h| &h.path).collect::<Vec<_>>());
    assert!(library.knows_file(&hits[0].path).await.unwrap());
    assert!(!library.knows_file("/etc/passwd").await.unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_persist_and_a_folder_inside_a_watched_one_is_refused() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    std::fs::create_dir(docs.path().join("inner")).unwrap();
    let (library, mut events, _) = library(&home).await;
    let folder = library.add(docs.path()).unwrap();
    indexed(&mut events, &folder).await;

    let refused = library.add(&docs.path().join("inner")).unwrap_err().to_string();
    assert!(refused.contains("already watched as part of"), "{refused}");
    let missing = library.add(Path::new("/no/such/folder")).unwrap_err().to_string();
    assert!(missing.contains("no such folder"), "{missing}");

    library.set_shortcut(Some("Alt+K".into())).unwrap();
    let saved = Settings::load(&home.paths.config_dir).unwrap().settings;
    assert_eq!(saved.folders, vec![folder]);
    assert_eq!(saved.shortcut.as_deref(), Some("Alt+K"));
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_a_folder_forgets_its_files_and_leaves_them_on_disk() {
    let home = Home::new();
    let (keep, drop) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(keep.path().join("kept.md"), "Notes about the lighthouse keeper and the foghorn.").unwrap();
    std::fs::write(drop.path().join("dropped.md"), "Notes about the lighthouse lamp and its lens.").unwrap();
    let (library, mut events, _) = library(&home).await;
    let kept = library.add(keep.path()).unwrap();
    let dropped = library.add(drop.path()).unwrap();
    indexed(&mut events, &kept).await;
    indexed(&mut events, &dropped).await;

    library.remove(&dropped).unwrap();
    let files = until(&mut events, |e| match e {
        LibraryEvent::Forgotten { files, .. } => Some(*files),
        _ => None,
    })
    .await;
    assert_eq!(files, 1);
    let hits = library.engine().search(&SearchRequest::new("lighthouse")).await.unwrap();
    let paths: Vec<_> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, vec![kept.join("kept.md").to_str().unwrap()]);
    assert!(drop.path().join("dropped.md").exists(), "the file itself is untouched");
    assert_eq!(library.settings().folders, vec![kept]);
    assert!(library.remove(&dropped).unwrap_err().to_string().contains("is not a watched folder"));
}

#[tokio::test(flavor = "multi_thread")]
async fn pausing_stops_a_run_part_way_and_resuming_finishes_it() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 120, 9).unwrap();
    let (library, mut events, _) = library(&home).await;
    let folder = library.add(docs.path()).unwrap();

    // Pause once a few files are read.
    until(&mut events, |e| matches!(e, LibraryEvent::Progress { phase: Phase::Indexing, done, .. } if *done >= 3).then_some(())).await;
    library.set_paused(true).unwrap();
    until(&mut events, |e| matches!(e, LibraryEvent::Paused).then_some(())).await;
    let activity = library.activity();
    assert!(activity.paused);
    assert_eq!(activity.queued, vec![folder.clone()], "the folder waits at the head of the queue");
    let part = library.files(&folder, Some(FileStatus::Indexed), usize::MAX).await.unwrap().total;
    assert!(part > 0 && part < corpus.files.len(), "{part} of {} files indexed before the pause", corpus.files.len());
    assert!(Settings::load(&home.paths.config_dir).unwrap().settings.indexing_paused, "the pause is saved");

    library.set_paused(false).unwrap();
    let report = indexed(&mut events, &folder).await;
    assert_eq!(report.unchanged + report.indexed, corpus.files.len(), "the rest is read, the part done is not redone");
    assert_eq!(report.unchanged, part);
}
