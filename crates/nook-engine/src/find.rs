//! Finding files from a request in words ("reports from this quarter"): the
//! request becomes a [`Plan`] (`nook-plan`), the plan becomes filters on the
//! index, files matching by content and by name are fused into one list,
//! and the plan's order is applied.
//!
//! A plan with no words lists the files its filters let through, newest
//! first unless it asks for another order. A plan with words ranks by
//! relevance; an order it asks for ("newest first") sorts the best matches.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, Local, NaiveDate, TimeZone};
use nook_core::fusion::RRF_K;
use nook_core::{group_by_file, FileHit, FileKind, FileRecord, SearchFilter};
use nook_plan::{Context, DateTarget, Field, Order, Plan};

use crate::search::focus_snippets;
use crate::settings::Settings;
use crate::{expand_user, Engine, EngineError, Result};

/// At most this many paths go into the index's own filter; beyond it,
/// results are checked against the set after retrieval.
const PATHS_IN_FILTER: usize = 1000;
/// Files read for a list with no words to rank by.
const LIST_CAP: usize = 50_000;
/// What a name holding every word of a plan counts for in the fused
/// ranking, against 1 for a content match at the same rank.
const NAME_WEIGHT: f32 = 2.0;
/// What being of a preferred kind ("reports": PDF or document) counts for
/// in the fused ranking, against 1 for a first place.
const PREFER_WEIGHT: f32 = 0.25;
/// What holding every word of a plan, in the path or the passage found,
/// counts for in the fused ranking, against 1 for a first place (see
/// [`held_shares`]).
const HELD_WEIGHT: f32 = 1.0;
/// Files read for matching by name.
const NAME_CAP: usize = 5_000;

/// Cosine similarity from which a passage is near a query's meaning with
/// no word in common (all-MiniLM-L6-v2; measured on the request sets, see
/// docs/BENCHMARKS.md).
const NEAR: f32 = 0.4;

/// Whether files are sought by a request to find them, or referred to by
/// a request to act on them ([`Engine::find_as`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sought {
    Asked,
    Referred,
}

/// Files found for a plan.
#[derive(Debug, Clone)]
pub struct Found {
    pub plan: Plan,
    pub hits: Vec<FileHit>,
    /// Why there are fewer results than expected, in words a person can
    /// act on (a folder that does not exist, filters that exclude all).
    pub notes: Vec<String>,
}

impl Engine {
    /// The plan for `request`, read against today in the local time zone
    /// and the fiscal year in the settings.
    ///
    /// What the rules could not read ("photos from oktoberfest") is put to
    /// the planning model (`guess`); the plan says which fields it filled.
    pub fn plan(&self, request: &str) -> Result<Plan> {
        self.plan_as(request, true)
    }

    /// [`Engine::plan`], with the planning model consulted or not.
    pub fn plan_as(&self, request: &str, model: bool) -> Result<Plan> {
        let settings = self.plan_settings();
        let context = self.plan_context(&settings);
        let mut plan = nook_plan::plan(request, &context)?;
        if model {
            self.guess(&mut plan, &context, &settings);
        }
        Ok(plan)
    }

    /// Which job `text` is for: find files, answer a question, or act
    /// (`nook_route`), with dates read as planning reads them.
    pub fn route(&self, text: &str) -> nook_route::Routed {
        nook_route::route(text, self.plan_context(&self.plan_settings()).today)
    }

    /// `plan` with one filter removed (`phrase` `None`) or replaced by what
    /// `phrase` says of it ("last month", "spreadsheets").
    pub fn refine(&self, plan: &Plan, field: Field, phrase: Option<&str>) -> Result<Plan> {
        Ok(nook_plan::refine(plan, field, phrase, &self.plan_context(&self.plan_settings()))?)
    }

    /// Today (in the local time zone, unless the engine reads as of a fixed
    /// day), and the fiscal year of `settings`.
    fn plan_context(&self, settings: &Settings) -> Context {
        Context {
            today: self.today.unwrap_or_else(|| Local::now().date_naive()),
            fiscal_year_start: settings.fiscal_year_start.unwrap_or(1).clamp(1, 12),
        }
    }

    /// The settings planning reads, without side effects: an unreadable
    /// file is set aside by the Library when it opens, not on every search.
    fn plan_settings(&self) -> Settings {
        Settings::peek(&self.paths().config_dir).unwrap_or_default()
    }

