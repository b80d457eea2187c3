//! Nook's query planner: a request in words ("reports from this quarter")
//! in, a [`Plan`] out — the words to search by meaning and in names, and the
//! filters the request asked for: kinds of file, a date range, a folder, a
//! size, a name pattern and an order.
//!
//! Planning is deterministic and pure: the same request on the same day
//! gives the same plan, and nothing here reads the disk or the clock (the
//! day is part of the [`Context`]). Every plan is valid: a request the rules
//! read only in part is searched for its words, and what was left out is
//! said in [`Plan::notes`].

mod dated;
mod explain;
mod holidays;
mod kinds;
mod language;

/// Whether `text` looks written in a language other than English (function
/// words of French, German, Spanish, Italian, Portuguese or Dutch, or a
/// script other than Latin): Nook's rules and default models read English.
pub fn looks_foreign(text: &str) -> bool {
    language::foreign_note(&words::words(text)).is_some()
}
mod matching;
pub use matching::{name_probes, shortest_form, words_held, Naming};
mod mentions;
mod name;
mod order;
mod place;
mod unread;
mod refine;
mod size;
mod when;
mod words;

use chrono::NaiveDate;
use nook_core::FileKind;
use serde::{Deserialize, Serialize};

pub use dated::dated_name;
pub use explain::{human_size, Chip};
pub use mentions::{mentions, Mention};
pub use refine::{only, refine, relax, Field};
pub use size::SizeWord;
pub use unread::{Bound, Unread, KIND_ANSWERS};

/// Requests longer than this are refused: they are documents, not requests.
pub const MAX_REQUEST_CHARS: usize = 1000;

/// What a plan is made against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Today, in the user's time zone: "this week" and "in March" are read
    /// against it.
    pub today: NaiveDate,
    /// The month (1–12) the fiscal year starts in; 1 when it is the calendar
    /// year.
    pub fiscal_year_start: u32,
}

impl Context {
    pub fn new(today: NaiveDate) -> Context {
        Context { today, fiscal_year_start: 1 }
    }
}

/// A search, as the request asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Plan {
    /// The request as typed.
    pub request: String,
    /// Words to search for by meaning, in contents and in names; empty when
    /// the request was only filters ("pdfs from yesterday").
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinds: Option<KindFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<DateFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<FolderFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<SizeFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<NameFilter>,
    #[serde(default)]
    pub order: Order,
    /// What the planner could not use, in words for the person who asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the rules saw but could not read, for the on-device model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<Unread>,
    /// Fields the on-device model filled in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guessed: Vec<Field>,
    /// Filters read from the words and let go of, as their chips (marked
    /// relaxed): with them nothing close to the words was found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relaxed: Vec<Chip>,
}

/// Only files of these kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindFilter {
    /// The words that asked for them ("reports", "slides").
    pub label: String,
    pub kinds: Vec<FileKind>,
    /// The words name what files are about as much as their format
    /// ("reports", "documents", "notes"): with other words to search by,
    /// these kinds are preferred in the ranking, not required.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub soft: bool,
    /// Narrower than the kinds: only these extensions ("zips" are .zip,
    /// "installers" .deb, .AppImage …). Empty: any file of the kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<String>,
    /// Only pictures taken ("photos", "snaps"): not screenshots.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub taken: bool,
    /// Kinds said not to be wanted ("Lisbon paperwork, not the photos");
    /// the filter may have no kinds of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<FileKind>,
}

impl KindFilter {
    /// Narrowed to what the person wrote ("letters I've written"): a
    /// format they write in, not PDFs they were sent.
    fn written_by_them(&mut self) {
        if self.kinds.contains(&FileKind::Pdf) && self.kinds.len() > 1 {
            self.kinds.retain(|k| *k != FileKind::Pdf);
            self.soft = false;
        }
    }

