//! Reading documents out of process.
//!
//! Document parsers meet hostile input: bombs that inflate without end,
//! structures that send a parser into a loop, bugs that abort. Nook never
//! runs them in its own process. [`Extractor`] keeps one worker process
//! (`nook-extract`, the binary of this crate) and sends it one file at a
//! time over a pipe ([`protocol`]). The worker runs with
//! - an address-space limit (memory), set before it starts;
//! - a CPU-time limit per file, which the kernel enforces;
//! - a wall-clock limit per file, which [`Extractor`] enforces by killing it;
//! - a cap on the size of its reply;
//! - a lower scheduling priority than Nook.
//!
//! When the worker dies or is killed, the file at hand fails with the
//! reason and the next file gets a fresh worker.

pub mod protocol;
pub mod worker;

use std::collections::VecDeque;
use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use nook_formats::{Document, Format, FormatError, Limits, Section};

use protocol::{parse_reply, read_reply_bytes, write_request, Reply, Request};

/// The worker binary's file name.
pub const WORKER_NAME: &str = "nook-extract";

/// Names what the readers produce. A file quarantined by one version is
/// tried again by the next: bump the suffix when a reader changes.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+readers.1");

#[derive(Debug, Clone)]
pub struct ExtractorOptions {
    /// The worker binary; `None`: [`locate_worker`].
    pub program: Option<PathBuf>,
    /// Address space the worker may map.
    pub memory_bytes: u64,
    /// CPU time per file.
    pub cpu_seconds: u64,
    /// Wall-clock time per file.
    pub timeout: Duration,
    /// Largest reply accepted.
    pub max_reply_bytes: u64,
    pub limits: Limits,
    /// Added to the worker's nice value.
    pub nice: i32,
}

impl Default for ExtractorOptions {
    fn default() -> Self {
        ExtractorOptions {
            program: None,
            memory_bytes: 2 << 30,
            cpu_seconds: 30,
            timeout: Duration::from_secs(60),
            max_reply_bytes: 64 << 20,
            limits: Limits::default(),
            nice: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("{0}")]
    Refused(FormatError),
    #[error("the document reader crashed on it ({reason})")]
    Crashed { reason: String },
    #[error("reading it took more than {seconds} s, so Nook stopped")]
    TimedOut { seconds: u64 },
    #[error("its text came to more than {limit} bytes")]
    TooMuchOutput { limit: u64 },
    #[error("Nook's document reader cannot run ({reason}); reinstall Nook, or set NOOK_EXTRACTOR to the path of {WORKER_NAME}")]
    Unavailable { reason: String },
}

impl ExtractError {
    /// Whether the failure comes from the file's content, so that reading
    /// the same bytes with the same readers would fail again. A reader that
    /// could not start says nothing about the file.
    pub fn is_about_content(&self) -> bool {
        !matches!(self, ExtractError::Unavailable { .. })
    }
}

/// Where the worker binary is: `$NOOK_EXTRACTOR`, else next to the running
/// program, else one folder up (test binaries live in `target/*/deps`).
pub fn locate_worker() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NOOK_EXTRACTOR") {
        return Some(PathBuf::from(path));
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let found = [Some(dir), dir.parent()].into_iter().flatten().map(|d| d.join(WORKER_NAME)).find(|p| p.is_file());
    found
}

/// A supervised worker process, started when first needed.
pub struct Extractor {
    options: ExtractorOptions,
    worker: Mutex<Option<Worker>>,
    last_used: Mutex<Instant>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<io::Result<Vec<u8>>>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
}

const STDERR_TAIL: usize = 4096;

impl Extractor {
    pub fn new(options: ExtractorOptions) -> Extractor {
        Extractor { options, worker: Mutex::new(None), last_used: Mutex::new(Instant::now()) }
    }