    /// The files `plan` asks for, at most `limit`, in the plan's order.
    ///
    /// A plan's filters are readings of words, not walls, and they are
    /// judged against the Library. When the plan has words and, with its
    /// filters, nothing close to them is found (a passage that mentions a
    /// date the plan asks to be mentioned is close by that alone):
    /// - a filter that lets no indexed file through at all ("zip archives"
    ///   among READMEs, "2019" in folders begun in 2023) was likely about
    ///   the content: it is let go of ([`nook_plan::relax`]), one at a time,
    ///   then all such together; the first that finds something close is
    ///   kept, its chip marked relaxed;
    /// - a filter that does let files through ("photos" in a folder of
    ///   photos) is what was asked for: nothing is found, and a note says
    ///   which filter to remove to see the files that do come close.
    ///
    /// When nothing close is found either way, nothing is: the folders do
    /// not hold what was asked for, and a note says so, rather than the
    /// nearest unrelated files.
    pub async fn find(&self, plan: &Plan, limit: usize) -> Result<Found> {
        self.find_as(plan, limit, Sought::Asked).await
    }

    /// [`Engine::find`], for files a person asked for (`Sought::Asked`) or
    /// referred to (`Sought::Referred`: "move the knee physio sheet to …").
    /// A file referred to exists, so every reading of its description may
    /// be let go of when nothing close is found.
    pub(crate) async fn find_as(&self, plan: &Plan, limit: usize, sought: Sought) -> Result<Found> {
        let _foreground = self.foreground();
        let limit = limit.clamp(1, 500);
        let mut plan = plan.clone();
        let mut notes = plan.notes.clone();
        self.folder_or_words(&mut plan, &mut notes).await?;
        self.measure_size(&mut plan).await?;
        let mut hits = self.hits(&plan, limit).await?;
        let mut nothing_close = false;
        // Passages found for a date they must mention ("a deadline in
        // January") hold what was asked for by that alone.
        let mentioned = plan.dates.as_ref().is_some_and(|d| d.target == DateTarget::Mentioned) && !hits.is_empty();
        if !plan.text.trim().is_empty() && !mentioned && !self.any_close(&hits, &plan, true).await? {
            let (empty, holding) = match sought {
                Sought::Asked => self.filters_holding_files(&plan).await?,
                Sought::Referred => (relaxable(&plan), Vec::new()),
            };
            let mut relaxed_to = None;
            for fields in relaxations(&empty) {
                let relaxed = nook_plan::relax(&plan, &fields);
                let found = self.hits(&relaxed, limit).await?;
                if self.any_close(&found, &plan, false).await? {
                    relaxed_to = Some((relaxed, found));
                    break;
                }
            }
            match relaxed_to {
                Some((relaxed, found)) => {
                    let labels = quoted(&relaxed.relaxed.iter().map(|c| c.label.clone()).collect::<Vec<_>>());
                    let them = if relaxed.relaxed.len() == 1 { "it" } else { "them" };
                    notes.push(format!("Nothing close to the words matched {labels}: shown without {them}"));
                    plan = relaxed;
                    hits = found;
                }
                None => {
                    nothing_close = true;
                    hits.clear();
                    notes.extend(self.what_widens(&plan, &holding, limit).await?);
                }
            }
        }
        if nothing_close {
            if notes.is_empty() {
                notes.push(format!("No indexed file comes close to “{}”", plan.text.trim()));
            }
        } else if hits.is_empty() {
            notes.extend(self.why_nothing(&plan).await?);
        }
        Ok(Found { plan, hits, notes })
    }

    /// Whether any of `hits` comes close to `plan`'s words ([`is_close`]).
    /// When most of the words are in no indexed file's text while others
    /// are ("vet bills for the cat" among files that mention only bills),
    /// a passage holding one of the others brings none close: only a name
    /// or closeness in meaning does. The hits' passages are asked first;
    /// the index only when they hold too few of the words.
    async fn any_close(&self, hits: &[FileHit], plan: &Plan, by_meaning: bool) -> Result<bool> {
        let words = plan.name_words();
        let held: Vec<Vec<bool>> = hits.iter().map(|h| nook_plan::words_held(&words, &h.path, &h.snippet)).collect();
        let mut by_words = true;
        if plan.mostly_unheld(&held) {
            let mut absent = 0;
            for word in &words {
                absent += usize::from(self.store().text_search(word, &SearchFilter::default(), 1).await?.is_empty());
            }
            by_words = !(2 * absent > words.len() && absent < words.len());
        }
        Ok(hits.iter().any(|h| is_close(h, plan, by_meaning, by_words)))
    }

