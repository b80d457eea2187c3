//! Live folders: what people do to their files reaches the index with no
//! action of theirs, through the real watcher (inotify, or polling), the
//! real models and a real index.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use nook_engine::library::{LibraryEvent, Sink, WatchOptions};
use nook_engine::{FileStatus, IndexReport, Library, SearchRequest};
use nook_tests::Home;
use tokio::sync::mpsc;

type Events = mpsc::UnboundedReceiver<LibraryEvent>;

/// Watching tests change system-wide inotify limits for a moment; they run
/// one at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Watched {
    library: Arc<Library>,
    events: Events,
    /// Every event received so far.
    log: Vec<LibraryEvent>,
    folder: PathBuf,
    _docs: tempfile::TempDir,
}

/// A started library (worker and watcher) following a new folder holding
/// `files`, once its first run is done.
async fn watched(home: &Home, files: &[(&str, &str)], options: WatchOptions) -> Watched {
    let docs = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(&docs.path().join(path), text);
    }
    let (tx, events) = mpsc::unbounded_channel();
    let sink: Sink = Arc::new(move |event| {
        let _ = tx.send(event);
    });
    let (library, _) = Library::open(Arc::new(home.engine().await), sink).unwrap();
    library.start_with(options);
    let folder = library.add(docs.path()).unwrap();
    let mut watched = Watched { library, events, log: Vec::new(), folder, _docs: docs };
    watched.until_indexed().await;
    watched
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

impl Watched {
    fn path(&self, rel: &str) -> PathBuf {
        self.folder.join(rel)
    }

    async fn until<T>(&mut self, mut pick: impl FnMut(&LibraryEvent) -> Option<T>) -> T {
        let wait = async {
            loop {
                let event = self.events.recv().await.expect("the worker is running");
                self.log.push(event.clone());
                if let LibraryEvent::Failed { message, .. } = &event {
                    panic!("indexing failed: {message}");
                }
                if let Some(found) = pick(&event) {
                    return found;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(120), wait).await.expect("the event came in time")
    }

    async fn until_indexed(&mut self) -> IndexReport {
        let folder = self.folder.clone();
        self.until(|e| match e {
            LibraryEvent::Indexed { folder: f, report } if *f == folder => Some(report.clone()),
            _ => None,
        })
        .await
    }

    async fn until_updated(&mut self) -> IndexReport {
        let folder = self.folder.clone();
        self.until(|e| match e {
            LibraryEvent::Updated { folder: f, report } if *f == folder => Some(report.clone()),
            _ => None,
        })
        .await
    }

    /// Updates until the worker rests, summed.
    async fn updates_until_idle(&mut self) -> Vec<IndexReport> {
        let folder = self.folder.clone();
        let mut reports = Vec::new();
        loop {
            let wait = self.events.recv();
            let Ok(event) = tokio::time::timeout(Duration::from_secs(3), wait).await else { return reports };
            let event = event.expect("the worker is running");
            self.log.push(event.clone());
            match event {
                LibraryEvent::Updated { folder: f, report } if f == folder => reports.push(report),
                LibraryEvent::Failed { message, .. } => panic!("indexing failed: {message}"),
                _ => {}
            }
        }
    }

    async fn found(&self, query: &str) -> Vec<String> {
        let hits = self.library.engine().search(&SearchRequest::new(query)).await.unwrap();
        hits.into_iter().map(|h| h.path).collect()
    }

    async fn records(&self) -> Vec<(String, FileStatus)> {
        let prefix = format!("{}/", self.folder.display());
        let mut records: Vec<(String, FileStatus)> = self
            .library
            .engine()
            .store()
            .file_records(Some(&prefix))
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.path.strip_prefix(&prefix).unwrap().to_string(), r.status))
            .collect();
        records.sort_by(|a, b| a.0.cmp(&b.0));
        records
    }
}

fn quick() -> WatchOptions {
    WatchOptions { poll_interval: Duration::from_secs(1), ..WatchOptions::default() }
}

const BEES: &str = "The apiary log: the queen bee of hive four swarmed in May and the honey harvest was light.\n";
const TIDES: &str = "Harbour notes: the spring tide reached the sea wall at dawn, and the ferry waited for it.\n";
const KILNS: &str = "Pottery diary: the kiln reached cone six overnight and the celadon glaze crazed.\n";

