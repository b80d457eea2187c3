//! The library: the folders the user watches, kept indexed by one background
//! worker.
//!
//! Every write to the index goes through the worker's queue, one job at a
//! time, so indexing a folder and forgetting another never race. Clients (the
//! desktop app, tests) call [`Library`]'s methods from any thread and hear
//! back through the event sink; the library knows nothing of windows.
//!
//! Once started, the library follows its folders ([`nook_watch`]): changed
//! paths become small update jobs (merged while they wait), a lost event
//! becomes a whole run of the folder, and every folder is compared with the
//! index as a whole at start and every [`RECONCILE_EVERY`]. Updates leave the
//! search indexes' upkeep for a quiet moment ([`UPKEEP_AFTER`]).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nook_core::{eta, folders, FileRecord, FileStatus};
use serde::Serialize;
use tokio::sync::Notify;

pub use nook_watch::WatchOptions;

use crate::index::canonical_folder;
use crate::memory;
use crate::settings::Settings;
use crate::{Engine, EngineError, IndexOptions, IndexReport, Progress, Result};

/// Progress events go out at most this often (the last one always does).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// An idle library lets go of the embedding model (about 90 MB) and hands
/// idle memory back (see [`memory`]) after this long without a search or a
/// run; `NOOK_MODEL_IDLE_SECONDS` overrides it.
const MODEL_IDLE: Duration = Duration::from_secs(300);
/// Every folder is compared with the index this often, to catch what no
/// event announced; `NOOK_RECONCILE_SECONDS` overrides it.
pub const RECONCILE_EVERY: Duration = Duration::from_secs(30 * 60);
/// Updates fold into the search indexes after this long without one.
pub const UPKEEP_AFTER: Duration = Duration::from_secs(20);

fn seconds_from_env(name: &str, default: Duration) -> Duration {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).map_or(default, Duration::from_secs)
}

fn model_idle() -> Duration {
    seconds_from_env("NOOK_MODEL_IDLE_SECONDS", MODEL_IDLE)
}

/// What the library tells its client, as it happens.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LibraryEvent {
    /// A folder's run moved on.
    Progress {
        folder: PathBuf,
        phase: Phase,
        /// Files read so far and to read in this run (only the changed ones).
        done: usize,
        total: usize,
        eta_seconds: Option<u64>,
    },
    Indexed { folder: PathBuf, report: IndexReport },
    /// Changes the watcher saw in `folder` are in the index.
    Updated { folder: PathBuf, report: IndexReport },
    /// Something the user may want to act on about how a folder is
    /// followed (polled, or not followed at all, and why).
    Notice { folder: PathBuf, message: String },
    Failed { folder: PathBuf, message: String },
    Forgotten { folder: PathBuf, files: usize },
    /// Indexing is paused; queued work waits.
    Paused,
    /// Indexing may go on again.
    Resumed,
    /// Nothing left to do.
    Idle,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Scanning,
    Indexing,
    Optimizing,
}

/// The event sink.
pub type Sink = Arc<dyn Fn(LibraryEvent) + Send + Sync>;

/// One watched folder and what the index holds of it.
#[derive(Debug, Clone, Serialize)]
pub struct FolderSummary {
    pub path: PathBuf,
    pub indexed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Queued or running.
    pub pending: bool,
    /// Changed files waiting to be read (the folder's queued updates).
    pub waiting: usize,
    /// Why the folder is checked by polling rather than followed live;
    /// `None` when changes are seen at once.
    pub polling: Option<String>,
}

/// Where the worker is.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub paused: bool,
    /// The folder being indexed now.
    pub current: Option<PathBuf>,
    pub queued: Vec<PathBuf>,
}