    /// The words that asked for the kinds and the other words of the same
    /// nouns ("films": also "movies"), for finding the folders they name.
    pub fn words_alike(&self) -> String {
        let mut words = vec![self.label.clone()];
        words.extend(kinds::words_alike(&self.label).iter().map(|w| w.to_string()));
        words.join(" ")
    }

    /// Whether a file named `file` (lower case) can be what the words
    /// asked for: a screenshot is a picture, not a photo.
    pub fn admits_name(&self, file: &str) -> bool {
        !(self.taken && ["screenshot", "screen shot", "screencap"].iter().any(|s| file.contains(s)))
    }
}

/// Only files with a date in `[from, until)`; either end may be open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFilter {
    /// The words that asked for it ("this quarter", "since Monday").
    pub label: String,
    #[serde(default, with = "iso_date", skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The first day no longer included.
    #[serde(default, with = "iso_date", skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(default)]
    pub target: DateTarget,
    /// The dates are of what the person did to the files ("spreadsheets I
    /// changed this quarter", "what did I save over the weekend"): judged
    /// by when each was changed, not by a date in its name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
}

/// Which date a date filter is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateTarget {
    /// When the file was last changed.
    #[default]
    Modified,
    /// A date written inside the file ("documents that mention a deadline
    /// in May").
    Mentioned,
}

/// Only files below a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderFilter {
    /// The folder's name ("Downloads") or path ("~/work/reports") as typed;
    /// a name matches a folder of that name anywhere, ignoring case.
    pub name: String,
}

impl FolderFilter {
    /// Whether the folder was given as a path rather than a name.
    pub fn is_path(&self) -> bool {
        self.name.starts_with('/') || self.name.starts_with('~')
    }
}

/// Only files within a size range, in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeFilter {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u64>,
    /// Said as an adjective ("huge zips"): the bound is a first guess, which
    /// the search measures again against the person's own files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word: Option<SizeWord>,
}

/// Only files whose name matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameFilter {
    /// Compared ignoring case.
    pub pattern: String,
    pub how: NameMatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    Contains,
    StartsWith,
    EndsWith,
}

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Best match first; with no words to match, newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
    Largest,
    Smallest,
}

/// A request no plan can be made from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the request is empty; type what you are looking for, for example “reports from this quarter”")]
    Empty,
    #[error("the request is {0} characters long; Nook reads requests of up to {MAX_REQUEST_CHARS}, so shorten it to what you are looking for")]
    TooLong(usize),
    #[error("“{phrase}” is not a {field} Nook can read; try {examples}")]
    NotA { field: &'static str, phrase: String, examples: &'static str },
}

