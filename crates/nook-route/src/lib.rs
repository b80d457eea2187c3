//! Which job a typed request is: find files, answer a question from what
//! they say, or act on them. One classifier for every place that has to
//! decide (quick-ask on Enter, `nook run`), so the app and the command line
//! agree and no word list lives in the UI.
//!
//! The order, first that holds:
//! 1. a question about where files are or whether there are any ("where is
//!    the lease?", "do I have photos from Lisbon?") is a search;
//! 2. a question with a question word, or about what the person may do
//!    ("how do I move a folder?", "can I rename …?"), is a question, even
//!    with an action's verb inside;
//! 3. a request to act, as `nook_actions` reads it, wherever its verb is
//!    ("would you mind binning the old ringtone?"); "show me" several
//!    files is a search;
//! 4. other questions ("is the lease signed?") are questions; words ending
//!    in "?" too, unless they read as filters ("pics from the summer?");
//! 5. anything else is a search.

use chrono::NaiveDate;
use nook_actions::phrasing::Weight;
use nook_plan::Plan;
use nook_actions::request::{self, Intent, Unread, Verb};
use serde::{Deserialize, Serialize};

/// The job a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Find,
    Ask,
    Act,
}

/// A route and why, in words for a person ("a question", "asks to move
/// files").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routed {
    pub route: Route,
    pub why: String,
}

fn routed(route: Route, why: &str) -> Routed {
    Routed { route, why: why.to_string() }
}

/// Openings of questions about where files are, or whether there are any.
const FINDING: &[&str] = &[
    "where is", "where are", "where's", "where did", "where do", "where have", "where has", "where can i find", "where might",
    "do i have", "do we have", "have i got", "have we got", "did i save", "did i download", "did i keep", "is there", "are there",
    "any", "got any", "which file", "which files", "which document", "which documents", "what files", "what documents", "find",
    "search for", "look for", "looking for", "can you find", "could you find", "can i find", "where", "have you got", "do you have",
    "you got",
];

/// Adverbs that sit inside a question's opening without changing it: "do I
/// still have …", "did I ever save …".
const INSIDE_AN_OPENING: &[&str] = &["still", "ever", "actually", "already", "really", "even", "also"];

/// Words a question opens with.
const QUESTION: &[&str] = &[
    "who", "what", "what's", "whats", "when", "when's", "why", "how", "how's", "which", "whose", "whom", "is", "are", "was", "were",
    "do", "does", "did", "can", "could", "should", "would", "will", "has", "have", "had", "am", "summarize", "summarise", "explain",
    "tell", "describe",
];

/// Words after which "can", "would" … ask politely for an action.
const ASKED_OF_NOOK: &[&str] = &["you", "u", "ya"];

/// Verbs of "what did I … ?" that ask for files by what was done to them.
const DONE_TO_FILES: &[&str] = &[
    "change", "changed", "save", "saved", "download", "downloaded", "edit", "edited", "add", "added", "make", "made", "create", "created",
    "write", "wrote", "scan", "scanned", "work", "worked", "grab", "grabbed", "receive", "received", "modify", "modified",
    "touch", "touched", "open", "opened", "put", "keep", "kept", "store", "stored",
];

/// Words said before a question that do not change it.
const GREETINGS: &[&str] = &["please", "hey", "hi", "ok", "okay", "so", "nook"];

/// Verbs of "can I … the X?" that ask to be shown a thing, not how to do
/// something: "can I watch the video?" opens it, "can I rename the file
/// while it is open?" is a question.
const SEEING: &[&str] = &["see", "watch", "view", "read", "open", "hear", "have", "get", "look", "listen"];

/// Words before a noun that make it a particular thing.
const DETERMINERS: &[&str] = &["the", "my", "our", "this", "that", "these", "those"];

/// Questions that open with a question word: asked of the files' content.
const WH: &[&str] = &["who", "what", "what's", "whats", "when", "when's", "why", "how", "how's", "which", "whose", "whom"];