/// A page of one folder's files, problems first.
#[derive(Debug, Clone)]
pub struct FolderFiles {
    pub folder: PathBuf,
    /// Files matching the request, before the limit.
    pub total: usize,
    pub files: Vec<FileRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Job {
    Index(PathBuf),
    /// Bring these paths of a folder up to date (see `IndexOptions::scope`).
    Update(PathBuf, Vec<PathBuf>),
    Forget(PathBuf),
}

struct State {
    settings: Settings,
    jobs: VecDeque<Job>,
    current: Option<PathBuf>,
    /// The job running now is a whole run of `current`, not an update of
    /// some of its paths.
    current_whole: bool,
}

pub struct Library {
    engine: Arc<Engine>,
    state: Mutex<State>,
    wake: Notify,
    /// Raised to stop the running job after the file at hand.
    stop: Arc<AtomicBool>,
    sink: Sink,
    /// Follows the folders once the worker runs.
    watcher: Mutex<Option<nook_watch::Watcher>>,
}

impl Library {
    /// The library of `engine`, with the folders saved in its config folder.
    /// Returns a warning when the saved settings could not be read.
    pub fn open(engine: Arc<Engine>, sink: Sink) -> Result<(Arc<Library>, Option<String>)> {
        let loaded = Settings::load(&engine.paths().config_dir)?;
        // Removals a previous session did not finish.
        let jobs = loaded.settings.pending_removals.iter().cloned().map(Job::Forget).collect();
        let state = State { settings: loaded.settings, jobs, current: None, current_whole: false };
        let library = Library {
            engine,
            state: Mutex::new(state),
            wake: Notify::new(),
            stop: Arc::new(AtomicBool::new(false)),
            sink,
            watcher: Mutex::new(None),
        };
        Ok((Arc::new(library), loaded.warning))
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn settings(&self) -> Settings {
        self.state().settings.clone()
    }

    /// Changes and saves the settings in one step, under the lock, so two
    /// changes at once cannot lose one another.
    fn update_settings<T>(&self, change: impl FnOnce(&mut Settings) -> Result<T>) -> Result<T> {
        let mut state = self.state();
        let mut settings = state.settings.clone();
        let out = change(&mut settings)?;
        settings.save(&self.engine.paths().config_dir)?;
        state.settings = settings;
        Ok(out)
    }

    /// Saves the quick-ask shortcut (`None`: the app's default).
    pub fn set_shortcut(&self, shortcut: Option<String>) -> Result<()> {
        self.update_settings(|s| {
            s.shortcut = shortcut;
            Ok(())
        })
    }

    /// Saves the month (1–12) the fiscal year starts in, for "this fiscal
    /// year" in requests.
    pub fn set_fiscal_year_start(&self, month: u32) -> Result<()> {
        if !(1..=12).contains(&month) {
            return Err(EngineError::FiscalMonth(month));
        }
        self.update_settings(|s| {
            s.fiscal_year_start = (month != 1).then_some(month);
            Ok(())
        })
    }

    /// Saves whether requests may run programs, and which (absolute paths
    /// of executable files; shells and script interpreters are refused: a
    /// program runs from its arguments, never through a shell). Returns
    /// the programs as saved.
    pub fn set_run_programs(&self, enabled: bool, programs: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let programs = crate::act::checked_programs(programs)?;
        self.update_settings(|s| {
            s.run_enabled = enabled;
            s.run_programs = programs.clone();
            Ok(())
        })?;
        Ok(programs)
    }

    /// Uses the chat model `name` for `task` ("chat" or "plan").
    pub fn choose_model(&self, name: &str, task: &str) -> Result<()> {
        let paths = self.engine.paths().clone();
        self.update_settings(|s| crate::models::choose(&paths, s, name, task))
    }

    /// Deletes the added model `name`; tasks that used it go back to the
    /// default model.
    pub fn remove_model(&self, name: &str) -> Result<PathBuf> {
        let paths = self.engine.paths().clone();
        self.update_settings(|s| crate::models::remove(&paths, s, name))
    }

    /// Starts watching `path` (`~` is the home folder) and queues it for
    /// indexing. Returns the folder as stored (canonical).
    pub fn add(&self, path: &Path) -> Result<PathBuf> {
        let folder = canonical_folder(&crate::expand_user(path))?;
        self.update_settings(|s| {
            s.folders = folders::add(&s.folders, &folder)?.folders;
            s.pending_removals.retain(|f| f != &folder);
            Ok(())
        })?;
        self.enqueue(Job::Index(folder.clone()));
        self.follow_folders();
        Ok(folder)
    }

    /// Stops watching `folder` and drops what the index holds of it, even
    /// while indexing is paused, and after a restart if Nook quits first.
    /// The files themselves are not touched.
    pub fn remove(&self, folder: &Path) -> Result<()> {
        self.update_settings(|s| {
            s.folders = folders::remove(&s.folders, folder)?;
            s.pending_removals.push(folder.to_path_buf());
            Ok(())
        })?;
        self.follow_folders();
        {
            let mut state = self.state();
            state.jobs.retain(|job| !matches!(job, Job::Index(f) | Job::Update(f, _) if f == folder));
            if state.current.as_deref() == Some(folder) {
                self.stop.store(true, Ordering::Relaxed);
            }
        }
        self.enqueue(Job::Forget(folder.to_path_buf()));
        Ok(())
    }

    /// Pauses or resumes indexing. Pausing stops the run at hand after the
    /// current file; resuming picks up where it stopped.
    pub fn set_paused(&self, paused: bool) -> Result<()> {
        self.update_settings(|s| {
            s.indexing_paused = paused;
            Ok(())
        })?;
        let state = self.state();
        if paused {
            if state.current.is_some() {
                self.stop.store(true, Ordering::Relaxed);
                return Ok(()); // the worker says Paused once the run stops
            }
        } else if state.current.as_ref().is_some_and(|f| state.settings.folders.contains(f)) {
            // Resumed before the run noticed the pause: let it go on.
            self.stop.store(false, Ordering::Relaxed);
        }
        drop(state);
        (self.sink)(if paused { LibraryEvent::Paused } else { LibraryEvent::Resumed });
        self.wake.notify_one();
        Ok(())
    }

    /// Flips the pause; returns whether indexing is now paused.
    pub fn toggle_paused(&self) -> Result<bool> {
        let paused = !self.state().settings.indexing_paused;
        self.set_paused(paused)?;
        Ok(paused)
    }

    /// Starts the worker on the current tokio runtime and queues a catch-up
    /// run of every watched folder. The embedding model is not loaded until
    /// needed (see [`Library::warm_up`]): an idle Nook does not hold it.
    pub fn start(self: &Arc<Self>) {
        self.start_with(WatchOptions::default());
    }

    /// [`Library::start`], following the folders with `options`.
    pub fn start_with(self: &Arc<Self>, options: WatchOptions) {
        tokio::spawn(self.clone().run());
        self.refresh();
        let this = Arc::downgrade(self);
        let sink: nook_watch::Sink = Arc::new(move |event| {
            if let Some(library) = this.upgrade() {
                library.on_watch(event);
            }
        });
        *self.watcher.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(nook_watch::Watcher::new(options, sink));
        self.follow_folders();
    }

    /// Points the watcher (once started) at the folders in the settings.
    fn follow_folders(&self) {
        let folders = self.settings().folders;
        if let Some(watcher) = self.watcher.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            watcher.set_folders(&folders);
        }
    }