    /// Reads one document in the worker. A worker that dies on a file is
    /// replaced and the file tried once more, so a worker lost for another
    /// reason (killed between files, say) does not count against the file.
    pub fn extract(&self, format: Format, name: &str, bytes: &[u8]) -> Result<Document, ExtractError> {
        *self.last_used.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        let mut slot = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        let request = Request {
            format,
            name: name.to_string(),
            limits: self.options.limits,
            cpu_seconds: self.options.cpu_seconds,
        };
        match self.attempt(&mut slot, &request, bytes) {
            // The worker is gone (a caught panic leaves it running).
            Err(ExtractError::Crashed { .. }) if slot.is_none() => self.attempt(&mut slot, &request, bytes),
            result => result,
        }
    }

    fn attempt(&self, slot: &mut Option<Worker>, request: &Request, bytes: &[u8]) -> Result<Document, ExtractError> {
        if slot.as_mut().is_some_and(|w| !matches!(w.child.try_wait(), Ok(None))) {
            Self::kill(slot.take());
        }
        if slot.is_none() {
            *slot = Some(self.spawn()?);
        }
        let worker = slot.as_mut().expect("just started");
        if let Err(e) = write_request(&mut worker.stdin, request, bytes) {
            let reason = self.death(slot.take()).unwrap_or_else(|| e.to_string());
            return Err(ExtractError::Crashed { reason });
        }
        match worker.replies.recv_timeout(self.options.timeout) {
            Ok(Ok(reply)) => match parse_reply(&reply) {
                Ok(Reply::Read(document)) => Ok(document),
                Ok(Reply::Refused(refusal)) => Err(ExtractError::Refused(refusal)),
                Ok(Reply::Panicked(message)) => Err(ExtractError::Crashed { reason: format!("panic: {message}") }),
                Err(e) => {
                    Self::kill(slot.take());
                    Err(ExtractError::Crashed { reason: format!("unreadable reply: {e}") })
                }
            },
            Ok(Err(e)) if e.kind() == io::ErrorKind::FileTooLarge => {
                Self::kill(slot.take());
                Err(ExtractError::TooMuchOutput { limit: self.options.max_reply_bytes })
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let reason = self.death(slot.take()).unwrap_or_else(|| "it stopped answering".to_string());
                Err(ExtractError::Crashed { reason })
            }
            Err(RecvTimeoutError::Timeout) => {
                Self::kill(slot.take());
                Err(ExtractError::TimedOut { seconds: self.options.timeout.as_secs().max(1) })
            }
        }
    }

    /// Ends the worker when it has not been used for `idle`; the next
    /// document starts another. Returns whether one was ended.
    pub fn stop_if_idle(&self, idle: Duration) -> bool {
        let used = *self.last_used.lock().unwrap_or_else(|p| p.into_inner());
        let mut slot = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_some() && used.elapsed() >= idle {
            Self::kill(slot.take());
            return true;
        }
        false
    }

    /// The worker's process id, while one runs.
    pub fn worker_pid(&self) -> Option<u32> {
        self.worker.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(|w| w.child.id())
    }

