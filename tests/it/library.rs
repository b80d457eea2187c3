//! The library: watched folders kept indexed by one background worker, with
//! events a window can follow, pause and resume, and settings that persist.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use nook_engine::library::{LibraryEvent, Phase, Sink};
use nook_engine::{FileStatus, Library, SearchRequest, Settings};
use nook_tests::Home;
use tokio::sync::mpsc;

type Events = mpsc::UnboundedReceiver<LibraryEvent>;

/// A library whose worker runs on this runtime, and the events it sends.
async fn library(home: &Home) -> (Arc<Library>, Events, Arc<Mutex<Vec<LibraryEvent>>>) {
    library_with(home, |_, _| {}).await
}

/// As [`library`], with `hook` called on each event, inside the worker's
/// own call, with the library.
async fn library_with(
    home: &Home,
    hook: impl Fn(&Library, &LibraryEvent) + Send + Sync + 'static,
) -> (Arc<Library>, Events, Arc<Mutex<Vec<LibraryEvent>>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let me: Arc<OnceLock<Arc<Library>>> = Arc::new(OnceLock::new());
    let me_in_sink = me.clone();
    let sink: Sink = Arc::new(move |event: LibraryEvent| {
        if let Some(library) = me_in_sink.get() {
            hook(library, &event);
        }
        seen.lock().unwrap().push(event.clone());
        let _ = tx.send(event);
    });
    let (library, warning) = Library::open(Arc::new(home.engine().await), sink).unwrap();
    assert!(warning.is_none());
    let _ = me.set(library.clone());
    tokio::spawn(library.clone().run());
    (library, rx, log)
}

