//! Giving memory back while Nook sits idle: what an indexing run or a burst
//! of searches left resident, once it is no longer needed.
//!
//! Two kinds are handed back:
//! - heap pages freed by Rust but kept by glibc's allocator;
//! - the pages of Nook's own executable that were mapped while it ran.
//!   Nook links LanceDB, DataFusion and candle, whose code is large: an
//!   indexing run maps on the order of 100 MB of it. Those pages are clean
//!   copies of the file on disk, so the kernel may drop them at any time and
//!   read them back on use; unmapping them here makes the process's resident
//!   size say what it truly holds. Using that code again costs minor page
//!   faults from the page cache (see docs/BENCHMARKS.md for the figures).

use std::ops::Range;

/// Hands idle memory back to the system. Safe to call at any time; it only
/// touches memory that holds nothing but copies of what is on disk, or free
/// heap pages.
pub fn release_idle_memory() {
    release_freed_heap();
    #[cfg(target_os = "linux")]
    release_code_pages();
}

/// Returns the allocator's free pages; cheap, done after every run.
pub fn release_freed_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(target_os = "linux")]
fn release_code_pages() {
    let (Ok(exe), Ok(smaps)) = (std::fs::read_link("/proc/self/exe"), std::fs::read_to_string("/proc/self/smaps"))
    else {
        return;
    };
    for range in clean_file_ranges(&smaps, &exe.to_string_lossy()) {
        // SAFETY: the range is a private, read-only mapping of the
        // executable with no page of its own (no copy-on-write page, the
        // only kind MADV_DONTNEED would lose): dropping it leaves every
        // later read to fault the same bytes back in from the file.
        unsafe {
            libc::madvise(range.start as *mut libc::c_void, range.end - range.start, libc::MADV_DONTNEED);
        }
    }
}

/// The address ranges, in a `/proc/PID/smaps` listing, of read-only private
/// mappings of `path` with no anonymous (copy-on-write) page, resident or
/// swapped: memory whose every byte is the file's.
pub fn clean_file_ranges(smaps: &str, path: &str) -> Vec<Range<usize>> {
    clean_file_mappings(smaps, path).map(|m| m.range).collect()
}

fn clean_file_mappings<'a>(smaps: &'a str, path: &'a str) -> impl Iterator<Item = Mapping<'a>> {
    mappings(smaps).filter(move |m| m.path == path && m.private && !m.writable && m.anonymous_kb == Some(0) && m.swap_kb == Some(0))
}

/// One mapping of a smaps listing: its header line
/// (`start-end perms offset dev inode path`) and the counters that follow.
#[derive(Debug)]
struct Mapping<'a> {
    range: Range<usize>,
    writable: bool,
    private: bool,
    path: &'a str,
    #[cfg_attr(not(test), allow(dead_code))] // the tests measure with it
    rss_kb: Option<u64>,
    anonymous_kb: Option<u64>,
    swap_kb: Option<u64>,
}

