//! Sizes: "bigger than 10 MB", "under 500KB", "at least 1.5 GB", "between 1
//! and 2 MB", and the adjectives "big", "large", "huge", "small", "tiny"
//! (a threshold that depends on the kinds asked for, and largest or
//! smallest first; the search measures it again against the person's own
//! files of those kinds: [`SizeWord::share`]).

use nook_core::FileKind;

use crate::words::Word;
use serde::{Deserialize, Serialize};

use crate::{KindFilter, Order, SizeFilter};

/// The size range read so far.
#[derive(Debug, Default)]
pub(crate) struct Sizes {
    labels: Vec<String>,
    min: Option<u64>,
    max: Option<u64>,
    /// "big" or "small": a threshold chosen by kind once kinds are known.
    adjective: Option<SizeWord>,
}

/// A size said as an adjective: relative to what is usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeWord {
    Big,
    Huge,
    Small,
    Tiny,
}

impl SizeWord {
    /// Whether the word asks for the larger files.
    pub fn is_big(self) -> bool {
        matches!(self, SizeWord::Big | SizeWord::Huge)
    }

    /// The share of the files measured that the word means: "big" the
    /// largest quarter, "huge" the largest tenth, "small" the smallest
    /// quarter, "tiny" the smallest tenth.
    pub fn share(self) -> f64 {
        match self {
            SizeWord::Big | SizeWord::Small => 0.25,
            SizeWord::Huge | SizeWord::Tiny => 0.10,
        }
    }

    /// The bound the word sets among `sizes` (the person's files, in any
    /// order): the smallest size of the largest share for "big", the
    /// largest of the smallest share for "small". None with fewer than
    /// [`SizeWord::MEASURED`] files: too few to tell what is big.
    pub fn bound(self, sizes: &mut [u64]) -> Option<u64> {
        if sizes.len() < Self::MEASURED {
            return None;
        }
        sizes.sort_unstable();
        let counted = ((sizes.len() as f64 * self.share()).ceil() as usize).clamp(1, sizes.len());
        Some(if self.is_big() { sizes[sizes.len() - counted] } else { sizes[counted - 1] })
    }

    /// Files needed to measure a size word against.
    pub const MEASURED: usize = 8;
}

impl Sizes {
    fn at_least(&mut self, label: String, bytes: u64) {
        self.labels.push(label);
        self.min = self.min.max(Some(bytes));
    }

    fn at_most(&mut self, label: String, bytes: u64) {
        self.labels.push(label);
        self.max = Some(self.max.map_or(bytes, |m| m.min(bytes)));
    }

    pub(crate) fn finish(mut self, kinds: Option<&KindFilter>, order: &mut Order, notes: &mut Vec<String>) -> Option<SizeFilter> {
        if let Some(adjective) = self.adjective {
            let (big, small) = thresholds(kinds);
            if adjective.is_big() && self.min.is_none() {
                self.min = Some(big);
            } else if !adjective.is_big() && self.max.is_none() {
                self.max = Some(small);
            } else {
                self.adjective = None;
            }
            if *order == Order::Relevance {
                *order = if adjective.is_big() { Order::Largest } else { Order::Smallest };
            }
        }
        if self.min.is_none() && self.max.is_none() {
            return None;
        }
        if let (Some(min), Some(max)) = (self.min, self.max) {
            if min > max {
                notes.push(format!(
                    "“{}” leave no size in between, so the search ignores sizes; change one of them",
                    self.labels.join("” and “")
                ));
                return None;
            }
        }
        Some(SizeFilter { label: self.labels.join(", "), min_bytes: self.min, max_bytes: self.max, word: self.adjective })
    }
}

const KB: u64 = 1000;
const MB: u64 = 1000 * KB;
const GB: u64 = 1000 * MB;

/// What "big" and "small" mean for the kinds asked for: a big video is
/// bigger than a big document.
fn thresholds(kinds: Option<&KindFilter>) -> (u64, u64) {
    let kinds = kinds.map(|k| k.kinds.as_slice()).unwrap_or_default();
    let all = |pred: fn(&FileKind) -> bool| !kinds.is_empty() && kinds.iter().all(pred);
    if all(|k| matches!(k, FileKind::Video | FileKind::Archive)) {
        (100 * MB, 10 * MB)
    } else if all(|k| matches!(k, FileKind::Audio | FileKind::Image)) {
        (5 * MB, 200 * KB)
    } else {
        (10 * MB, 100 * KB)
    }
}

