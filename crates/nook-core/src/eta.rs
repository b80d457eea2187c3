//! How long a run has left, from how far it got and how long that took.
//!
//! Work is measured in bytes when they are known (a big file takes longer than
//! a small one) and in files otherwise. The rate is averaged over the whole
//! run so far, which is steady enough for a progress bar; no estimate is made
//! before a little work is done, since the first files say little.

use std::time::Duration;

/// No estimate before this share of the work is done…
const MIN_FRACTION: f64 = 0.02;
/// …or before this much time has passed.
const MIN_ELAPSED: Duration = Duration::from_millis(1500);

/// The time left, or `None` when it cannot be told yet.
pub fn remaining(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
    if total == 0 || done == 0 || elapsed < MIN_ELAPSED {
        return None;
    }
    let fraction = (done.min(total) as f64) / (total as f64);
    if fraction < MIN_FRACTION {
        return None;
    }
    let left = elapsed.as_secs_f64() * (1.0 - fraction) / fraction;
    Some(Duration::from_secs_f64(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_done_in_ten_seconds_leaves_thirty() {
        assert_eq!(remaining(25, 100, Duration::from_secs(10)), Some(Duration::from_secs(30)));
    }

    #[test]
    fn finished_work_leaves_nothing() {
        assert_eq!(remaining(100, 100, Duration::from_secs(10)), Some(Duration::ZERO));
    }

    #[test]
    fn no_guess_before_enough_work_or_time() {
        assert_eq!(remaining(0, 100, Duration::from_secs(10)), None);
        assert_eq!(remaining(1, 1000, Duration::from_secs(10)), None);
        assert_eq!(remaining(50, 100, Duration::from_millis(200)), None);
        assert_eq!(remaining(0, 0, Duration::from_secs(10)), None);
    }
}