    /// What the watcher saw. Runs on the watcher's threads: it only queues
    /// work and passes notices on.
    fn on_watch(&self, event: nook_watch::WatchEvent) {
        use nook_watch::WatchEvent;
        match event {
            WatchEvent::Changed { folder, paths } => self.enqueue(Job::Update(folder, paths)),
            WatchEvent::Rescan { folder } => self.enqueue(Job::Index(folder)),
            WatchEvent::Polling { folder, reason } => {
                (self.sink)(LibraryEvent::Notice { message: format!("{} is checked by polling: {reason}", folder.display()), folder })
            }
            WatchEvent::Unwatched { folder, message } => (self.sink)(LibraryEvent::Notice {
                message: format!(
                    "Nook cannot follow changes in {} ({message}); it catches up with them every {} minutes",
                    folder.display(),
                    reconcile_every().as_secs() / 60
                ),
                folder,
            }),
        }
    }

    /// Why each polled folder is polled.
    fn polling_reasons(&self) -> Vec<(PathBuf, String)> {
        match self.watcher.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(watcher) => watcher.polled().into_iter().map(|(f, reason)| (f, reason.to_string())).collect(),
            None => Vec::new(),
        }
    }

    /// Loads the embedding model on a thread of its own, for a client that
    /// expects a search soon (someone started typing). Callable from any
    /// thread, inside a runtime or not.
    pub fn warm_up(&self) {
        let engine = self.engine.clone();
        let _ = std::thread::Builder::new().name("nook-model-load".into()).spawn(move || engine.embedder().map(|_| ()));
    }

