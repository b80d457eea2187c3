//! Following the watched folders: file-system events in, the paths that
//! changed out, per folder.
//!
//! - [`changes`] decides which events matter and to which folder. Pure.
//! - [`mount`] tells which folders the kernel's notifications cannot follow
//!   (network and FUSE file systems).
//! - [`Watcher`] runs notify's debounced watchers: inotify for local folders,
//!   polling for remote ones and for folders inotify runs out of watches
//!   for, and says which folders are polled and why.
//!
//! The watcher only reports; deciding what a change means for the index is
//! the engine's work (it looks at each path again, so a report that turns
//! out to be nothing costs a `stat`).

pub mod changes;
pub mod mount;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use notify::{ErrorKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache};

/// What the watcher reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// These paths of `folder` changed: created, written, removed, or
    /// renamed (both names). A path may be a file or a folder, and may be
    /// gone already.
    Changed { folder: PathBuf, paths: Vec<PathBuf> },
    /// Events may have been lost (the kernel's queue overflowed): the
    /// folder must be compared with the index as a whole.
    Rescan { folder: PathBuf },
    /// The folder is now checked by polling, for `reason`.
    Polling { folder: PathBuf, reason: PollReason },
    /// The folder cannot be followed at all (`message` says why); only
    /// periodic reconciling keeps it up to date.
    Unwatched { folder: PathBuf, message: String },
}

/// Why a folder is polled instead of followed by inotify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollReason {
    /// The per-user limit on inotify watches is reached.
    WatchLimit { limit: Option<u64>, interval: Duration },
    /// A network or FUSE file system, whose changes inotify cannot see.
    RemoteFileSystem { name: &'static str, interval: Duration },
    /// inotify could not be started at all.
    NoInotify { message: String, interval: Duration },
}

impl fmt::Display for PollReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PollReason::WatchLimit { limit, interval } => {
                let limit = limit.map_or(String::new(), |l| format!(" ({l})"));
                write!(
                    f,
                    "the system's limit on watched folders{limit} is reached, so Nook looks for changes every {} s \
                     instead of seeing them at once; to raise it, run \
                     `echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-nook.conf && sudo sysctl --system`",
                    interval.as_secs()
                )
            }
            PollReason::RemoteFileSystem { name, interval } => write!(
                f,
                "it is on a {name} file system, whose changes the system does not announce, \
                 so Nook looks for changes every {} s",
                interval.as_secs()
            ),
            PollReason::NoInotify { message, interval } => write!(
                f,
                "the system's change notifications are unavailable ({message}), \
                 so Nook looks for changes every {} s",
                interval.as_secs()
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// How long a path must be quiet before its changes are reported:
    /// an editor's save (write aside, rename over) comes out as one change.
    pub debounce: Duration,
    /// How often a polled folder is looked at.
    pub poll_interval: Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions { debounce: Duration::from_millis(300), poll_interval: Duration::from_secs(30) }
    }
}

pub type Sink = Arc<dyn Fn(WatchEvent) + Send + Sync>;

type NativeDebouncer = Debouncer<RecommendedWatcher, RecommendedCache>;
type PollDebouncer = Debouncer<PollWatcher, NoCache>;

/// Follows a set of folders; reports through the sink from notify's
/// threads. Dropping it stops everything.
pub struct Watcher {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    options: WatchOptions,
    sink: Sink,
    /// Created on first use; `Err` when inotify cannot be started.
    native: Option<Result<NativeDebouncer, String>>,
    /// Folders inotify follows.
    native_folders: Vec<PathBuf>,
    polled: BTreeMap<PathBuf, (PollDebouncer, PollReason)>,
    /// For the native debouncer's handler, which runs on notify's thread.
    this: Weak<Mutex<Inner>>,
}

