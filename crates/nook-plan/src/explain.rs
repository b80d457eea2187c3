//! A plan in words: the chips the search box shows (one per filter) and the
//! lines `nook search --explain` prints.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{DateFilter, DateTarget, NameMatch, Order, Plan, SizeFilter};

/// One filter of a plan, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chip {
    /// Which part of the plan: `kinds`, `dates`, `folder`, `size`, `name`
    /// or `order`.
    pub field: String,
    /// Short, as the chip reads: "documents", "this quarter".
    pub label: String,
    /// What it means exactly: "PDF or document", "Oct 1 – Dec 31, 2026".
    pub detail: String,
    /// Read from the words but not applied: with it, nothing close to the
    /// words was found ([`crate::relax`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub relaxed: bool,
    /// Of a relaxed chip: the words that asked for the filter, searched
    /// with the plan's own in its place ([`Plan::searched_words`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
}

impl Plan {
    /// The plan's filters, in the order the search box shows them.
    pub fn chips(&self) -> Vec<Chip> {
        let chip = |field: &str, label: String, detail: String| Chip { field: field.to_string(), label, detail, relaxed: false, words: None };
        let mut chips = Vec::new();
        if let Some(kinds) = &self.kinds {
            let names: Vec<String> = if kinds.extensions.is_empty() {
                kinds.kinds.iter().map(|k| k.as_str().to_string()).collect()
            } else {
                kinds.extensions.iter().map(|e| format!(".{e}")).collect()
            };
            let detail = if kinds.soft && !self.text.trim().is_empty() {
                format!("{} preferred; other files that match the words are found too", names.join(" or "))
            } else {
                names.join(" or ")
            };
            chips.push(chip("kinds", kinds.label.clone(), detail));
        }
        if let Some(dates) = &self.dates {
            let label = match dates.target {
                DateTarget::Modified => dates.label.clone(),
                DateTarget::Mentioned => format!("mentions {}", dates.label),
            };
            chips.push(chip("dates", label, date_range(dates)));
        }
        if let Some(folder) = &self.folder {
            let detail = if folder.is_path() {
                format!("below {}", folder.name)
            } else {
                format!("below any folder named {}", folder.name)
            };
            chips.push(chip("folder", format!("in {}", folder.name), detail));
        }
        if let Some(size) = &self.size {
            chips.push(chip("size", size.label.clone(), size_range(size)));
        }
        if let Some(name) = &self.name {
            let how = match name.how {
                NameMatch::Contains => "name contains",
                NameMatch::StartsWith => "name starts with",
                NameMatch::EndsWith => "name ends with",
            };
            chips.push(chip("name", format!("{how} {}", name.pattern), format!("{how} “{}”, ignoring case", name.pattern)));
        }
        if self.order != Order::Relevance {
            chips.push(chip("order", self.order.to_string(), format!("results {}", self.order)));
        }
        for chip in &mut chips {
            if self.guessed.iter().any(|f| f.as_str() == chip.field) {
                chip.detail.push_str(" (the on-device model's reading; remove it if wrong)");
            }
        }
        chips.extend(self.relaxed.iter().cloned());
        chips
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Order::Relevance => "best match first",
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::Largest => "largest first",
            Order::Smallest => "smallest first",
        })
    }
}

/// The plan as `nook search --explain` prints it.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Plan for “{}”:", self.request)?;
        if self.text.is_empty() {
            writeln!(f, "  words:  (none: files are listed by the filters alone)")?;
        } else {
            writeln!(f, "  words:  {} (by meaning in contents, and in names)", self.text)?;
        }
        for chip in self.chips() {
            let relaxed = if chip.relaxed { " (relaxed)" } else { "" };
            writeln!(f, "  {:<7} {}{relaxed} — {}", format!("{}:", chip.field), chip.label, chip.detail)?;
        }
        if self.order == Order::Relevance {
            let order = if self.text.is_empty() { Order::Newest } else { Order::Relevance };
            writeln!(f, "  order:  {order}")?;
        }
        for note in &self.notes {
            writeln!(f, "  note:   {note}")?;
        }
        Ok(())
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

/// "Oct 1 – Dec 31, 2026", "Nov 20, 2026", "from Oct 1, 2026", "before Jan 1, 2024".
fn date_range(dates: &DateFilter) -> String {
    let last = dates.until.and_then(|u| u.pred_opt());
    let what = match dates.target {
        DateTarget::Modified => "modified",
        DateTarget::Mentioned => "a date in the text",
    };
    let range = match (dates.from, last) {
        (Some(from), Some(last)) if from == last => day(from),
        (Some(from), Some(last)) => format!("{} – {}", day(from), day(last)),
        (Some(from), None) => format!("on or after {}", day(from)),
        (None, Some(_)) => format!("before {}", day(dates.until.expect("last comes from until"))),
        (None, None) => "any day".to_string(),
    };
    format!("{what} {range}")
}

/// Bytes as a file manager shows them: "10 MB", "1.5 GB", "200 kB".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn size_range(size: &SizeFilter) -> String {
    match (size.min_bytes, size.max_bytes) {
        (Some(min), Some(max)) => format!("{} to {}", human_size(min), human_size(max)),
        (Some(min), None) => format!("at least {}", human_size(min)),
        (None, Some(max)) => format!("at most {}", human_size(max)),
        (None, None) => "any size".to_string(),
    }
}