#[tokio::test(flavor = "multi_thread")]
async fn created_edited_and_deleted_files_reach_the_index_with_no_action() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let home = Home::new();
    let mut w = watched(&home, &[("tides.md", TIDES)], quick()).await;

    write(&w.path("bees.md"), BEES);
    let report = w.until_updated().await;
    assert_eq!((report.indexed, report.removed), (1, 0));
    assert_eq!(w.found("queen bee swarm honey").await.first(), Some(&w.path("bees.md").display().to_string()));

    write(&w.path("bees.md"), KILNS);
    let report = w.until_updated().await;
    assert_eq!(report.indexed, 1);
    let found = w.found("kiln glaze pottery").await;
    assert_eq!(found.first(), Some(&w.path("bees.md").display().to_string()));
    let hits = w.library.engine().store().text_search("apiary", &Default::default(), 5).await.unwrap();
    assert!(hits.is_empty(), "the old text is gone: {hits:?}");

    std::fs::remove_file(w.path("bees.md")).unwrap();
    let report = w.until_updated().await;
    assert_eq!(report.removed, 1);
    assert_eq!(w.records().await, [("tides.md".to_string(), FileStatus::Indexed)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_editors_save_is_one_re_index_and_its_temporary_files_are_never_indexed() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let home = Home::new();
    let mut w = watched(&home, &[("plan.md", TIDES)], quick()).await;
    let plan = w.path("plan.md");

    // gedit: the new text goes to a hidden temporary file renamed over the
    // original.
    let temp = w.path(".goutputstream-7QX2Z1");
    std::fs::write(&temp, BEES).unwrap();
    std::fs::rename(&temp, &plan).unwrap();
    let reports = w.updates_until_idle().await;
    assert_eq!(reports.iter().map(|r| r.indexed).sum::<usize>(), 1, "{reports:?}");

    // vim: tests the folder with `4913`, keeps a swap file and a backup
    // while it writes the file anew.
    let swap = w.path(".plan.md.swp");
    std::fs::write(&swap, b"b0VIM 9.0").unwrap();
    std::fs::write(w.path("4913"), b"").unwrap();
    std::fs::remove_file(w.path("4913")).unwrap();
    std::fs::rename(&plan, w.path("plan.md~")).unwrap();
    std::fs::write(&plan, KILNS).unwrap();
    std::fs::remove_file(w.path("plan.md~")).unwrap();
    let reports = w.updates_until_idle().await;
    assert_eq!(reports.iter().map(|r| r.indexed).sum::<usize>(), 1, "{reports:?}");
    std::fs::remove_file(&swap).unwrap();
    let reports = w.updates_until_idle().await;
    assert!(reports.iter().all(|r| r.indexed == 0 && r.removed == 0), "{reports:?}");

    assert_eq!(w.found("kiln glaze pottery").await.first(), Some(&plan.display().to_string()));
    assert_eq!(w.records().await, [("plan.md".to_string(), FileStatus::Indexed)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn files_moved_in_out_and_within_follow_without_embedding_again() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let home = Home::new();
    let mut w = watched(&home, &[("a/bees.md", BEES), ("tides.md", TIDES)], quick()).await;
    let outside = tempfile::tempdir_in(w.folder.parent().unwrap()).unwrap();

    // Renamed within the folder: the same vectors under the new name.
    std::fs::rename(w.path("a/bees.md"), w.path("a/apiary.md")).unwrap();
    let reports = w.updates_until_idle().await;
    let reused: usize = reports.iter().map(|r| r.reused).sum();
    let embedded: usize = reports.iter().map(|r| r.chunks_embedded).sum();
    assert_eq!((reused, embedded), (1, 0), "{reports:?}");
    assert_eq!(w.found("queen bee swarm honey").await.first(), Some(&w.path("a/apiary.md").display().to_string()));

    // Moved out: gone from the index.
    std::fs::rename(w.path("tides.md"), outside.path().join("tides.md")).unwrap();
    let report = w.until_updated().await;
    assert_eq!(report.removed, 1);
    assert_eq!(w.records().await, [("a/apiary.md".to_string(), FileStatus::Indexed)]);

    // Moved in from outside: indexed.
    write(&outside.path().join("kilns.md"), KILNS);
    std::fs::rename(outside.path().join("kilns.md"), w.path("a/kilns.md")).unwrap();
    let report = w.until_updated().await;
    assert_eq!(report.indexed, 1);
    assert_eq!(w.found("kiln glaze pottery").await.first(), Some(&w.path("a/kilns.md").display().to_string()));
}

#[tokio::test(flavor = "multi_thread")]
async fn renaming_a_folder_of_a_thousand_files_moves_them_without_embedding_again() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let home = Home::new();
    let texts: Vec<(String, String)> = (0..1000)
        .map(|i| (format!("2024/note-{i:04}.txt"), format!("Field note {i}: observation number {i} of the season.\n")))
        .collect();
    let files: Vec<(&str, &str)> = texts.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let mut w = watched(&home, &files, quick()).await;

    std::fs::rename(w.path("2024"), w.path("archive-2024")).unwrap();
    let reports = w.updates_until_idle().await;
    let sum = |f: fn(&IndexReport) -> usize| reports.iter().map(f).sum::<usize>();
    assert_eq!(sum(|r| r.reused), 1000, "{reports:?}");
    assert_eq!(sum(|r| r.chunks_embedded), 0);
    assert_eq!(sum(|r| r.removed), 1000);
    let records = w.records().await;
    assert_eq!(records.len(), 1000);
    assert!(records.iter().all(|(p, s)| p.starts_with("archive-2024/") && *s == FileStatus::Indexed));
    let hits = w.library.engine().store().text_search("observation", &Default::default(), 5).await.unwrap();
    assert!(hits.iter().all(|h| h.path.contains("/archive-2024/")), "{hits:?}");
}

/// Sets an inotify limit (`/proc/sys/fs/inotify/<name>`) for as long as it
/// lives. Such a change is system-wide, so it lasts only while a watcher
/// is being set up.
struct InotifyLimit {
    path: PathBuf,
    old: String,
}

impl InotifyLimit {
    fn set(name: &str, value: u64) -> InotifyLimit {
        let path = PathBuf::from("/proc/sys/fs/inotify").join(name);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, value.to_string()).unwrap_or_else(|e| {
            panic!("this test sets {} and must run as root: {e}", path.display())
        });
        InotifyLimit { path, old }
    }
}

impl Drop for InotifyLimit {
    fn drop(&mut self) {
        std::fs::write(&self.path, self.old.trim()).unwrap();
    }
}

/// Inotify watches held now by processes of this user.
fn watches_in_use() -> u64 {
    let uid = unsafe { libc::getuid() };
    let mut n = 0;
    for process in std::fs::read_dir("/proc").unwrap().flatten() {
        use std::os::unix::fs::MetadataExt;
        if process.metadata().map(|m| m.uid()).ok() != Some(uid) {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(process.path().join("fdinfo")) else { continue };
        for fd in fds.flatten() {
            if let Ok(info) = std::fs::read_to_string(fd.path()) {
                n += info.lines().filter(|l| l.starts_with("inotify wd:")).count() as u64;
            }
        }
    }
    n
}

#[tokio::test(flavor = "multi_thread")]
async fn lost_events_lead_to_a_rescan_that_catches_everything() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let home = Home::new();
    let mut w = {
        // The watcher's queue is made when the folder is first watched.
        let _tiny_queue = InotifyLimit::set("max_queued_events", 4);
        watched(&home, &[("tides.md", TIDES)], quick()).await
    };
    for i in 0..300 {
        std::fs::write(w.path(&format!("burst-{i:03}.txt")), format!("Burst note {i} about the lighthouse keeper.\n")).unwrap();
    }
    let report = w.until_indexed().await;
    assert!(report.indexed > 0, "{report:?}");
    loop {
        let records = w.records().await;
        if records.len() == 301 {
            assert!(records.iter().all(|(_, s)| *s == FileStatus::Indexed));
            break;
        }
        // The rescan may have started before the last files were written;
        // the updates that follow bring the rest.
        w.until(|e| matches!(e, LibraryEvent::Indexed { .. } | LibraryEvent::Updated { .. }).then_some(())).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_beyond_the_watch_limit_is_polled_and_the_user_told_how_to_raise_it() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let home = Home::new();
    let files: Vec<(String, &str)> = (0..20).map(|i| (format!("d{i:02}/note.md"), TIDES)).collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let mut w = {
        let _few_watches = InotifyLimit::set("max_user_watches", watches_in_use() + 5);
        watched(&home, &files, quick()).await
    };
    let notice = w
        .log
        .iter()
        .find_map(|e| match e {
            LibraryEvent::Notice { message, .. } => Some(message.clone()),
            _ => None,
        })
        .expect("a notice says the folder is polled");
    assert!(notice.contains("max_user_watches"), "{notice}");
    let summary = w.library.folders().await.unwrap();
    assert!(summary[0].polling.as_deref().is_some_and(|r| r.contains("limit")), "{summary:?}");

    write(&w.path("d07/bees.md"), BEES);
    let report = w.until_updated().await;
    assert_eq!(report.indexed, 1);
    assert_eq!(w.found("queen bee swarm honey").await.first(), Some(&w.path("d07/bees.md").display().to_string()));
}
