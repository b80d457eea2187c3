//! Folders: "in Downloads", "under projects", "in my Tax Returns folder",
//! "in ~/work/reports".

use crate::words::Word;
use crate::{FolderFilter, Plan};

/// Folders people name in lower case as often as not.
const WELL_KNOWN: &[&str] = &[
    "downloads", "documents", "desktop", "pictures", "music", "videos", "projects", "dropbox", "onedrive",
    "templates", "public", "home",
];

const FOLDER_WORDS: &[&str] = &["folder", "folders", "directory", "directories", "dir"];

/// Reads a folder clause at `i` into `plan`; the number of words it took.
pub(crate) fn read(words: &[Word], i: usize, plan: &mut Plan) -> Option<usize> {
    let lead = &words[i];
    // "stuff I grabbed from the internet": what came from the web is in
    // Downloads.
    if lead.is_any(&["from", "off"]) && plan.folder.is_none() {
        let article = usize::from(words.get(i + 1).is_some_and(|w| w.is("the")));
        if words.get(i + 1 + article).is_some_and(|w| w.is_any(&["internet", "web", "net"])) {
            plan.folder = Some(FolderFilter { name: "Downloads".into() });
            return Some(2 + article);
        }
    }
    if plan.folder.is_none() {
        if let Some(n) = downloads_or_desktop(words, i, plan) {
            return Some(n);
        }
    }
    if !lead.is_any(&["in", "under", "inside", "within", "from", "below"]) {
        return None;
    }
    let mut j = i + 1;
    while words.get(j).is_some_and(|w| w.is_any(&["the", "my", "our", "your"])) {
        j += 1;
    }
    let first = words.get(j)?;
    let is_path = first.text.starts_with('/') || first.text.starts_with('~') || first.text.contains('/');
    let (name, end) = if is_path {
        (first.text.clone(), j + 1)
    } else if let Some(k) = (j + 1..(j + 4).min(words.len())).find(|&k| words[k].is_any(FOLDER_WORDS)) {
        // "in the Tax Returns folder"
        (join(&words[j..k]), k + 1)
    } else if lead.is("from") {
        // "from ACME" names a sender, "from Downloads" a folder.
        if !first.is_any(WELL_KNOWN) {
            return None;
        }
        (first.text.clone(), j + 1)
    } else if first.is_capitalized() || first.quoted {
        // "in Downloads", "in Lisbon trip", "in Tax Returns"; the name ends
        // where another part of the request begins.
        let run = if first.quoted {
            1
        } else {
            1 + words[j + 1..].iter().take(2).take_while(|w| !w.quoted && may_continue_a_name(w)).count()
        };
        (join(&words[j..j + run]), j + run)
    } else if first.is_any(WELL_KNOWN) || lead.is("under") || lead.is("below") {
        (first.text.clone(), j + 1)
    } else {
        return None;
    };
    // "in the Downloads folder"
    let end = if words.get(end).is_some_and(|w| w.is_any(FOLDER_WORDS)) { end + 1 } else { end };
    let name = name.trim_end_matches('/').to_string();
    if name.is_empty() {
        return None;
    }
    if plan.folder.is_none() {
        plan.folder = Some(FolderFilter { name });
    } else {
        plan.notes.push(format!("Nook searches one folder at a time; “{}” was left out", join(&words[i..end])));
    }
    Some(end - i)
}

/// The two folders people name without "in": what they downloaded is in
/// Downloads ("stuff I downloaded last month", "what did I download in
/// 2024", "my downloads from March"), and what is on the desktop is in
/// Desktop ("what's on my desktop").
fn downloads_or_desktop(words: &[Word], i: usize, plan: &mut Plan) -> Option<usize> {
    let w = &words[i];
    let before = |k: usize| i.checked_sub(k).and_then(|j| words.get(j));
    let by_someone = before(1).is_some_and(|p| p.is_any(&["i", "we", "you", "u", "i've", "i'd", "just"]));
    let owned = i == 0 || before(1).is_some_and(|p| p.is_any(&["my", "the", "our", "all", "recent", "latest", "new", "old", "older"]));
    let (folder, n) = if w.is_any(&["downloaded", "dl'd", "dled"]) || (w.is("download") && by_someone) {
        ("Downloads", 1)
    } else if w.is("downloads") && owned {
        ("Downloads", 1)
    } else if w.is("on") && words.get(i + 1).is_some_and(|n| n.is_any(&["my", "the"])) && words.get(i + 2).is_some_and(|n| n.is("desktop")) {
        ("Desktop", 3)
    } else if w.is("desktop") && before(1).is_some_and(|p| p.is_any(&["my", "the"])) && !words.get(i + 1).is_some_and(|n| n.is_any(&["app", "application", "version", "entry", "computer", "pc"])) {
        // "what's cluttering up my desktop"
        ("Desktop", 1)
    } else {
        return None;
    };
    plan.folder = Some(FolderFilter { name: folder.into() });
    Some(n)
}

/// Words that stop a folder's name: function words, and the words other
/// parts of a request start with.
const STOPS: &[&str] = &[
    "sorted", "ordered", "named", "called", "titled", "starting", "ending", "bigger", "larger", "smaller", "over",
    "under", "above", "below", "newest", "oldest", "latest", "biggest", "largest", "smallest", "recent", "since",
    "before", "after", "until", "till", "between", "during", "older", "newer", "today", "yesterday", "than",
];

/// Whether `word` can be the next word of a folder's name.
fn may_continue_a_name(word: &Word) -> bool {
    !(crate::language::is_filler(&word.lower)
        || word.is_any(STOPS)
        || word.is_any(FOLDER_WORDS)
        || crate::kinds::is_kind_word(&word.lower)
        || crate::when::is_date_word(&word.lower)
        || word.lower.starts_with(|c: char| c.is_ascii_digit()))
}

fn join(words: &[Word]) -> String {
    words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}