    /// Queues every watched folder for a run that catches up with changes.
    pub fn refresh(&self) {
        for folder in self.settings().folders {
            self.enqueue(Job::Index(folder));
        }
    }

    fn enqueue(&self, job: Job) {
        let mut state = self.state();
        enqueue(&mut state, job);
        drop(state);
        self.wake.notify_one();
    }

    pub fn activity(&self) -> Activity {
        let state = self.state();
        Activity {
            paused: state.settings.indexing_paused,
            current: state.current.clone(),
            queued: state
                .jobs
                .iter()
                .filter_map(|job| match job {
                    Job::Index(folder) => Some(folder.clone()),
                    Job::Update(..) | Job::Forget(_) => None,
                })
                .collect(),
        }
    }

    /// The watched folders with their counts.
    pub async fn folders(&self) -> Result<Vec<FolderSummary>> {
        let activity = self.activity();
        let polling = self.polling_reasons();
        let mut summaries = Vec::new();
        for folder in self.settings().folders {
            let records = self.engine.store().file_records(Some(&folders::index_prefix(&folder))).await?;
            let count = |status| records.iter().filter(|r| r.status == status).count();
            let waiting: usize = self
                .state()
                .jobs
                .iter()
                .map(|job| match job {
                    Job::Update(f, paths) if f == &folder => paths.len(),
                    _ => 0,
                })
                .sum();
            summaries.push(FolderSummary {
                pending: activity.current.as_ref() == Some(&folder) || activity.queued.contains(&folder),
                waiting,
                indexed: count(FileStatus::Indexed),
                skipped: count(FileStatus::Skipped),
                failed: count(FileStatus::Failed),
                polling: polling.iter().find(|(f, _)| f == &folder).map(|(_, reason)| reason.clone()),
                path: folder,
            });
        }
        Ok(summaries)
    }

    /// Up to `limit` of `folder`'s files, only those with `status` when
    /// given; failed first, then skipped, then indexed, each by path.
    pub async fn files(&self, folder: &Path, status: Option<FileStatus>, limit: usize) -> Result<FolderFiles> {
        let mut records = self.engine.store().file_records(Some(&folders::index_prefix(folder))).await?;
        records.retain(|r| status.is_none_or(|s| r.status == s));
        let rank = |s: FileStatus| match s {
            FileStatus::Failed => 0,
            FileStatus::Skipped => 1,
            FileStatus::Indexed => 2,
        };
        records.sort_by(|a, b| rank(a.status).cmp(&rank(b.status)).then_with(|| a.path.cmp(&b.path)));
        let total = records.len();
        records.truncate(limit);
        Ok(FolderFiles { folder: folder.to_path_buf(), total, files: records })
    }

    /// `path`, if it may be handed to the desktop to open: an indexed file
    /// (so text, never a binary the rules skipped) of a watched folder,
    /// still on disk, and neither a program nor a launcher. A client opens
    /// only such files on request of its window.
    pub async fn openable(&self, path: &str) -> Result<PathBuf> {
        self.known_file(path, false).await
    }

    /// `path`, if it may be shown in its folder: as [`Library::openable`],
    /// programs and launchers included (showing runs nothing).
    pub async fn revealable(&self, path: &str) -> Result<PathBuf> {
        self.known_file(path, true).await
    }