/// The plan for `request`, read against `context`.
pub fn plan(request: &str, context: &Context) -> Result<Plan, PlanError> {
    let request = request.trim();
    let length = request.chars().count();
    if length > MAX_REQUEST_CHARS {
        return Err(PlanError::TooLong(length));
    }
    let words = words::words(request);
    if words.is_empty() {
        return Err(PlanError::Empty);
    }
    let mut plan = Plan { request: request.to_string(), ..Plan::default() };
    let target = when::target_of(&words);
    let mut used = vec![false; words.len()];
    let mut dates = when::Dates::default();
    let mut sizes = size::Sizes::default();
    let mut kinds = kinds::Kinds::default();
    let mut i = 0;
    while i < words.len() {
        let taken = name::read(&words, i, &mut plan)
            .or_else(|| size::read(&words, i, &mut sizes))
            .or_else(|| when::read(&words, i, context, target, &mut dates))
            .or_else(|| place::read(&words, i, &mut plan))
            .or_else(|| order::read(&words, i, &mut plan))
            .or_else(|| kinds::read_except(&words, i, &mut kinds))
            .or_else(|| kinds::read(&words, i, &mut kinds));
        match taken {
            Some(n) => {
                let n = n.max(1);
                used[i..i + n].iter_mut().for_each(|u| *u = true);
                // A kind word that also names what is sought ("reports")
                // stays among the words.
                for k in kinds.keep_words.drain(..) {
                    used[k] = false;
                }
                i += n;
            }
            None => i += 1,
        }
    }
    // "What's eating my disk?", "cluttering up my desktop": files that
    // take room, not what they say.
    for i in 0..words.len() {
        if let Some(n) = language::taking_room(&words[i..]).filter(|&n| used[i..i + n].iter().all(|u| !u)) {
            used[i..i + n].iter_mut().for_each(|u| *u = true);
        }
    }
    // What the person did to the file ("spreadsheets I touched", "letters
    // we wrote", "invoices I've sent out") says when, not what: the verb
    // and its particle are not searched.
    let mut authored = false;
    let mut handled = false;
    for i in 1..words.len() {
        // "what did I work on": after "did", the verb is the doing too.
        let after_did = i >= 2 && words[i - 2].is_any(&["did", "didn't"]) && language::is_doer(&words[i - 1]);
        if !used[i] && (language::is_own_doing(&words[i - 1], &words[i]) || after_did && !words[i].quoted) {
            used[i - 1] = true;
            used[i] = true;
            authored |= words[i].is_any(language::WRITING);
            handled |= words[i].is_any(language::HANDLING);
            if words.get(i + 1).is_some_and(|w| !w.quoted && language::is_particle(&w.lower)) {
                used[i + 1] = true;
            }
        }
    }
    plan.kinds = kinds.finish();
    if let Some(kinds) = plan.kinds.as_mut().filter(|_| authored) {
        kinds.written_by_them();
    }
    plan.dates = dates.finish(target, &mut plan.notes);
    if let Some(dates) = plan.dates.as_mut().filter(|_| handled) {
        dates.done = true;
    }
    plan.size = sizes.finish(plan.kinds.as_ref(), &mut plan.order, &mut plan.notes);
    // The words no filter took, in order; filler words are kept between
    // others ("invoices from ACME") and trimmed from the ends. Only filler
    // left means no words.
    // The verbs a request opens with ("show me …") only there: "pics from
    // show day" is about the show.
    let opening = words.iter().take_while(|w| !w.quoted && (language::is_opening_verb(&w.lower) || language::is_filler(&w.lower))).count();
    let left: Vec<&words::Word> =
        words.iter().zip(&used).enumerate().filter(|(i, (_, used))| !**used && *i >= opening).map(|(_, (w, _))| w).collect();
    let meaningful = |w: &&words::Word| w.quoted || !language::is_filler(&w.lower);
    if let (Some(first), Some(last)) = (left.iter().position(meaningful), left.iter().rposition(meaningful)) {
        plan.text = left[first..=last].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    }
    plan.unread = unread::find(&words, &used, &plan);
    if plan.is_unfiltered() {
        if let Some(note) = language::foreign_note(&words) {
            plan.notes.push(note);
        }
    }
    Ok(plan)
}

impl Plan {
    /// A plan that searches `text` and filters nothing.
    pub fn words_only(text: &str) -> Plan {
        Plan { request: text.to_string(), text: text.to_string(), ..Plan::default() }
    }

    /// The words to search by: the plan's own, and those of filters it let
    /// go of ([`relax`]).
    pub fn searched_words(&self) -> String {
        let relaxed = self.relaxed.iter().filter_map(|c| c.words.as_deref());
        std::iter::once(self.text.trim()).chain(relaxed).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }

    /// Whether the plan filters nothing and keeps the default order.
    pub fn is_unfiltered(&self) -> bool {
        self.kinds.is_none()
            && self.dates.is_none()
            && self.folder.is_none()
            && self.size.is_none()
            && self.name.is_none()
            && self.order == Order::Relevance
    }
}

/// `Option<NaiveDate>` as `"YYYY-MM-DD"`.
mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(serde::de::Error::custom)).transpose()
    }
}

#[cfg(test)]
mod tests;