    /// The filters of `plan` read from words that may be let go of
    /// ([`relaxable`]), parted into those that, alone, let no indexed file
    /// through, and those that let some through. Dates and a size said as
    /// an adjective count with the first whatever they let through: a
    /// date said with a document often names what it is about ("the 26
    /// August minutes", "the December 2025 statement"), not when it was
    /// saved, and "big integers" are no big files.
    async fn filters_holding_files(&self, plan: &Plan) -> Result<(Vec<Field>, Vec<Field>)> {
        let (mut empty, mut holding) = (Vec::new(), Vec::new());
        for field in relaxable(plan) {
            let alone = nook_plan::only(plan, field);
            let weak = field == Field::Dates || (field == Field::Size && plan.size.as_ref().is_some_and(|s| s.word.is_some()));
            let lets_through = !weak && !self.store().files_matching(&filter_of(&alone)?, 1).await?.is_empty();
            if lets_through { &mut holding } else { &mut empty }.push(field);
        }
        Ok((empty, holding))
    }

    /// A note for a plan that found nothing close to its words although
    /// its filters let files through: which filter, removed, would show
    /// files that do come close ("No photos come close to “Newcastle”;
    /// without “photos”, 2 files do").
    async fn what_widens(&self, plan: &Plan, holding: &[Field], limit: usize) -> Result<Vec<String>> {
        for fields in relaxations(holding) {
            let wider = nook_plan::relax(plan, &fields);
            let found = self.hits(&wider, limit).await?;
            let close = found.iter().filter(|h| is_close(h, plan, false, true)).count();
            if close > 0 {
                let labels = quoted(&wider.relaxed.iter().map(|c| c.label.clone()).collect::<Vec<_>>());
                let files = if close == 1 { "1 file does".to_string() } else { format!("{close} files do") };
                let it = if fields.len() == 1 { "it" } else { "them" };
                return Ok(vec![format!(
                    "No file matching {labels} comes close to “{}”; {files} without {it}: remove {it} to see",
                    plan.text.trim()
                )]);
            }
        }
        Ok(Vec::new())
    }

    /// The files `plan` lets through, best first: listed by its filters
    /// when it has no words, ranked by content and name when it has.
    async fn hits(&self, plan: &Plan, limit: usize) -> Result<Vec<FileHit>> {
        let (filter, prefer) = search_filter(plan)?;
        let searched = plan.searched_words();
        let text = searched.as_str();
        let mentioned = plan.dates.as_ref().is_some_and(|d| d.target == DateTarget::Mentioned);
        // Dates written in files are found by reading them: such a plan is
        // ranked even with no words.
        let mut hits = if text.is_empty() && !mentioned {
            self.list(plan, &filter, limit).await?
        } else {
            self.rank(plan, &filter, limit, &prefer).await?
        };
        self.fill_sizes(&mut hits).await?;
        if !text.is_empty() && plan.order != Order::Relevance {
            // The files the words name come first in the order asked for,
            // then the others: "the latest version of my case study" is
            // the newest file named so, not the newest that says "study".
            let (mut first, mut rest): (Vec<FileHit>, Vec<FileHit>) =
                hits.into_iter().partition(|h| plan.names(&h.path));
            sort(&mut first, plan.order);
            sort(&mut rest, plan.order);
            first.append(&mut rest);
            hits = first;
        }
        Ok(hits)
    }