    async fn known_file(&self, path: &str, launchers_too: bool) -> Result<PathBuf> {
        let refuse = |reason: &str| EngineError::NotOpenable { path: PathBuf::from(path), reason: reason.to_string() };
        if folders::containing(&self.settings().folders, Path::new(path)).is_none() {
            return Err(refuse("it is not in a watched folder"));
        }
        let records = self.engine.store().file_records(Some(path)).await?;
        if !records.iter().any(|r| r.path == path && r.status == FileStatus::Indexed) {
            return Err(refuse("it is not an indexed file"));
        }
        let meta = std::fs::metadata(path).map_err(|_| refuse("it is no longer there; it leaves the index at the next run"))?;
        if !launchers_too && nook_actions::safety::runs_when_opened(Path::new(path), &meta) {
            return Err(refuse("it is a program or a launcher; use Show in folder to run it yourself"));
        }
        Ok(PathBuf::from(path))
    }

    /// The worker: runs queued jobs one at a time, forever. Spawn it once on
    /// a multi-threaded tokio runtime.
    pub async fn run(self: Arc<Self>) {
        let mut announced_rest = false;
        // Idle memory handed back since the last job (or model load).
        let mut trimmed = false;
        // Updates written since the search indexes were last brought up to date.
        let mut upkeep_due = false;
        let mut last_job = Instant::now();
        let mut last_reconcile = Instant::now();
        loop {
            let job = self.next_job();
            match job {
                None => {
                    if !announced_rest {
                        let paused = self.state().settings.indexing_paused;
                        (self.sink)(if paused { LibraryEvent::Paused } else { LibraryEvent::Idle });
                        announced_rest = true;
                    }
                    let idle = model_idle();
                    let upkeep_at = upkeep_due.then(|| last_job + UPKEEP_AFTER);
                    let reconcile_at = last_reconcile + reconcile_every();
                    let idle_at = last_job.max(Instant::now()) + idle;
                    let next = [Some(idle_at), Some(reconcile_at), upkeep_at].into_iter().flatten().min().expect("some");
                    tokio::select! {
                        () = self.wake.notified() => {}
                        () = tokio::time::sleep_until(next.into()) => {
                            let now = Instant::now();
                            if upkeep_at.is_some_and(|at| now >= at) {
                                // Fails when another process holds the index's
                                // writer lock (`nook index`): tried again later.
                                upkeep_due = self.engine.maintain().await.is_err();
                                last_job = now;
                            } else if now >= reconcile_at {
                                last_reconcile = now;
                                self.refresh();
                            } else {
                                last_job = now;
                                if self.engine.release_idle_model(idle) || !trimmed {
                                    memory::release_idle_memory();
                                    trimmed = true;
                                }
                            }
                        }
                    }
                }
                Some(Job::Update(folder, paths)) => {
                    announced_rest = false;
                    let outcome = self.update_folder(&folder, paths).await;
                    self.state().current = None;
                    if let Some(event) = outcome {
                        (self.sink)(event);
                    }
                    upkeep_due = true;
                    trimmed = false;
                    last_job = Instant::now();
                }
                Some(Job::Index(folder)) => {
                    announced_rest = false;
                    let outcome = self.index_folder(&folder).await;
                    // Not running any more by the time the client hears.
                    self.state().current = None;
                    if let Some(event) = outcome {
                        (self.sink)(event);
                    }
                    memory::release_freed_heap();
                    trimmed = false;
                    upkeep_due = false;
                    last_job = Instant::now();
                }
                Some(Job::Forget(folder)) => {
                    announced_rest = false;
                    trimmed = false;
                    let event = match self.engine.forget(&folder).await {
                        Ok(files) => {
                            let _ = self.update_settings(|s| {
                                s.pending_removals.retain(|f| f != &folder);
                                Ok(())
                            });
                            LibraryEvent::Forgotten { folder, files }
                        }
                        // Left in the settings: tried again at the next start.
                        Err(err) => LibraryEvent::Failed { folder, message: err.to_string() },
                    };
                    (self.sink)(event);
                }
            }
        }
    }

