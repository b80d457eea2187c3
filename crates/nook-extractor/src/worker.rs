//! The worker's side: read requests from standard input, answer on standard
//! output, one file at a time. Panics are caught and reported; what cannot be
//! caught (an abort, a stack overflow, a limit) ends the process, and Nook
//! starts another.

use std::io::{self, BufReader, BufWriter};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::protocol::{read_request, write_reply, Reply};

/// Stack for the thread that reads documents: deep enough that no parser's
/// leftover recursion overflows it on real files.
pub const STACK_BYTES: usize = 64 << 20;

/// Largest file a request may carry.
const MAX_BODY: u64 = 1 << 30;

/// Serves requests on standard input until it closes.
pub fn serve_stdio() -> io::Result<()> {
    let handle = std::thread::Builder::new().stack_size(STACK_BYTES).name("extract".into()).spawn(|| {
        let mut input = BufReader::new(io::stdin().lock());
        let mut output = BufWriter::new(io::stdout().lock());
        serve(&mut input, &mut output)
    })?;
    handle.join().unwrap_or_else(|_| Err(io::Error::other("the worker thread panicked")))
}

pub fn serve(input: &mut impl io::Read, output: &mut impl io::Write) -> io::Result<()> {
    // Panics are reported in the reply, not printed.
    std::panic::set_hook(Box::new(|_| {}));
    while let Some((request, bytes)) = read_request(input, MAX_BODY)? {
        limit_cpu(request.cpu_seconds);
        let reply = catch_unwind(AssertUnwindSafe(|| nook_formats::read(request.format, &request.name, &bytes, &request.limits)))
            .map(|result| match result {
                Ok(document) => Reply::Read(document),
                Err(refusal) => Reply::Refused(refusal),
            })
            .unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                Reply::Panicked(message)
            });
        write_reply(output, &reply)?;
    }
    Ok(())
}

/// Lets this file use `seconds` more of CPU time: past it the kernel sends
/// SIGXCPU, which ends the worker. The limit moves with each file, so a
/// long-lived worker is not charged for the files before.
fn limit_cpu(seconds: u64) {
    if seconds == 0 {
        return;
    }
    // SAFETY: getrusage and setrlimit only read and write the structs given.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return;
        }
        let used = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) as u64 + 1;
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_CPU, &mut limit) != 0 {
            return;
        }
        limit.rlim_cur = (used + seconds).min(limit.rlim_max);
        libc::setrlimit(libc::RLIMIT_CPU, &limit);
    }
}