/// Waits for the first event that `pick` accepts.
async fn until<T>(events: &mut Events, mut pick: impl FnMut(&LibraryEvent) -> Option<T>) -> T {
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

async fn indexed(events: &mut Events, folder: &Path) -> nook_engine::IndexReport {
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
    assert_eq!(library.openable(&hits[0].path).await.unwrap().to_str(), Some(hits[0].path.as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn only_indexed_files_of_watched_folders_may_be_opened() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("notes.md"), "Notes on the harbour wall repairs.").unwrap();
    std::fs::write(docs.path().join("tool.bin"), b"\x7fELF\x02\x01\x01\0\0\0binary").unwrap();
    std::fs::write(docs.path().join("run.desktop"), "[Desktop Entry]\nExec=sh -c 'echo hi'\n").unwrap();
    std::fs::write(docs.path().join("script.sh"), "#!/bin/sh\necho the harbour script\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(docs.path().join("script.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (library, mut events, _) = library(&home).await;
    let folder = library.add(docs.path()).unwrap();
    indexed(&mut events, &folder).await;
    let path = |name: &str| folder.join(name).to_string_lossy().into_owned();

    assert!(library.openable(&path("notes.md")).await.is_ok());
    let refused = |p: String| {
        let library = library.clone();
        async move { library.openable(&p).await.unwrap_err().to_string() }
    };
    assert!(refused(path("tool.bin")).await.contains("not an indexed file"), "a skipped binary");
    assert!(refused(path("run.desktop")).await.contains("a program or a launcher"));
    assert!(refused(path("script.sh")).await.contains("a program or a launcher"));
    assert!(library.revealable(&path("script.sh")).await.is_ok(), "showing it in its folder runs nothing");
    assert!(refused("/etc/passwd".into()).await.contains("not in a watched folder"));
    assert!(refused(format!("{}/../../etc/passwd", folder.display())).await.contains("not an indexed file"));
    std::fs::write(docs.path().join("new.md"), "not indexed yet").unwrap();
    assert!(refused(path("new.md")).await.contains("not an indexed file"));
    std::fs::remove_file(docs.path().join("notes.md")).unwrap();
    assert!(refused(path("notes.md")).await.contains("no longer there"));
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
    // Pause from inside the run, once, when a few files are read (the
    // resumed run reports progress too and must not pause again).
    let once = std::sync::atomic::AtomicBool::new(false);
    let (library, mut events, _) = library_with(&home, move |library, event| {
        if matches!(event, LibraryEvent::Progress { phase: Phase::Indexing, done, .. } if *done >= 3)
            && !once.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            library.set_paused(true).unwrap();
        }
    })
    .await;
    let folder = library.add(docs.path()).unwrap();
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

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_removed_while_paused_is_forgotten_at_once_and_after_a_restart() {
    let home = Home::new();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(a.path().join("a.md"), "The orchard ladder needs a new rung.").unwrap();
    std::fs::write(b.path().join("b.md"), "The orchard gate needs oiling.").unwrap();
    {
        let (library, mut events, _) = library(&home).await;
        let (fa, fb) = (library.add(a.path()).unwrap(), library.add(b.path()).unwrap());
        indexed(&mut events, &fa).await;
        indexed(&mut events, &fb).await;
        library.set_paused(true).unwrap();
        library.refresh(); // runs queued behind the pause
        library.remove(&fb).unwrap();
        let forgotten = until(&mut events, |e| match e {
            LibraryEvent::Forgotten { folder, files } => Some((folder.clone(), *files)),
            _ => None,
        })
        .await;
        assert_eq!(forgotten, (fb.clone(), 1), "removal does not wait for resume");
        assert!(Settings::load(&home.paths.config_dir).unwrap().settings.pending_removals.is_empty());
    }
    // A removal left unfinished (Nook quit first) is finished at the next start.
    let mut settings = Settings::load(&home.paths.config_dir).unwrap().settings;
    let fa = settings.folders.remove(0);
    settings.pending_removals.push(fa.clone());
    settings.save(&home.paths.config_dir).unwrap();
    let (library, mut events, _) = library(&home).await;
    let forgotten = until(&mut events, |e| match e {
        LibraryEvent::Forgotten { folder, .. } => Some(folder.clone()),
        _ => None,
    })
    .await;
    assert_eq!(forgotten, fa);
    assert!(library.engine().search(&SearchRequest::new("orchard")).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_removed_and_added_again_during_its_run_ends_up_indexed() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 120, 4).unwrap();
    let flipped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let once = flipped.clone();
    let (library, mut events, _) = library_with(&home, move |library, event| {
        if let LibraryEvent::Progress { phase: Phase::Indexing, done, folder, .. } = event {
            if *done >= 3 && !once.swap(true, std::sync::atomic::Ordering::SeqCst) {
                library.remove(folder).unwrap();
                library.add(folder).unwrap();
            }
        }
    })
    .await;
    let folder = library.add(docs.path()).unwrap();
    until(&mut events, |e| matches!(e, LibraryEvent::Forgotten { .. }).then_some(())).await;
    let report = indexed(&mut events, &folder).await;
    assert!(flipped.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(report.indexed, corpus.files.len(), "indexed again in full after being forgotten");
    assert_eq!(library.settings().folders, vec![folder]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_model_loads_on_request_from_any_thread_and_goes_when_released() {
    let home = Home::new();
    let (library, _events, _) = library(&home).await;
    assert!(!library.engine().release_idle_model(Duration::ZERO), "an idle library holds no model");
    let asker = library.clone();
    // Asked from a plain thread, as a window's command may: no runtime there.
    std::thread::spawn(move || asker.warm_up()).join().expect("warming up needs no runtime");
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while !library.engine().release_idle_model(Duration::ZERO) {
        assert!(std::time::Instant::now() < deadline, "the model never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!library.engine().release_idle_model(Duration::ZERO), "released once, gone");
    let hits = library.engine().search(&SearchRequest::new("anything")).await.unwrap();
    assert!(hits.is_empty(), "searching loads it again on demand");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fiscal_year_start_is_kept_and_read_by_the_planner() {
    let home = Home::new();
    let (library, _events, _log) = library(&home).await;
    let err = library.set_fiscal_year_start(13).unwrap_err().to_string();
    assert!(err.contains("from 1 (January) to 12 (December), not 13"), "{err}");
    library.set_fiscal_year_start(4).unwrap();
    assert_eq!(library.settings().fiscal_year_start, Some(4));
    let dates = library.engine().plan("this fiscal year").unwrap().dates.unwrap();
    assert_eq!(chrono::Datelike::month(&dates.from.unwrap()), 4);
}