    /// The next job to run: forgetting goes first and runs even while
    /// paused; indexing waits for resume. Runs for folders no longer
    /// watched are dropped.
    fn next_job(&self) -> Option<Job> {
        let mut state = self.state();
        if let Some(at) = state.jobs.iter().position(|j| matches!(j, Job::Forget(_))) {
            return state.jobs.remove(at);
        }
        if state.settings.indexing_paused {
            return None;
        }
        while let Some(job) = state.jobs.pop_front() {
            if let Job::Index(folder) | Job::Update(folder, _) = &job {
                if state.settings.folders.contains(folder) {
                    state.current = Some(folder.clone());
                    state.current_whole = matches!(job, Job::Index(_));
                    self.stop.store(false, Ordering::Relaxed);
                    return Some(job);
                }
            }
        }
        None
    }

    /// Indexes `folder` (only `scope` when given), stoppable by pause and
    /// removal, its progress sent as events.
    async fn run_index(&self, folder: &Path, scope: Option<Vec<PathBuf>>) -> Result<IndexReport> {
        let options = IndexOptions { stop: Some(self.stop.clone()), scope, ..IndexOptions::default() };
        let sink = self.sink.clone();
        let mut meter = Meter::new(folder.to_path_buf());
        let mut progress = move |p: Progress| {
            if let Some(event) = meter.event(p, Instant::now()) {
                sink(event);
            }
        };
        self.engine.index(folder, &options, &mut progress).await
    }

    /// Brings the changed `paths` of `folder` up to date; the event to send,
    /// or none when it was stopped (the paths wait at the head of the queue).
    async fn update_folder(&self, folder: &Path, paths: Vec<PathBuf>) -> Option<LibraryEvent> {
        match self.run_index(folder, Some(paths.clone())).await {
            Ok(report) if report.stopped => {
                let mut state = self.state();
                if state.settings.folders.iter().any(|f| f == folder) {
                    state.jobs.push_front(Job::Update(folder.to_path_buf(), paths));
                }
                None
            }
            Ok(report) => Some(LibraryEvent::Updated { folder: folder.to_path_buf(), report }),
            Err(err) => Some(LibraryEvent::Failed { folder: folder.to_path_buf(), message: err.to_string() }),
        }
    }

    /// Runs one folder; the event to send, or none when it was stopped.
    async fn index_folder(&self, folder: &Path) -> Option<LibraryEvent> {
        match self.run_index(folder, None).await {
            Ok(report) if report.stopped => {
                let mut state = self.state();
                // Paused: the folder goes back to the head of the queue.
                // Removed: it is gone from the settings and stays gone;
                // removed and added again: it runs after it is forgotten.
                if state.settings.folders.iter().any(|f| f == folder) {
                    let again = Job::Index(folder.to_path_buf());
                    if state.jobs.contains(&Job::Forget(folder.to_path_buf())) {
                        if !state.jobs.contains(&again) {
                            state.jobs.push_back(again);
                        }
                    } else {
                        state.jobs.push_front(again);
                    }
                }
                None
            }
            Ok(report) => Some(LibraryEvent::Indexed { folder: folder.to_path_buf(), report }),
            Err(err) => Some(LibraryEvent::Failed { folder: folder.to_path_buf(), message: err.to_string() }),
        }
    }
}

fn reconcile_every() -> Duration {
    seconds_from_env("NOOK_RECONCILE_SECONDS", RECONCILE_EVERY)
}

/// Adds `job` to the queue unless work already there covers it: changes
/// to a folder wait as one update (their paths merged), which a whole run
/// of the folder, queued or running, makes needless.
fn enqueue(state: &mut State, job: Job) {
    let forget_first = |f: &PathBuf| state.jobs.contains(&Job::Forget(f.clone()));
    match job {
        Job::Index(folder) => {
            // A whole run of this folder going now covers a new request for
            // it, unless the folder is to be forgotten first; an update
            // going now does not.
            let running = state.current.as_ref() == Some(&folder) && state.current_whole && !forget_first(&folder);
            if !running && !state.jobs.contains(&Job::Index(folder.clone())) {
                state.jobs.retain(|j| !matches!(j, Job::Update(f, _) if f == &folder));
                state.jobs.push_back(Job::Index(folder));
            }
        }
        Job::Update(folder, paths) => {
            if state.jobs.contains(&Job::Index(folder.clone())) {
                return;
            }
            for job in state.jobs.iter_mut() {
                if let Job::Update(f, queued) = job {
                    if f == &folder {
                        queued.extend(paths);
                        *queued = nook_watch::changes::topmost(std::mem::take(queued));
                        return;
                    }
                }
            }
            state.jobs.push_back(Job::Update(folder, paths));
        }
        Job::Forget(folder) => {
            if !state.jobs.contains(&Job::Forget(folder.clone())) {
                state.jobs.push_back(Job::Forget(folder));
            }
        }
    }
}

