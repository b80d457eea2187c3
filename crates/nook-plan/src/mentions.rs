//! Dates written inside a text ("due May 14", "14 March 2025", "2025-05-14",
//! "in June"), for requests about what files mention rather than when they
//! changed ("documents that mention a deadline in May").

use chrono::NaiveDate;

use crate::DateFilter;

/// A date a text mentions; the year or the day may be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub year: Option<i32>,
    pub month: u32,
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// The month a word names: a capitalised full name or three-letter
/// abbreviation ("March", "Mar", "MARCH").
fn month_of(word: &str) -> Option<u32> {
    if !word.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_lowercase();
            lower == m || (lower.len() >= 3 && m.starts_with(lower) && lower.len() <= 4 && lower != "marc")
        })
        .map(|m| m as u32 + 1)
}

fn day_of(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix.to_ascii_lowercase().as_str(), "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4).then(|| word.parse().ok()).flatten().filter(|y| (1900..=2200).contains(y))
}

/// Words before a bare "May" or "March" that make it a month.
const MONTH_CUES: &[&str] = &[
    "in", "on", "by", "until", "till", "before", "after", "of", "from", "due", "during", "end", "early", "late", "mid",
    "since", "through", "to", "and",
];

/// Every date `text` mentions, in order.
pub fn mentions(text: &str) -> Vec<Mention> {
    // Words, and whether each begins a sentence (a cue never crosses one).
    let mut words: Vec<&str> = Vec::new();
    let mut starts_sentence: Vec<bool> = Vec::new();
    let mut stop = true;
    for piece in text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.' || c == '?' || c == '!')) {
        let word = piece.trim_matches(|c| c == '.' || c == '?' || c == '!');
        if !word.is_empty() {
            words.push(word);
            starts_sentence.push(stop);
        }
        if !piece.is_empty() {
            stop = piece.ends_with(['.', '?', '!']);
        }
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if let Some(mention) = iso(w) {
            found.push(mention);
            i += 1;
            continue;
        }
        if let Some(month) = month_of(w) {
            let day = words.get(i + 1).and_then(|w| day_of(w));
            let year_at = i + 1 + usize::from(day.is_some());
            let year = words.get(year_at).and_then(|w| year_of(w));
            let ambiguous = matches!(w, "May" | "March" | "Mar" | "MAY" | "MARCH");
            let cue = i > 0 && !starts_sentence[i] && MONTH_CUES.contains(&words[i - 1].to_lowercase().as_str());
            if !ambiguous || day.is_some() || year.is_some() || cue {
                found.push(Mention { year, month, day });
                i = year_at + usize::from(year.is_some());
                continue;
            }
        } else if let Some(day) = day_of(w) {
            // "14 May 2025", "3rd of March"
            let of = usize::from(words.get(i + 1).is_some_and(|w| w.eq_ignore_ascii_case("of")));
            if let Some(month) = words.get(i + 1 + of).and_then(|w| month_of(w)) {
                let year = words.get(i + 2 + of).and_then(|w| year_of(w));
                found.push(Mention { year, month, day: Some(day) });
                i += 2 + of + usize::from(year.is_some());
                continue;
            }
        }
        i += 1;
    }
    found
}

/// "2025-05-14" or "2025-05".
fn iso(word: &str) -> Option<Mention> {
    let parts: Vec<&str> = word.split('-').collect();
    if !(2..=3).contains(&parts.len()) || parts[0].len() != 4 || parts[1].len() != 2 {
        return None;
    }
    let year = year_of(parts[0])?;
    let month: u32 = parts[1].parse().ok().filter(|m| (1..=12).contains(m))?;
    let day = match parts.get(2) {
        Some(d) if d.len() == 2 => Some(d.parse().ok().filter(|d| (1..=31).contains(d))?),
        Some(_) => return None,
        None => None,
    };
    Some(Mention { year: Some(year), month, day })
}

impl Mention {
    /// The days the mention covers in `year`, `[from, until)`.
    fn span_in(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        match self.day {
            Some(day) => {
                let d = NaiveDate::from_ymd_opt(year, self.month, day)?;
                Some((d, d.succ_opt()?))
            }
            None => {
                let from = NaiveDate::from_ymd_opt(year, self.month, 1)?;
                let until = if self.month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, self.month + 1, 1)?
                };
                Some((from, until))
            }
        }
    }
}

impl DateFilter {
    /// Whether `mention` falls in the filter's range. A mention without a
    /// year ("May 14") is placed in each year the range touches.
    pub fn admits(&self, mention: &Mention) -> bool {
        let years: Vec<i32> = match mention.year {
            Some(year) => vec![year],
            None => {
                let first = self.from.or(self.until).map(|d| chrono::Datelike::year(&d));
                let last = self.until.and_then(|d| d.pred_opt()).or(self.from).map(|d| chrono::Datelike::year(&d));
                match (first, last) {
                    (Some(a), Some(b)) if a <= b && b - a < 50 => (a..=b).collect(),
                    _ => Vec::new(),
                }
            }
        };
        years.into_iter().filter_map(|y| mention.span_in(y)).any(|(from, until)| {
            self.from.is_none_or(|f| until > f) && self.until.is_none_or(|u| from < u)
        })
    }

    /// Whether `text` mentions a date in the filter's range.
    pub fn is_mentioned_in(&self, text: &str) -> bool {
        mentions(text).iter().any(|m| self.admits(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DateTarget;

    fn m(year: Option<i32>, month: u32, day: Option<u32>) -> Mention {
        Mention { year, month, day }
    }

    #[test]
    fn dates_are_found_in_the_ways_people_write_them() {
        assert_eq!(
            mentions("The deadline is May 14, 2025; review on 3 June and again 2025-07-01. Budget due in March."),
            [m(Some(2025), 5, Some(14)), m(None, 6, Some(3)), m(Some(2025), 7, Some(1)), m(None, 3, None)]
        );
        assert_eq!(mentions("Sept 2024 and the 21st of October"), [m(Some(2024), 9, None), m(None, 10, Some(21))]);
    }

    #[test]
    fn may_and_march_as_words_are_not_dates() {
        assert!(mentions("You may march on. May I? the may tree").is_empty());
        assert_eq!(mentions("by May"), [m(None, 5, None)]);
    }

    #[test]
    fn a_filter_admits_mentions_in_its_range_with_or_without_a_year() {
        let may = DateFilter {
            label: "May".into(),
            from: NaiveDate::from_ymd_opt(2025, 5, 1),
            until: NaiveDate::from_ymd_opt(2025, 6, 1),
            target: DateTarget::Mentioned,
            done: false,
        };
        assert!(may.is_mentioned_in("deadline: May 14"));
        assert!(may.is_mentioned_in("due 2025-05-31"));
        assert!(may.is_mentioned_in("sometime in May"));
        assert!(!may.is_mentioned_in("deadline: May 14, 2024"));
        assert!(!may.is_mentioned_in("deadline: June 1"));
        assert!(!may.is_mentioned_in("no dates here at all"));
    }
}