    fn spawn(&self) -> Result<Worker, ExtractError> {
        let program = self
            .options
            .program
            .clone()
            .or_else(locate_worker)
            .ok_or_else(|| ExtractError::Unavailable { reason: format!("{WORKER_NAME} is not installed next to Nook") })?;
        let unavailable = |e: io::Error| ExtractError::Unavailable { reason: format!("{}: {e}", program.display()) };
        let mut command = Command::new(&program);
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).env_clear();
        let (memory, nice) = (self.options.memory_bytes, self.options.nice);
        // SAFETY: between fork and exec only async-signal-safe calls are
        // made (setrlimit, nice), on values computed before the fork.
        unsafe {
            command.pre_exec(move || {
                let limit = |resource, value: u64| {
                    let rlimit = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
                    if libc::setrlimit(resource, &rlimit) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                    Ok(())
                };
                limit(libc::RLIMIT_AS, memory)?;
                limit(libc::RLIMIT_CORE, 0)?;
                libc::nice(nice);
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(unavailable)?;
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr_pipe = child.stderr.take().expect("piped");
        let (sender, replies) = mpsc::channel();
        let max = self.options.max_reply_bytes;
        let spawn_thread = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new().name(name.into()).spawn(f).map_err(unavailable)
        };
        spawn_thread(
            "extract-replies",
            Box::new(move || loop {
                let reply = read_reply_bytes(&mut stdout, max);
                let failed = reply.is_err();
                if sender.send(reply).is_err() || failed {
                    break;
                }
            }),
        )?;
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let tail = stderr.clone();
        spawn_thread(
            "extract-stderr",
            Box::new(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n @ 1..) = stderr_pipe.read(&mut buf) {
                    let mut tail = tail.lock().unwrap_or_else(|p| p.into_inner());
                    tail.extend(&buf[..n]);
                    let excess = tail.len().saturating_sub(STDERR_TAIL);
                    tail.drain(..excess);
                }
            }),
        )?;
        Ok(Worker { child, stdin, replies, stderr })
    }

    fn kill(worker: Option<Worker>) {
        if let Some(mut worker) = worker {
            let _ = worker.child.kill();
            let _ = worker.child.wait();
        }
    }

    /// Why a worker that stopped answering ended, in words.
    fn death(&self, worker: Option<Worker>) -> Option<String> {
        let mut worker = worker?;
        // The pipe closes as the process exits: give it a moment to be reaped.
        let deadline = Instant::now() + Duration::from_secs(2);
        let status = loop {
            match worker.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                _ => {
                    let _ = worker.child.kill();
                    break worker.child.wait().ok();
                }
            }
        }?;
        std::thread::sleep(Duration::from_millis(20));
        let stderr: Vec<u8> = worker.stderr.lock().unwrap_or_else(|p| p.into_inner()).iter().copied().collect();
        let stderr = String::from_utf8_lossy(&stderr).trim().to_string();
        Some(describe_death(status, &stderr, &self.options))
    }
}

impl Drop for Extractor {
    fn drop(&mut self) {
        Self::kill(self.worker.get_mut().unwrap_or_else(|p| p.into_inner()).take());
    }
}

fn describe_death(status: std::process::ExitStatus, stderr: &str, options: &ExtractorOptions) -> String {
    let mib = options.memory_bytes >> 20;
    match status.signal() {
        Some(libc::SIGXCPU) => format!("it used more than {} s of CPU time", options.cpu_seconds),
        Some(libc::SIGABRT) if stderr.contains("memory allocation") => {
            format!("it needed more than the {mib} MiB of memory it may use")
        }
        Some(libc::SIGKILL) => "it was killed, probably for using too much memory".to_string(),
        Some(libc::SIGSEGV) => "segmentation fault".to_string(),
        Some(libc::SIGABRT) if stderr.contains("stack overflow") => "stack overflow".to_string(),
        Some(libc::SIGABRT) => "it aborted".to_string(),
        Some(signal) => format!("signal {signal}"),
        None if stderr.contains("memory allocation") => format!("it needed more than the {mib} MiB of memory it may use"),
        None => match stderr.lines().last() {
            Some(line) => format!("exit code {}: {line}", status.code().unwrap_or(-1)),
            None => format!("exit code {}", status.code().unwrap_or(-1)),
        },
    }
}

/// The format a file's name announces, when it is a document the worker
/// reads.
pub fn format_of(path: &Path) -> Option<Format> {
    Format::from_extension(path.extension()?.to_str()?)
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    use super::*;

    #[test]
    fn deaths_are_told_in_words_a_person_can_act_on() {
        let options = ExtractorOptions { memory_bytes: 512 << 20, cpu_seconds: 7, ..ExtractorOptions::default() };
        let signalled = |signal: i32| ExitStatus::from_raw(signal);
        let said = |status, stderr| describe_death(status, stderr, &options);
        assert_eq!(said(signalled(libc::SIGXCPU), ""), "it used more than 7 s of CPU time");
        assert_eq!(
            said(signalled(libc::SIGABRT), "memory allocation of 314572800 bytes failed"),
            "it needed more than the 512 MiB of memory it may use"
        );
        assert_eq!(said(signalled(libc::SIGABRT), "thread 'extract' has overflowed its stack\nfatal runtime error: stack overflow"), "stack overflow");
        assert_eq!(said(signalled(libc::SIGSEGV), ""), "segmentation fault");
        assert_eq!(said(ExitStatus::from_raw(3 << 8), "nook-extract: bad pipe"), "exit code 3: nook-extract: bad pipe");
    }
}
