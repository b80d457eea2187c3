//! Interactive work first. While a search or an answer runs, indexing waits
//! between its embedding slices, so the machine's cores go to what the
//! person is waiting for; indexing goes on as soon as they are free.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long indexing waits for interactive work at most, before it takes
/// one more slice anyway (a client that forgot a guard cannot stall it).
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub struct Foreground {
    active: AtomicUsize,
}

/// Marks interactive work while it lives.
#[must_use = "interactive work lasts as long as the guard"]
pub struct ForegroundGuard<'a>(&'a Foreground);

impl Drop for ForegroundGuard<'_> {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Foreground {
    pub fn enter(&self) -> ForegroundGuard<'_> {
        self.active.fetch_add(1, Ordering::AcqRel);
        ForegroundGuard(self)
    }

    pub fn busy(&self) -> bool {
        self.active.load(Ordering::Acquire) > 0
    }

    /// Blocks while interactive work runs, at most `limit`; how long it
    /// waited.
    pub(crate) fn wait_until_free(&self, limit: Duration) -> Duration {
        let started = Instant::now();
        while self.busy() && started.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(10));
        }
        started.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_waits_while_a_guard_lives_and_no_longer() {
        let foreground = Foreground::default();
        assert!(foreground.wait_until_free(Duration::from_secs(5)) < Duration::from_millis(5));
        let guard = foreground.enter();
        let nested = foreground.enter();
        drop(nested);
        assert!(foreground.busy(), "one guard still lives");
        assert!(foreground.wait_until_free(Duration::from_millis(50)) >= Duration::from_millis(50));
        drop(guard);
        assert!(!foreground.busy());
    }
}