    /// A folder read from words ("in a directory tree", "in the hen do
    /// folder") is a guess, checked against the Library: a folder of that
    /// name is read as it is; else one folder whose name holds the words
    /// ("Ruth hen do") is read as that folder; else the words go back among
    /// the words searched, and a note says so.
    async fn folder_or_words(&self, plan: &mut Plan, notes: &mut Vec<String>) -> Result<()> {
        let Some(folder) = plan.folder.clone().filter(|f| !f.is_path()) else { return Ok(()) };
        let only_folder = SearchFilter { path_contains: vec![folder_part(&folder.name)], ..SearchFilter::default() };
        if !self.store().files_matching(&only_folder, 1).await?.is_empty() {
            return Ok(());
        }
        let said = folder.name.to_lowercase();
        let holding = SearchFilter { path_contains: vec![said.clone()], ..SearchFilter::default() };
        let mut named: Vec<String> = Vec::new();
        for record in self.store().files_matching(&holding, NAME_CAP).await? {
            let mut folders = record.path.rsplit('/').skip(1);
            if let Some(name) = folders.find(|f| holds_words(f, &said)) {
                if !named.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    named.push(name.to_string());
                }
            }
        }
        if let [name] = &named[..] {
            plan.folder = Some(nook_plan::FolderFilter { name: name.clone() });
            return Ok(());
        }
        plan.folder = None;
        plan.text = format!("{} {}", plan.text.trim(), folder.name).trim().to_string();
        notes.push(format!("No folder named “{}” holds indexed files; its words were searched instead", folder.name));
        Ok(())
    }

    /// A size said as an adjective ("huge zips", "small photos in
    /// Downloads") is measured against the person's own files that the
    /// plan's other filters let through ([`nook_plan::SizeWord::bound`]);
    /// with too few of them, the planner's guess by kind stands.
    async fn measure_size(&self, plan: &mut Plan) -> Result<()> {
        let Some(word) = plan.size.as_ref().and_then(|s| s.word) else { return Ok(()) };
        let mut among = plan.clone();
        among.size = None;
        let (filter, _) = search_filter(&among)?;
        let mut sizes: Vec<u64> = self.store().files_matching(&filter, LIST_CAP).await?.into_iter().map(|r| r.size).collect();
        if let Some(bound) = word.bound(&mut sizes) {
            let size = plan.size.as_mut().expect("a size was said");
            if word.is_big() {
                size.min_bytes = Some(bound);
            } else {
                size.max_bytes = Some(bound);
            }
        }
        Ok(())
    }

    /// A plan with no words: the files its filters let through, in its order.
    async fn list(&self, plan: &Plan, filter: &SearchFilter, limit: usize) -> Result<Vec<FileHit>> {
        let mut records: Vec<FileRecord> = self
            .store()
            .files_matching(&per_file(plan, filter), LIST_CAP)
            .await?
            .into_iter()
            .filter(|r| admits(plan, r))
            .collect();
        let order = if plan.order == Order::Relevance { Order::Newest } else { plan.order };
        sort_records(&mut records, order);
        // With no order asked for, files in folders named by the kind's own
        // words come first: "my voice memos" are those in `Music/voice
        // memos`, "films" those in `Videos/Movies`, then the others.
        if let Some(kinds) = plan.kinds.as_ref().filter(|_| plan.order == Order::Relevance) {
            let said = Plan::words_only(&kinds.words_alike());
            records.sort_by_cached_key(|r| std::cmp::Reverse(said.name_score(&r.path)));
        }
        Ok(records.iter().take(limit).map(|r| record_hit(r, plan.name.is_some())).collect())
    }

    /// A plan with words: content matches and name matches, fused.
    async fn rank(&self, plan: &Plan, filter: &SearchFilter, limit: usize, prefer: &[FileKind]) -> Result<Vec<FileHit>> {
        let mentioned = plan.dates.as_ref().filter(|d| d.target == DateTarget::Mentioned);
        // With no words, a plan about mentioned dates looks for the dates.
        let fallback = mentioned
            .map(|d| {
                let months = month_words(d.from, d.until);
                if months.is_empty() { d.label.clone() } else { months }
            })
            .unwrap_or_default();
        let searched = plan.searched_words();
        let text = if searched.is_empty() { fallback.as_str() } else { searched.as_str() };
        // Sizes and name patterns are checked on file records: the files
        // that pass go into the chunk filter, or are checked afterwards
        // when there are many.
        let mut chunk_filter = per_file(plan, filter);
        let mut allowed: Option<HashSet<String>> = None;
        if filter.needs_file_records() || plan.name.is_some() || dated(plan).is_some() {
            let paths: Vec<String> = self
                .store()
                .files_matching(&chunk_filter, LIST_CAP)
                .await?
                .into_iter()
                .filter(|r| admits(plan, r))
                .map(|r| r.path)
                .collect();
            if paths.len() <= PATHS_IN_FILTER {
                chunk_filter.paths = Some(paths);
            } else {
                // Too many to name: the index's own date range keeps the
                // search's recall (files dated only by name are missed).
                chunk_filter.modified_since_ms = filter.modified_since_ms;
                chunk_filter.modified_until_ms = filter.modified_until_ms;
                allowed = Some(paths.into_iter().collect());
            }
        }
        let depth = (limit * 5).max(50) * if mentioned.is_some() { 4 } else { 1 };
        // BM25 also looks for the months of a date the text should mention.
        let words = match mentioned {
            Some(dates) => format!("{text} {}", month_words(dates.from, dates.until)),
            None => text.to_string(),
        };
        let mut fused = self.retrieve(text, words.trim(), &chunk_filter, depth).await?;
        if let Some(allowed) = &allowed {
            fused.retain(|(hit, _)| allowed.contains(&hit.path));
        }
        if let Some(dates) = mentioned {
            fused.retain(|(hit, _)| dates.is_mentioned_in(&hit.text));
        }
        let mut by_content = group_by_file(&fused, depth);
        focus_snippets(&mut by_content, text);

        // By name: files whose name or nearest folders hold the words.
        // Names say nothing of what a file mentions.
        let by_name = if mentioned.is_some() { Vec::new() } else { self.by_name(plan, filter).await? };
        Ok(fuse(plan, by_content, by_name, limit, prefer))
    }

    /// Files whose names match the plan's words, best first, with how well
    /// (1 when every word is in the file's name). How many of the words a
    /// path holds comes first, where it holds them next: "Gareth 40th/
    /// speech draft.docx" holds both words of "gareth's 40th", "Will -
    /// Priya and Gareth.pdf" only one, if in its name.
    async fn by_name(&self, plan: &Plan, filter: &SearchFilter) -> Result<Vec<(f32, FileRecord)>> {
        let words = plan.name_words();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let best = 4.0 * words.len() as f32;
        let mut filter = per_file(plan, filter);
        // Paths holding a word, its singular ("Screenshot-1.png" for
        // "screenshots"), or an end of a long word that may be misspelt.
        filter.path_contains_any = words.iter().flat_map(|w| nook_plan::name_probes(w)).map(str::to_string).collect();
        let mut records: Vec<(nook_plan::Naming, FileRecord)> = self
            .store()
            .files_matching(&filter, NAME_CAP)
            .await?
            .into_iter()
            .filter(|r| admits(plan, r))
            .map(|r| (plan.naming(&r.path), r))
            .filter(|(naming, _)| naming.score > 0)
            .collect();
        records.sort_by(|(a, ra), (b, rb)| b.cmp(a).then(rb.modified_ms.cmp(&ra.modified_ms)).then(ra.path.cmp(&rb.path)));
        // A name holding one word of a long question is chance, not a
        // match, except for files known by their names alone.
        Ok(records
            .into_iter()
            .filter(|(_, r)| plan.names(&r.path) || known_by_name(plan, r.kind))
            .map(|(naming, r)| ((2 * naming.words as u32 + naming.score) as f32 / best, r))
            .collect())
    }

    async fn fill_sizes(&self, hits: &mut [FileHit]) -> Result<()> {
        let missing: Vec<&str> = hits.iter().filter(|h| h.size.is_none()).map(|h| h.path.as_str()).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let sizes: HashMap<String, u64> =
            self.store().file_records_within(&missing).await?.into_iter().map(|r| (r.path, r.size)).collect();
        for hit in hits {
            if hit.size.is_none() {
                hit.size = sizes.get(&hit.path).copied();
            }
        }
        Ok(())
    }

    /// Notes for a plan that found nothing: which filter to look at.
    async fn why_nothing(&self, plan: &Plan) -> Result<Vec<String>> {
        let mut notes = Vec::new();
        if let Some(folder) = plan.folder.as_ref().filter(|f| !f.is_path()) {
            let only_folder = SearchFilter { path_contains: vec![folder_part(&folder.name)], ..SearchFilter::default() };
            if self.store().files_matching(&only_folder, 1).await?.is_empty() {
                notes.push(format!(
                    "No folder named “{}” holds indexed files; check the name, or add the folder to the Library",
                    folder.name
                ));
            }
        }
        let chips = plan.chips();
        if notes.is_empty() && !chips.is_empty() {
            let labels: Vec<String> = chips.iter().filter(|c| c.field != "order" && !c.relaxed).map(|c| format!("“{}”", c.label)).collect();
            if !labels.is_empty() {
                notes.push(format!("No indexed file matches all of {}; remove one to widen the search", labels.join(", ")));
            }
        }
        Ok(notes)
    }
}