impl Watcher {
    pub fn new(options: WatchOptions, sink: Sink) -> Watcher {
        let inner = Arc::new_cyclic(|this| {
            Mutex::new(Inner {
                options,
                sink,
                native: None,
                native_folders: Vec::new(),
                polled: BTreeMap::new(),
                this: this.clone(),
            })
        });
        Watcher { inner }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Follows exactly `folders` from now on: new ones are watched, others
    /// let go.
    pub fn set_folders(&self, folders: &[PathBuf]) {
        let mut inner = self.lock();
        let gone: Vec<PathBuf> = inner.all_folders().into_iter().filter(|f| !folders.contains(f)).collect();
        for folder in gone {
            inner.let_go(&folder);
        }
        for folder in folders {
            if !inner.all_folders().contains(folder) {
                inner.follow(folder);
            }
        }
    }

    /// The polled folders and why each is.
    pub fn polled(&self) -> Vec<(PathBuf, PollReason)> {
        self.lock().polled.iter().map(|(f, (_, reason))| (f.clone(), reason.clone())).collect()
    }
}

fn lock(inner: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Inner {
    fn all_folders(&self) -> Vec<PathBuf> {
        self.native_folders.iter().chain(self.polled.keys()).cloned().collect()
    }

    fn follow(&mut self, folder: &Path) {
        let interval = self.options.poll_interval;
        if let Some(name) = mount::remote_file_system_of(folder) {
            self.poll(folder, PollReason::RemoteFileSystem { name, interval });
            return;
        }
        let result = match self.native_debouncer() {
            Ok(debouncer) => debouncer.watch(folder, RecursiveMode::Recursive),
            Err(message) => {
                self.poll(folder, PollReason::NoInotify { message, interval });
                return;
            }
        };
        match result {
            Ok(()) => self.native_folders.push(folder.to_path_buf()),
            Err(err) if matches!(err.kind, ErrorKind::MaxFilesWatch) => {
                self.unwatch_native(folder);
                self.poll(folder, PollReason::WatchLimit { limit: watch_limit(), interval });
            }
            Err(err) => (self.sink)(WatchEvent::Unwatched { folder: folder.to_path_buf(), message: err.to_string() }),
        }
    }

    fn let_go(&mut self, folder: &Path) {
        if self.native_folders.iter().any(|f| f == folder) {
            self.unwatch_native(folder);
            self.native_folders.retain(|f| f != folder);
        }
        // Dropping a debouncer stops its watcher.
        self.polled.remove(folder);
    }

    fn unwatch_native(&mut self, folder: &Path) {
        if let Some(Ok(debouncer)) = self.native.as_mut() {
            // Fails only for a folder already gone, whose watches went with it.
            let _ = debouncer.unwatch(folder);
        }
    }

    fn native_debouncer(&mut self) -> Result<&mut NativeDebouncer, String> {
        if self.native.is_none() {
            let this = self.this.clone();
            let config = notify::Config::default().with_follow_symlinks(false);
            let created = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
                self.options.debounce,
                None,
                move |result: DebounceEventResult| {
                    if let Some(inner) = this.upgrade() {
                        lock(&inner).native_events(result);
                    }
                },
                RecommendedCache::new(),
                config,
            );
            self.native = Some(created.map_err(|e| e.to_string()));
        }
        match self.native.as_mut().expect("just set") {
            Ok(debouncer) => Ok(debouncer),
            Err(message) => Err(message.clone()),
        }
    }

    /// Handles what inotify's debouncer reports (on notify's thread).
    fn native_events(&mut self, result: DebounceEventResult) {
        match result {
            Ok(events) => {
                if events.iter().any(|e| e.need_rescan()) {
                    for folder in self.native_folders.clone() {
                        (self.sink)(WatchEvent::Rescan { folder });
                    }
                }
                let changes = changes::group(&self.native_folders, events.iter().map(|e| (&e.kind, e.paths.as_slice())));
                for (folder, paths) in changes {
                    (self.sink)(WatchEvent::Changed { folder, paths });
                }
            }
            Err(errors) => {
                // A folder made after the limit was reached is not
                // followed: the whole folder moves to polling, and a rescan
                // catches what the missing watches would have seen.
                let interval = self.options.poll_interval;
                for error in errors.iter().filter(|e| matches!(e.kind, ErrorKind::MaxFilesWatch)) {
                    let folders: Vec<PathBuf> = match error.paths.first() {
                        Some(path) => changes::folder_of(&self.native_folders, path).cloned().into_iter().collect(),
                        None => self.native_folders.clone(),
                    };
                    for folder in folders {
                        self.unwatch_native(&folder);
                        self.native_folders.retain(|f| f != &folder);
                        self.poll(&folder, PollReason::WatchLimit { limit: watch_limit(), interval });
                        (self.sink)(WatchEvent::Rescan { folder });
                    }
                }
            }
        }
    }

    fn poll(&mut self, folder: &Path, reason: PollReason) {
        let sink = self.sink.clone();
        let folders = vec![folder.to_path_buf()];
        let config = notify::Config::default().with_poll_interval(self.options.poll_interval).with_follow_symlinks(false);
        let created = new_debouncer_opt::<_, PollWatcher, NoCache>(
            self.options.debounce,
            None,
            move |result: DebounceEventResult| {
                if let Ok(events) = result {
                    for (folder, paths) in changes::group(&folders, events.iter().map(|e| (&e.kind, e.paths.as_slice()))) {
                        sink(WatchEvent::Changed { folder, paths });
                    }
                }
            },
            NoCache,
            config,
        );
        let watched = created.and_then(|mut debouncer| debouncer.watch(folder, RecursiveMode::Recursive).map(|()| debouncer));
        match watched {
            Ok(debouncer) => {
                self.polled.insert(folder.to_path_buf(), (debouncer, reason.clone()));
                (self.sink)(WatchEvent::Polling { folder: folder.to_path_buf(), reason });
            }
            Err(err) => (self.sink)(WatchEvent::Unwatched { folder: folder.to_path_buf(), message: err.to_string() }),
        }
    }
}

/// The per-user inotify watch limit, when the system says.
fn watch_limit() -> Option<u64> {
    std::fs::read_to_string("/proc/sys/fs/inotify/max_user_watches").ok()?.trim().parse().ok()
}