impl<'a> Mapping<'a> {
    fn header(line: &'a str) -> Option<Mapping<'a>> {
        let mut fields = line.splitn(6, ' ');
        let (start, end) = fields.next()?.split_once('-')?;
        let range = usize::from_str_radix(start, 16).ok()?..usize::from_str_radix(end, 16).ok()?;
        let perms = fields.next()?.as_bytes();
        if perms.len() != 4 {
            return None;
        }
        let (_offset, _device, _inode) = (fields.next()?, fields.next()?, fields.next()?);
        let path = fields.next().map(str::trim_start).unwrap_or("");
        Some(Mapping {
            range,
            writable: perms[1] == b'w',
            private: perms[3] == b'p',
            path,
            rss_kb: None,
            anonymous_kb: None,
            swap_kb: None,
        })
    }

    /// Takes a counter line (`Name:   123 kB`) that belongs to this mapping.
    fn count(&mut self, line: &str) {
        let Some((name, value)) = line.split_once(':') else { return };
        let kb = value.trim().strip_suffix("kB").and_then(|v| v.trim().parse().ok());
        match name {
            "Rss" => self.rss_kb = kb,
            "Anonymous" => self.anonymous_kb = kb,
            "Swap" => self.swap_kb = kb,
            _ => {}
        }
    }
}

fn mappings(smaps: &str) -> impl Iterator<Item = Mapping<'_>> {
    let mut lines = smaps.lines().peekable();
    std::iter::from_fn(move || {
        let mut mapping = loop {
            if let Some(mapping) = Mapping::header(lines.next()?) {
                break mapping;
            }
        };
        while let Some(line) = lines.next_if(|line| Mapping::header(line).is_none()) {
            mapping.count(line);
        }
        Some(mapping)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXE: &str = "/usr/bin/nook-desktop";

    fn entry(header: &str, anonymous_kb: u64) -> String {
        format!(
            "{header}\nSize:               1024 kB\nRss:                 512 kB\nAnonymous:      {anonymous_kb} kB\n\
             Swap:                  0 kB\nVmFlags: rd ex mr mw me\n"
        )
    }

    #[test]
    fn only_untouched_read_only_private_mappings_of_the_file_are_dropped() {
        let smaps = [
            entry("55d000000000-55d000100000 r--p 00000000 fe:01 42   /usr/bin/nook-desktop", 0),
            entry("55d000100000-55d000900000 r-xp 00100000 fe:01 42   /usr/bin/nook-desktop", 0),
            // Relocated data: copy-on-write pages that exist nowhere else.
            entry("55d000900000-55d000a00000 r--p 00900000 fe:01 42   /usr/bin/nook-desktop", 640),
            entry("55d000a00000-55d000a10000 rw-p 00a00000 fe:01 42   /usr/bin/nook-desktop", 0),
            entry("7f0000000000-7f0000100000 r-xp 00000000 fe:01 77   /usr/lib/libc.so.6", 0),
            entry("7f0000100000-7f0000200000 r--s 00000000 fe:01 42   /usr/bin/nook-desktop", 0),
            entry("7f0000200000-7f0000300000 rw-p 00000000 00:00 0 ", 0),
            entry("7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0    [stack]", 0),
        ]
        .concat();
        assert_eq!(
            clean_file_ranges(&smaps, EXE),
            vec![0x55d0_0000_0000..0x55d0_0010_0000, 0x55d0_0010_0000..0x55d0_0090_0000]
        );
    }

    #[test]
    fn a_path_with_spaces_is_matched_whole() {
        let smaps = entry("1000-2000 r-xp 00000000 fe:01 9   /opt/My Apps/nook-desktop", 0);
        assert_eq!(clean_file_ranges(&smaps, "/opt/My Apps/nook-desktop"), vec![0x1000..0x2000]);
        assert!(clean_file_ranges(&smaps, "/opt/My").is_empty());
    }

    #[test]
    fn nothing_is_dropped_from_a_listing_it_cannot_read() {
        assert!(clean_file_ranges("", EXE).is_empty());
        assert!(clean_file_ranges("garbage\nAnonymous: 0 kB\n", EXE).is_empty());
        // No counters: whether it holds copy-on-write pages is unknown.
        let bare = "1000-2000 r-xp 00000000 fe:01 9   /usr/bin/nook-desktop\n";
        assert!(clean_file_ranges(bare, EXE).is_empty());
        let swapped = entry("1000-2000 r-xp 00000000 fe:01 9   /usr/bin/nook-desktop", 0).replace("Swap:                  0", "Swap: 8");
        assert!(clean_file_ranges(&swapped, EXE).is_empty());
    }

    /// Resident kB of the executable's clean mappings in this process.
    #[cfg(target_os = "linux")]
    fn resident_code_kb() -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        clean_file_mappings(&smaps, &exe.to_string_lossy()).filter_map(|m| m.rss_kb).sum()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn releasing_idle_memory_unmaps_code_pages_and_the_code_still_runs() {
        fn fib(n: u64) -> u64 {
            if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
        }
        let answer = fib(20);
        let before = resident_code_kb();
        release_idle_memory();
        let after = resident_code_kb();
        assert!(after < before, "resident code: {before} kB before, {after} kB after");
        assert_eq!(fib(20), answer);
    }
}