/// The index filter a plan searches with, and the kinds it prefers
/// instead of requiring: kinds that name what files are about ("reports",
/// "documents") are preferred, not required, when there are words to
/// search by.
fn search_filter(plan: &Plan) -> Result<(SearchFilter, Vec<FileKind>)> {
    let mut filter = filter_of(plan)?;
    let soft = plan.kinds.as_ref().filter(|k| k.soft && !plan.searched_words().is_empty());
    let prefer = soft.map(|k| k.kinds.clone()).unwrap_or_default();
    if !prefer.is_empty() {
        filter.kinds.clear();
    }
    filter.validate()?;
    Ok((filter, prefer))
}

/// The index filter for a plan. Name patterns are narrowed here to paths
/// that contain them, and checked exactly on the file name afterwards.
pub fn filter_of(plan: &Plan) -> Result<SearchFilter> {
    let mut filter = SearchFilter::default();
    if let Some(kinds) = &plan.kinds {
        filter.kinds = kinds.kinds.clone();
        filter.kinds_not = kinds.except.clone();
        filter.extensions = kinds.extensions.iter().map(|e| e.to_lowercase()).collect();
    }
    if let Some(dates) = plan.dates.as_ref().filter(|d| d.target == DateTarget::Modified) {
        filter.modified_since_ms = dates.from.map(local_midnight_ms);
        filter.modified_until_ms = dates.until.map(local_midnight_ms);
    }
    if let Some(folder) = &plan.folder {
        if folder.is_path() {
            let path = expand_user(Path::new(&folder.name));
            filter = filter.with_folder(&path.to_string_lossy())?;
        } else {
            filter.path_contains.push(folder_part(&folder.name));
        }
    }
    if let Some(size) = &plan.size {
        filter.min_size = size.min_bytes;
        filter.max_size = size.max_bytes;
    }
    if let Some(name) = &plan.name {
        filter.path_contains.push(name.pattern.to_lowercase());
    }
    Ok(filter)
}