/// The route of `text`, with dates read as of `today`.
pub fn route(text: &str, today: NaiveDate) -> Routed {
    let trimmed = text.trim();
    if trimmed.trim_matches(|c: char| c == '?' || c.is_whitespace()).is_empty() {
        return routed(Route::Find, "nothing to read yet");
    }
    // The search planner's reading, made once and only when needed.
    let reading = std::cell::OnceCell::new();
    let plan = || reading.get_or_init(|| nook_plan::plan(trimmed, &nook_plan::Context::new(today)).ok()).as_ref();
    let plain = request::without_politeness(trimmed).to_lowercase();
    let words: Vec<&str> = plain.split_whitespace().collect();
    // "where's the iso? show it in its folder": the last sentence asks.
    let sentences = trimmed.trim_end_matches(['?', '.', '!']).contains("? ") || trimmed.contains(". ");
    if sentences {
        if let Some(why) = acts(trimmed) {
            return routed(Route::Act, why);
        }
    }
    // "where and when is the party?" asks what the files say.
    let wh_pair = words.get(1) == Some(&"and") && words.first().is_some_and(|w| WH.contains(w) || *w == "where")
        && words.get(2).is_some_and(|w| WH.contains(&w.trim_end_matches('?')) || *w == "where");
    let opening: String = words.iter().filter(|w| !INSIDE_AN_OPENING.contains(w)).copied().collect::<Vec<_>>().join(" ");
    if !wh_pair && (FINDING.iter().any(|f| starts_with_words(&opening, f)) || asks_what_was_done(&words)) {
        return routed(Route::Find, "asks where files are");
    }
    let first = words.first().map_or("", |w| w.trim_end_matches(','));
    let question_form = words.len() >= 3 || trimmed.ends_with('?');
    // "how do I move a folder?", "can I rename a file while it is open?":
    // asked about, not asked for. "can I watch the marathon video?" asks to
    // see a thing. Read on the words as typed, after a greeting: politeness
    // takes "can I" away.
    let typed: Vec<String> = trimmed
        .to_lowercase()
        .split_whitespace()
        .map(|w| w.trim_end_matches(',').to_string())
        .skip_while(|w| GREETINGS.contains(&w.as_str()))
        .collect();
    let modal = typed.first().map_or("", String::as_str);
    let asks_to_see = matches!(modal, "can" | "could" | "may")
        && typed.get(2).is_some_and(|verb| SEEING.contains(&verb.as_str()))
        && typed.iter().skip(3).take(8).any(|w| DETERMINERS.contains(&w.as_str()) || w.trim_end_matches(['?', '.', '!']).contains('.'));
    // "could I have a folder called X in Travel?" asks for the folder.
    let asks_for_it = matches!(modal, "can" | "could" | "may")
        && typed.get(2).is_some_and(|verb| matches!(verb.as_str(), "have" | "get"))
        && acts(trimmed).is_some();
    let about_self = matches!(modal, "can" | "could" | "should" | "may" | "do" | "did" | "will" | "would" | "am" | "must")
        && typed.get(1).is_some_and(|w| matches!(w.as_str(), "i" | "we"))
        && !asks_to_see
        && !asks_for_it;
    // "by when do the costumes have to be in school?"
    let wh_after_a_preposition = matches!(first, "by" | "until" | "till" | "at" | "in" | "on" | "for" | "from" | "since")
        && words.get(1).is_some_and(|w| WH.contains(w));
    if question_form && (WH.contains(&first) || about_self || wh_after_a_preposition) {
        // "which of my videos are over 1 GB?": a question about files,
        // answered by finding them.
        if (WH.contains(&first) && plan().is_some_and(names_kinds)) || sent_me(&words) {
            return routed(Route::Find, "asks which files");
        }
        return routed(Route::Ask, "a question");
    }
    if sent_me(&words) {
        return routed(Route::Find, "asks which files");
    }
    if let Some(why) = acts(trimmed) {
        return routed(Route::Act, why);
    }
    if question_form && QUESTION.contains(&first) && !words.get(1).is_some_and(|w| ASKED_OF_NOOK.contains(w)) {
        return routed(Route::Ask, "a question");
    }
    if trimmed.ends_with('?') {
        let filters = plan().is_some_and(|p| names_files(p) || p.dates.is_some());
        return if filters { routed(Route::Find, "names files to find") } else { routed(Route::Ask, "a question") };
    }
    routed(Route::Find, "words to find files by")
}