/// Bytes in one `unit` ("MB", "gigabytes", "KiB"); decimal units are
/// powers of 1000, as file managers show them.
fn unit(text: &str) -> Option<u64> {
    Some(match text {
        "b" | "byte" | "bytes" => 1,
        "k" | "kb" | "kilobyte" | "kilobytes" => KB,
        "m" | "mb" | "meg" | "megs" | "megabyte" | "megabytes" => MB,
        "g" | "gb" | "gig" | "gigs" | "gigabyte" | "gigabytes" => GB,
        "tb" | "terabyte" | "terabytes" => 1000 * GB,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return None,
    })
}

/// "10 MB", "10MB", "1.5 gigabytes": the bytes and the words taken.
fn quantity(words: &[Word], i: usize) -> Option<(usize, u64)> {
    let w = words.get(i)?;
    if w.quoted {
        return None;
    }
    let split = w.lower.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(w.lower.len());
    let (digits, attached) = w.lower.split_at(split);
    let number: f64 = digits.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let (n, per) = if attached.is_empty() {
        (2, unit(&words.get(i + 1).filter(|w| !w.quoted)?.lower)?)
    } else {
        (1, unit(attached)?)
    };
    let bytes = number * per as f64;
    (bytes < u64::MAX as f64).then_some((n, bytes.round() as u64))
}

/// Reads a size clause at `i`; the number of words it took.
pub(crate) fn read(words: &[Word], i: usize, sizes: &mut Sizes) -> Option<usize> {
    let w = &words[i];
    if w.quoted {
        return None;
    }
    let label = |n: usize| words[i..i + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    let mut lead = match w.lower.as_str() {
        "bigger" | "larger" | "greater" | "more" | "over" | "above" | "heavier" | "exceeding" => 1,
        "smaller" | "less" | "under" | "below" | "lighter" => 1,
        "at" if words.get(i + 1).is_some_and(|w| w.is_any(&["least", "most"])) => 2,
        "between" => {
            // "between 1 and 2 MB", "between 1 MB and 2 MB"
            let first = words.get(i + 1)?;
            let low: Option<f64> = first.lower.parse().ok();
            let (n, low_bytes) = match quantity(words, i + 1) {
                Some((n, bytes)) => (n, Some(bytes)),
                None => (1, None),
            };
            if !words.get(i + 1 + n).is_some_and(|w| w.is("and")) {
                return None;
            }
            let (m, high) = quantity(words, i + 2 + n)?;
            let per = quantity_unit(words, i + 2 + n)?;
            let low = low_bytes.or_else(|| low.map(|l: f64| (l * per as f64).round() as u64))?;
            sizes.at_least(label(2 + n + m), low);
            sizes.labels.pop();
            sizes.at_most(label(2 + n + m), high);
            return Some(2 + n + m);
        }
        "big" | "large" | "huge" | "massive" | "enormous" | "small" | "tiny" => 0,
        _ => return None,
    };
    if lead == 1 && words.get(i + 1).is_some_and(|w| w.is("than")) {
        lead = 2;
    }
    if let Some((n, bytes)) = quantity(words, i + lead).filter(|_| lead > 0) {
        let below = matches!(w.lower.as_str(), "smaller" | "less" | "under" | "below" | "lighter")
            || words.get(i + 1).is_some_and(|w| w.is("most"));
        if below {
            sizes.at_most(label(lead + n), bytes);
        } else {
            sizes.at_least(label(lead + n), bytes);
        }
        return Some(lead + n);
    }
    // An adjective: "big videos", "small images". ("bigger than" with no
    // size after it says nothing.)
    match w.lower.as_str() {
        "big" | "bigger" | "large" | "larger" | "huge" | "massive" | "enormous" => {
            let huge = matches!(w.lower.as_str(), "huge" | "massive" | "enormous");
            sizes.adjective = Some(if huge { SizeWord::Huge } else { SizeWord::Big });
            sizes.labels.push(w.text.clone());
            Some(1)
        }
        "small" | "smaller" | "tiny" => {
            sizes.adjective = Some(if w.lower == "tiny" { SizeWord::Tiny } else { SizeWord::Small });
            sizes.labels.push(w.text.clone());
            Some(1)
        }
        _ => None,
    }
}

/// The unit of the quantity at `i`, in bytes.
fn quantity_unit(words: &[Word], i: usize) -> Option<u64> {
    let w = words.get(i)?;
    let split = w.lower.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(w.lower.len());
    let attached = &w.lower[split..];
    if attached.is_empty() {
        unit(&words.get(i + 1)?.lower)
    } else {
        unit(attached)
    }
}