/// Whether the folder name `name` holds `words` (lower case) as whole
/// words that make at least half of it: "Ruth hen do" holds "hen do";
/// "Kitchen door" does not, nor does "xxhash-rust-0.8.19" hold "rust".
fn holds_words(name: &str, words: &str) -> bool {
    let tokens = |s: &str| s.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).count();
    if 2 * tokens(words) < tokens(name) {
        return false;
    }
    let name = name.to_lowercase();
    name.match_indices(words).any(|(at, _)| {
        let before = name[..at].chars().next_back();
        let after = name[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The dates of `plan` that are the files' own (when they were changed),
/// judged per file: a date in a file's name outweighs when it was saved
/// ("my November bank statement" is statement-2026-11.csv, saved on 1
/// December; [`nook_plan::DateFilter::admits_file`]).
fn dated(plan: &Plan) -> Option<&nook_plan::DateFilter> {
    plan.dates.as_ref().filter(|d| d.target == DateTarget::Modified)
}

/// `filter` with its modification dates left to [`admits`] when they are
/// judged per file.
fn per_file(plan: &Plan, filter: &SearchFilter) -> SearchFilter {
    let mut filter = filter.clone();
    if dated(plan).is_some() {
        filter.modified_since_ms = None;
        filter.modified_until_ms = None;
    }
    filter
}

/// Whether `record` fits `plan`'s name pattern and its dates.
fn admits(plan: &Plan, record: &FileRecord) -> bool {
    let day = || Local.timestamp_millis_opt(record.modified_ms).earliest().map(|t| t.date_naive());
    plan.name_admits(&record.path) && dated(plan).is_none_or(|d| day().is_some_and(|day| d.admits_file(&record.path, day)))
}

/// A folder name as a path part: `/name/`, lower case.
fn folder_part(name: &str) -> String {
    format!("/{}/", name.trim_matches('/').to_lowercase())
}

/// Midnight at the start of `day` in the local time zone, in ms since the
/// epoch (the earliest such instant on a daylight-saving change).
fn local_midnight_ms(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&midnight))
        .timestamp_millis()
}

/// The names of the months `[from, until)` touches, when there are few.
fn month_words(from: Option<NaiveDate>, until: Option<NaiveDate>) -> String {
    let (Some(from), Some(until)) = (from, until) else { return String::new() };
    let mut months = Vec::new();
    let mut day = from;
    while day < until && months.len() <= 3 {
        let name = day.format("%B").to_string();
        if !months.contains(&name) {
            months.push(name);
        }
        day = day.checked_add_months(chrono::Months::new(1)).and_then(|d| d.with_day0(0)).unwrap_or(until);
    }
    if months.len() > 3 {
        return String::new();
    }
    months.join(" ")
}


/// Content matches and name matches in one list, by reciprocal rank; a name
/// match counts in proportion to the share of the words it matches, so one
/// word of a long question in a file name does not outrank the answer, and
/// twice as much as a content match when it holds every word: the content
/// list always has a tenth entry, close or not, while a name holding the
/// words is rarely chance.
///
/// A file of a `prefer`red kind gets [`PREFER_WEIGHT`] of a first place,
/// and a file holding the plan's words up to [`HELD_WEIGHT`] of one
/// ([`held_shares`]): of two receipts, the one that says "Lakeland" is
/// "the lakeland receipt".
fn fuse(plan: &Plan, by_content: Vec<FileHit>, by_name: Vec<(f32, FileRecord)>, limit: usize, prefer: &[FileKind]) -> Vec<FileHit> {
    let mut scores: HashMap<String, f32> = HashMap::new();
    let mut hits: Vec<FileHit> = Vec::new();
    for (rank, hit) in by_content.into_iter().enumerate() {
        *scores.entry(hit.path.clone()).or_default() += 1.0 / (RRF_K + rank as f32 + 1.0);
        hits.push(hit);
    }
    let mut index: HashMap<String, usize> = hits.iter().enumerate().map(|(i, h)| (h.path.clone(), i)).collect();
    for (rank, (share, record)) in by_name.iter().enumerate() {
        *scores.entry(record.path.clone()).or_default() += NAME_WEIGHT * share / (RRF_K + rank as f32 + 1.0);
        match index.get(&record.path) {
            Some(&i) => {
                hits[i].name_match = true;
                hits[i].size = Some(record.size);
            }
            None => {
                index.insert(record.path.clone(), hits.len());
                hits.push(record_hit(record, true));
            }
        }
    }
    // Only where the words name files: a question about what files say
    // is ranked by what they say.
    let named = hits.iter().any(|h| h.name_match);
    let held = if named { held_shares(plan, &hits) } else { vec![0.0; hits.len()] };
    for (hit, held) in hits.iter_mut().zip(held) {
        let preferred = if hit.kind.is_some_and(|k| prefer.contains(&k)) { PREFER_WEIGHT } else { 0.0 };
        hit.score = scores[&hit.path] + (preferred + HELD_WEIGHT * held) / (RRF_K + 1.0);
    }
    // Stable: equal scores keep content matches first, in their order.
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(limit);
    hits
}

/// For each hit, the share of the plan's words it holds (in its path or
/// its passage), each word weighed by how rare it is among the hits: a
/// word most of them hold ("receipt" among receipts, "file" among
/// READMEs) tells them apart less than one few hold ("Lakeland").
fn held_shares(plan: &Plan, hits: &[FileHit]) -> Vec<f32> {
    let words = plan.name_words();
    let held: Vec<Vec<bool>> = hits.iter().map(|h| nook_plan::words_held(&words, &h.path, &h.snippet)).collect();
    let words = words.len();
    let n = hits.len() as f32;
    let weights: Vec<f32> = (0..words)
        .map(|w| {
            let holding = held.iter().filter(|h| h[w]).count() as f32;
            ((n + 1.0) / (holding + 0.5)).ln().max(0.0)
        })
        .collect();
    let total: f32 = weights.iter().sum();
    held.iter()
        .map(|h| if total > 0.0 { h.iter().zip(&weights).filter(|(held, _)| **held).map(|(_, w)| w).sum::<f32>() / total } else { 0.0 })
        .collect()
}

/// Whether a file found for `plan`'s words comes close to them: named by
/// them ([`Plan::names`]), with a passage holding one of them (`by_words`),
/// or (`by_meaning`) near in meaning. A file found by meaning alone, and not near, is only the
/// nearest of unrelated files. A relaxed search is judged by the words as
/// asked, and by them only: its closeness is to the words it searched
/// again, and "photos" searched again must not make backup-photos.sh close
/// to "photos from Paris".
fn is_close(hit: &FileHit, plan: &Plan, by_meaning: bool, by_words: bool) -> bool {
    plan.names(&hit.path)
        || (known_by_name(plan, hit.kind) && plan.name_score(&hit.path) > 0)
        || (by_words && plan.words_in(&hit.snippet))
        || (by_meaning && hit.closeness.is_some_and(|c| c >= NEAR))
}

/// Whether files of `kind` are known by their names alone for `plan`:
/// Nook never reads music, video or archives, so any of the words in their
/// names or their folders' will do ("the mogwai album", "songs for Ruth's
/// first dance"); photos mostly hold no words either, but a photo is
/// judged so only when the request asks for photos ("pictures from the
/// half term trip to Whitby"), not when it names another file ("Bessie's
/// jobs list" is no photo of Bessie).
fn known_by_name(plan: &Plan, kind: Option<FileKind>) -> bool {
    match kind {
        Some(FileKind::Audio | FileKind::Video | FileKind::Archive) => true,
        Some(FileKind::Image) => plan.kinds.as_ref().is_some_and(|k| k.kinds.contains(&FileKind::Image)),
        _ => false,
    }
}

/// The filters of `plan` read from its words, which may be let go of:
/// kinds first (a format named among words is the likeliest to be about
/// the content), then name, size, dates and folder. A folder given as a
/// path and kinds only preferred are not readings to let go of.
fn relaxable(plan: &Plan) -> Vec<Field> {
    let mut fields = Vec::new();
    if plan.kinds.as_ref().is_some_and(|k| !k.soft) {
        fields.push(Field::Kinds);
    }
    if plan.name.is_some() {
        fields.push(Field::Name);
    }
    if plan.size.is_some() {
        fields.push(Field::Size);
    }
    if plan.dates.is_some() {
        fields.push(Field::Dates);
    }
    if plan.folder.as_ref().is_some_and(|f| !f.is_path()) {
        fields.push(Field::Folder);
    }
    fields
}

/// The ways of letting go of `fields`, in the order they are tried: each
/// alone, then all together.
fn relaxations(fields: &[Field]) -> Vec<Vec<Field>> {
    let mut tries: Vec<Vec<Field>> = fields.iter().map(|f| vec![*f]).collect();
    if fields.len() > 1 {
        tries.push(fields.to_vec());
    }
    tries
}

/// Labels as a note names them: “photos” and “2019”.
fn quoted(labels: &[String]) -> String {
    labels.iter().map(|l| format!("“{l}”")).collect::<Vec<_>>().join(" and ")
}

/// A file found without a passage of its text.
fn record_hit(record: &FileRecord, name_match: bool) -> FileHit {
    FileHit {
        path: record.path.clone(),
        kind: record.kind,
        modified_ms: record.modified_ms,
        score: 0.0,
        snippet: String::new(),
        line_start: 0,
        line_end: 0,
        section: None,
        matching_chunks: 0,
        size: Some(record.size),
        name_match,
        closeness: None,
    }
}

fn sort(hits: &mut [FileHit], order: Order) {
    let size = |h: &FileHit| h.size.unwrap_or(0);
    match order {
        Order::Relevance => {}
        Order::Newest => hits.sort_by_key(|h| std::cmp::Reverse(h.modified_ms)),
        Order::Oldest => hits.sort_by_key(|h| h.modified_ms),
        Order::Largest => hits.sort_by_key(|h| std::cmp::Reverse(size(h))),
        Order::Smallest => hits.sort_by_key(size),
    }
}

fn sort_records(records: &mut [FileRecord], order: Order) {
    let by_path = |a: &FileRecord, b: &FileRecord| a.path.cmp(&b.path);
    match order {
        Order::Relevance | Order::Newest => records.sort_by(|a, b| b.modified_ms.cmp(&a.modified_ms).then(by_path(a, b))),
        Order::Oldest => records.sort_by(|a, b| a.modified_ms.cmp(&b.modified_ms).then(by_path(a, b))),
        Order::Largest => records.sort_by(|a, b| b.size.cmp(&a.size).then(by_path(a, b))),
        Order::Smallest => records.sort_by(|a, b| a.size.cmp(&b.size).then(by_path(a, b))),
    }
}

impl From<nook_plan::PlanError> for EngineError {
    fn from(err: nook_plan::PlanError) -> Self {
        EngineError::Plan(err)
    }
}