/// Whether the plan names files by what they are, where, how big or what
/// they are called: a kind, a folder, a size or a name pattern.
fn names_files(plan: &Plan) -> bool {
    names_kinds(plan) || plan.folder.is_some() || plan.size.is_some() || plan.name.is_some()
}

/// Whether the plan names kinds of file by their format ("videos", "pdfs"):
/// "which of my videos are over 1 GB?" asks for files.
fn names_kinds(plan: &Plan) -> bool {
    plan.kinds.as_ref().is_some_and(|k| !k.soft)
}

/// "has Bev sent me anything?", "did anyone send me …": files received.
fn sent_me(words: &[&str]) -> bool {
    words.windows(2).any(|w| matches!(w, ["sent" | "send" | "emailed" | "mailed", "me" | "us"]))
}

/// "what did I download last week?", "what's on my desktop?": files asked
/// for by what was done to them, or where they are.
fn asks_what_was_done(words: &[&str]) -> bool {
    match words {
        ["what", "did" | "have" | "do", "i" | "we", verb, ..] => DONE_TO_FILES.contains(&verb.trim_end_matches('?')),
        ["what's" | "whats", "on" | "in", ..] | ["what", "is", "on" | "in", ..] => true,
        _ => false,
    }
}

/// Why `text` is a request to act, if it is: its verb read and its parts
/// complete, or a verb that says an action plainly with a part missing
/// (so the person is told which).
fn acts(text: &str) -> Option<&'static str> {
    if matches!(request::read(text), Err(Unread::Unsupported(_))) {
        return Some("asks for what Nook does not do");
    }
    let said = request::said(text)?;
    match request::read(text) {
        Ok(reading) => match reading.intent {
            // "show me the photos from Lisbon": several files to look at
            // are a search; one named file to open is an action.
            Intent::Open { what } if matches!(said.lead.as_str(), "show" | "show me" | "display") && !names_one(&what) => None,
            Intent::Launch { .. } => Some("asks to start an application"),
            Intent::Terminal { .. } => Some("asks to open a terminal"),
            Intent::Run { .. } => Some("asks to run a program"),
            _ => Some(asks_to(said.verb)),
        },
        Err(Unread::Missing(_)) if said.weight == Weight::Content && said.verb != Verb::Open => Some(asks_to(said.verb)),
        Err(_) => None,
    }

}

/// Whether `what` names one file: a file name, or a singular noun phrase
/// ("the lease", not "the photos").
fn names_one(what: &str) -> bool {
    const MANY: &[&str] = &["everything", "anything", "all", "stuff", "things", "whatever"];
    const AFTER_THE_NOUN: &[&str] = &["from", "in", "of", "about", "with", "on", "at", "for", "by", "that", "which", "taken", "since", "i", "we"];
    // The first clause names the files: "the huge videos, need to free up
    // some room".
    let low = what.split([',', ';', '?', '!']).next().unwrap_or(what).to_lowercase();
    let words: Vec<&str> = low.split_whitespace().collect();
    let end = words.iter().skip(1).position(|w| AFTER_THE_NOUN.contains(w)).map_or(words.len(), |at| at + 1);
    if words.first().is_some_and(|w| matches!(*w, "every" | "all" | "any" | "each")) {
        return false;
    }
    let head = words[..end].last().copied().unwrap_or("");
    head.contains('.') || !(MANY.contains(&head) || head.ends_with('s') && !head.ends_with("ss"))
}

fn asks_to(verb: Verb) -> &'static str {
    match verb {
        Verb::CreateFolder => "asks to create a folder",
        Verb::Move => "asks to move files",
        Verb::Copy => "asks to copy files",
        Verb::Rename => "asks to rename files",
        Verb::Trash => "asks to move files to the trash",
        Verb::Reveal => "asks to show a file in its folder",
        Verb::Launch => "asks to start an application",
        Verb::Terminal => "asks to open a terminal",
        Verb::Run => "asks to run a program",
        Verb::Open => "asks to open a file",
    }
}

