//! What the rules saw but could not read: a time named by an event
//! ("photos from christmas", "since thanksgiving") and a kind named by
//! something other than its type ("photoshop files"). Each is a question
//! for the on-device model, with a closed set of answers, so that what it
//! fills in is always a valid plan; until it answers, the words stay among
//! those searched.

use chrono::Datelike;
use nook_core::FileKind;
use serde::{Deserialize, Serialize};

use crate::words::Word;
use crate::{Context, DateFilter, DateTarget, Field, KindFilter, Plan};

/// Part of a request for the model to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    pub field: Field,
    /// The words, as typed ("christmas", "photoshop files").
    pub phrase: String,
    /// How a time applies: within it, since it, before or after it.
    #[serde(default)]
    pub bound: Bound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    #[default]
    Within,
    Since,
    Before,
    After,
}

/// Times of year people name by what happens in them, on days that move
/// by calendars the rules do not keep (the holidays they do keep are read
/// as dates: [`crate::holidays`]).
const EVENTS: &[&str] = &["hanukkah", "diwali", "ramadan", "eid", "passover", "carnival", "mardi", "oktoberfest", "solstice", "equinox"];

/// The answers a kind question may get, with the kinds each means.
pub const KIND_ANSWERS: &[(&str, &[FileKind])] = &[
    ("document", &[FileKind::Pdf, FileKind::Document]),
    ("spreadsheet", &[FileKind::Spreadsheet]),
    ("presentation", &[FileKind::Presentation]),
    ("image", &[FileKind::Image]),
    ("video", &[FileKind::Video]),
    ("audio", &[FileKind::Audio]),
    ("email", &[FileKind::Email]),
    ("code", &[FileKind::Code]),
    ("archive", &[FileKind::Archive]),
];

/// The unread parts of a request, given the words no rule took.
pub(crate) fn find(words: &[Word], used: &[bool], plan: &Plan) -> Vec<Unread> {
    let mut unread = Vec::new();
    let free = |i: usize| !used[i] && !words[i].quoted;
    for i in 0..words.len() {
        if !free(i) || !words[i].is_any(EVENTS) {
            continue;
        }
        // "christmas eve", "easter sunday", "valentine's day"
        let mut end = i + 1;
        while end < words.len() && free(end) && words[end].is_any(&["eve", "day", "sunday", "monday", "weekend", "break"]) {
            end += 1;
        }
        let bound = match i.checked_sub(1).map(|p| words[p].lower.as_str()) {
            Some("since") => Bound::Since,
            Some("after") => Bound::After,
            Some("before" | "until") => Bound::Before,
            _ => Bound::Within,
        };
        let phrase = words[i..end].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        if plan.dates.is_none() && !unread.iter().any(|u: &Unread| u.field == Field::Dates) {
            unread.push(Unread { field: Field::Dates, phrase, bound });
        }
    }
    if plan.kinds.is_none() {
        // "photoshop files", "keynote documents"
        for i in 0..words.len().saturating_sub(1) {
            let next = &words[i + 1];
            if free(i) && !crate::language::is_filler(&words[i].lower) && next.is_any(&["files", "file", "documents", "docs"]) {
                let phrase = format!("{} {}", words[i].text, next.text);
                unread.push(Unread { field: Field::Kinds, phrase, bound: Bound::Within });
                break;
            }
        }
    }
    unread
}

impl Plan {
    /// Fills the dates of `hint` with `month` (1–12), the model's reading
    /// of it, placed in the year the rules would place the month in.
    pub fn fill_month(&mut self, hint: &Unread, month: u32, cx: &Context) {
        let target = DateTarget::Modified;
        // The latest such month that has begun, as for "in March".
        let year = if month <= cx.today.month() { cx.today.year() } else { cx.today.year() - 1 };
        let Some(from) = chrono::NaiveDate::from_ymd_opt(year, month, 1) else { return };
        let Some(until) = from.checked_add_months(chrono::Months::new(1)) else { return };
        let (from, until) = match hint.bound {
            Bound::Within => (Some(from), Some(until)),
            Bound::Since => (Some(from), None),
            Bound::After => (Some(until), None),
            Bound::Before => (None, Some(from)),
        };
        let month_name = from.or(until).map(|d| d.format("%B").to_string()).unwrap_or_default();
        self.dates = Some(DateFilter { label: hint.phrase.clone(), from, until, target, done: false });
        self.remove_words(&hint.phrase);
        self.notes.push(format!("“{}” was read by the on-device model as {month_name}", hint.phrase));
        self.guessed.push(Field::Dates);
    }

    /// Fills the kinds of `hint` with the model's answer (one of
    /// [`KIND_ANSWERS`]).
    pub fn fill_kind(&mut self, hint: &Unread, answer: &str) {
        let Some((name, kinds)) = KIND_ANSWERS.iter().find(|(name, _)| *name == answer) else { return };
        self.kinds = Some(KindFilter { label: hint.phrase.clone(), kinds: kinds.to_vec(), soft: false, extensions: Vec::new(), taken: false, except: Vec::new() });
        self.remove_words(&hint.phrase);
        self.notes.push(format!("“{}” was read by the on-device model as {name} files", hint.phrase));
        self.guessed.push(Field::Kinds);
    }

    /// Takes the words of `phrase` (and filler left dangling by them) out of
    /// the words searched.
    fn remove_words(&mut self, phrase: &str) {
        let mut words: Vec<&str> = self.text.split_whitespace().collect();
        for gone in phrase.split_whitespace() {
            if let Some(at) = words.iter().position(|w| w.eq_ignore_ascii_case(gone)) {
                words.remove(at);
            }
        }
        let meaningful = |w: &&str| !crate::language::is_filler(&w.to_lowercase());
        self.text = match (words.iter().position(meaningful), words.iter().rposition(meaningful)) {
            (Some(first), Some(last)) => words[first..=last].join(" "),
            _ => String::new(),
        };
    }
}