/// A file that would run something rather than show it: executable, or a
/// desktop launcher.
/// Turns a run's progress into events: throttled, with an ETA.
struct Meter {
    folder: PathBuf,
    started: Option<Instant>,
    last_sent: Option<Instant>,
}

impl Meter {
    fn new(folder: PathBuf) -> Self {
        Meter { folder, started: None, last_sent: None }
    }

    fn event(&mut self, progress: Progress, now: Instant) -> Option<LibraryEvent> {
        let (phase, done, total, eta_seconds, last) = match progress {
            Progress::Scanning { found } => (Phase::Scanning, found, 0, None, false),
            Progress::Indexing { done, total, bytes_done, bytes_total } => {
                let started = *self.started.get_or_insert(now);
                let left = eta::remaining(bytes_done, bytes_total, now - started)
                    .or_else(|| eta::remaining(done as u64, total as u64, now - started));
                (Phase::Indexing, done, total, left.map(|d| d.as_secs_f64().ceil() as u64), done == total)
            }
            Progress::Optimizing => (Phase::Optimizing, 0, 0, None, true),
        };
        let due = self.last_sent.is_none_or(|t| now.duration_since(t) >= PROGRESS_EVERY);
        if !(due || last) {
            return None;
        }
        self.last_sent = Some(now);
        Some(LibraryEvent::Progress { folder: self.folder.clone(), phase, done, total, eta_seconds })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexing(done: usize, total: usize) -> Progress {
        Progress::Indexing { done, total, bytes_done: done as u64 * 10, bytes_total: total as u64 * 10 }
    }

    #[test]
    fn a_whole_run_asked_for_during_an_update_is_queued_but_not_during_a_whole_run() {
        let folder = PathBuf::from("/home/ann/docs");
        let mut state = State { settings: Settings::default(), jobs: VecDeque::new(), current: Some(folder.clone()), current_whole: false };
        enqueue(&mut state, Job::Index(folder.clone()));
        assert_eq!(state.jobs, [Job::Index(folder.clone())], "an update covers only its paths");
        state.jobs.clear();
        state.current_whole = true;
        enqueue(&mut state, Job::Index(folder.clone()));
        assert!(state.jobs.is_empty(), "the run going now covers it");
    }

    #[test]
    fn progress_is_throttled_but_the_last_file_always_reported() {
        let start = Instant::now();
        let mut meter = Meter::new(PathBuf::from("/f"));
        assert!(meter.event(indexing(1, 100), start).is_some());
        assert!(meter.event(indexing(2, 100), start + Duration::from_millis(10)).is_none());
        assert!(meter.event(indexing(3, 100), start + Duration::from_millis(150)).is_some());
        assert!(meter.event(indexing(100, 100), start + Duration::from_millis(160)).is_some());
    }

    #[test]
    fn progress_carries_an_eta_once_enough_is_done() {
        let start = Instant::now();
        let mut meter = Meter::new(PathBuf::from("/f"));
        meter.event(indexing(1, 100), start);
        let Some(LibraryEvent::Progress { eta_seconds, done, total, phase, .. }) =
            meter.event(indexing(51, 100), start + Duration::from_secs(10))
        else {
            panic!("an event")
        };
        assert_eq!((phase, done, total), (Phase::Indexing, 51, 100));
        // 50 files in 10 s, 49 left: about 10 s.
        assert_eq!(eta_seconds, Some(10));
    }
}