fn starts_with_words(low: &str, phrase: &str) -> bool {
    low.starts_with(phrase) && low[phrase.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route_of(text: &str) -> Route {
        route(text, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()).route
    }

    #[test]
    fn routes_follow_the_words() {
        let table: &[(&str, Route)] = &[
            // Searches: words, filters, and questions about where files are.
            ("reports from this quarter", Route::Find),
            ("invoices 2024 march", Route::Find),
            ("car insurance documents", Route::Find),
            ("documents that mention the marathon", Route::Find),
            ("any huge zip files lying around?", Route::Find),
            ("where did I put the lease?", Route::Find),
            ("do I have any photos from Lisbon?", Route::Find),
            ("pics from the summer?", Route::Find),
            ("files from last week", Route::Find),
            ("songs I added this year", Route::Find),
            ("the notes about moving house", Route::Find),
            ("open budget", Route::Act),
            ("what did I download last week?", Route::Find),
            ("what's on my desktop?", Route::Find),
            ("hey, can you find that thing Bev sent me about the tax return?", Route::Find),
            ("show me the photos from Lisbon", Route::Find),
            ("show me everything about the boiler", Route::Find),
            ("show me every email I've saved", Route::Find),
            ("which of my videos are over 1 GB?", Route::Find),
            ("has Bev or anyone at Marsh & Co sent me anything?", Route::Find),
            ("the pictures in Isla's folder under Pictures", Route::Find),
            ("do I still have the Lisbon photos?", Route::Find),
            ("u got the lease?", Route::Find),
            ("show me the huge videos, need to free up some room", Route::Find),
            ("?", Route::Find),
            // Questions, even with an action's verb inside.
            ("feed starter?", Route::Ask),
            ("how often do I feed the starter", Route::Ask),
            ("how do I move a folder?", Route::Ask),
            ("when does the lease end?", Route::Ask),
            ("what did the plumber charge for the boiler", Route::Ask),
            ("can I rename a file while it is open?", Route::Ask),
            ("please, can I rename the file while it is open?", Route::Ask),
            ("can I delete my index?", Route::Ask),
            ("what did the plumber say about the boiler?", Route::Ask),
            ("by when do the nativity costumes have to be in school?", Route::Ask),
            ("what was my time in the Yorkshire Marathon?", Route::Ask),
            ("how big is the Hartleys' garden?", Route::Ask),
            ("where and when is the gig?", Route::Ask),
            ("what did I get in the theory exam?", Route::Ask),
            // Requests to act, however they are said.
            ("move the screenshots into Pictures", Route::Act),
            ("Please create a folder called x", Route::Act),
            ("open a terminal in Projects", Route::Act),
            ("open the spreadsheet application", Route::Act),
            ("would you mind binning the old ringtone?", Route::Act),
            ("could you move notes.txt to Archive?", Route::Act),
            ("I'd like a folder named receipts under Documents/Finance", Route::Act),
            ("change the name of cv.md to resume.md", Route::Act),
            ("put a copy of the tax return in Downloads", Route::Act),
            ("the garden notes into a new folder Documents/Garden, please", Route::Act),
            ("show me where the lease is", Route::Act),
            ("trash the old drafts", Route::Act),
            ("rename report.pdf", Route::Act),
            ("email the invoice to jane@example.com", Route::Act),
            ("where's the ubuntu iso? show me it in its folder", Route::Act),
            ("could you print Isla's spelling list for me?", Route::Act),
            ("empty the trash please", Route::Act),
            ("could you open the letter I wrote about the heating?", Route::Act),
            ("can I have a look at meal plan week 49.md?", Route::Act),
            ("can I watch the marathon finish video?", Route::Act),
            ("could I have a folder called Cornwall 2027 in Travel?", Route::Act),
            ("can I rename a file while it is open?", Route::Ask),
            ("please, can I rename the file while it is open?", Route::Ask),
            ("can I delete my index?", Route::Ask),
            ("could New Recording 14.m4a be called guitar practice instead?", Route::Act),
        ];
        let wrong: Vec<String> = table
            .iter()
            .filter(|(text, want)| route_of(text) != *want)
            .map(|(text, want)| format!("{text:?}: {:?}, want {want:?}", route_of(text)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn every_route_says_why() {
        let routed = route("trash the old drafts", NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        assert_eq!(routed, Routed { route: Route::Act, why: "asks to move files to the trash".into() });
    }
}
