//! Requests in words become intents: what to do (a [`Verb`]) and the words
//! that name the files, the folder, the new name or the program. Rules read
//! the common shapes ("move the screenshots from last week into
//! Pictures/Screenshots", "create a folder called new-application in
//! Projects and open it", "rename these reports to 2025-Q3-…"). The engine
//! turns the words into paths: files through a search plan, folders inside
//! the granted ones, programs among the installed applications.
//!
//! When no rule finds the verb, the engine asks the planning model to
//! choose one of [`VERBS`] (or none), and [`read_as`] reads the rest of the
//! request for that verb: the model picks from the schema, never writes a
//! path.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::phrasing;

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Open,
    Reveal,
    CreateFolder,
    Move,
    Copy,
    Rename,
    Trash,
    Launch,
    Terminal,
    Run,
}

/// The verbs and the word the planning model answers with for each.
pub const VERBS: &[(Verb, &str)] = &[
    (Verb::Open, "open"),
    (Verb::Reveal, "show"),
    (Verb::CreateFolder, "create"),
    (Verb::Move, "move"),
    (Verb::Copy, "copy"),
    (Verb::Rename, "rename"),
    (Verb::Trash, "trash"),
    (Verb::Launch, "start"),
    (Verb::Terminal, "terminal"),
    (Verb::Run, "run"),
];

/// What each answer of [`VERBS`] means, for the model's question.
pub const VERB_MEANINGS: &[&str] = &[
    "open a file",
    "show a file in its folder",
    "create a folder",
    "move files to another folder",
    "copy files",
    "rename files",
    "move files to the trash",
    "start an application",
    "open a terminal",
    "run a command",
];

/// A request, read: the verb with the words for each of its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verb", rename_all = "snake_case")]
pub enum Intent {
    /// A file, a folder or an application, as named: the engine decides
    /// which by what is there.
    Open { what: String },
    Reveal { files: String },
    CreateFolder { name: String, place: Option<String>, open: bool },
    Move { files: String, to: String },
    Copy { files: String, to: String },
    Rename { files: String, to: NewName },
    Trash { files: String },
    Launch { app: String },
    Terminal { place: Option<String> },
    Run { argv: Vec<String> },
}

impl Intent {
    pub fn verb(&self) -> Verb {
        match self {
            Intent::Open { .. } => Verb::Open,
            Intent::Reveal { .. } => Verb::Reveal,
            Intent::CreateFolder { .. } => Verb::CreateFolder,
            Intent::Move { .. } => Verb::Move,
            Intent::Copy { .. } => Verb::Copy,
            Intent::Rename { .. } => Verb::Rename,
            Intent::Trash { .. } => Verb::Trash,
            Intent::Launch { .. } => Verb::Launch,
            Intent::Terminal { .. } => Verb::Terminal,
            Intent::Run { .. } => Verb::Run,
        }
    }
}

/// The new name a rename asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", content = "text", rename_all = "snake_case")]
pub enum NewName {
    /// This name (the old extension is kept when it names none).
    Exact(String),
    /// Put before each old name: "to 2025-Q3-…".
    Prefix(String),
    /// Put after each old name, before its extension: "to …-final".
    Suffix(String),
}

impl NewName {
    /// The new name of a file called `old`.
    pub fn apply(&self, old: &str) -> String {
        let (stem, ext) = split_extension(old);
        match self {
            NewName::Exact(name) if split_extension(name).1.is_empty() && !ext.is_empty() => format!("{name}{ext}"),
            NewName::Exact(name) => name.clone(),
            NewName::Prefix(prefix) if old.starts_with(prefix.as_str()) => old.to_string(),
            NewName::Prefix(prefix) => format!("{prefix}{old}"),
            NewName::Suffix(suffix) if stem.ends_with(suffix.as_str()) => old.to_string(),
            NewName::Suffix(suffix) => format!("{stem}{suffix}{ext}"),
        }
    }
}

/// `report.final.pdf` → (`report.final`, `.pdf`); a name with no extension
/// or a dot only in front gives it whole.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= 6 && name[dot + 1..].chars().all(|c| c.is_ascii_alphanumeric()) && dot + 1 < name.len() => {
            (&name[..dot], &name[dot..])
        }
        _ => (name, ""),
    }
}

/// An intent with what the reading noticed on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub intent: Intent,
    pub notes: Vec<String>,
}

/// Why a request is not an action the rules can read, with what to type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unread {
    #[error("type what Nook should do, for example “move the screenshots from last week into Pictures/Screenshots”")]
    Empty,
    #[error("Nook cannot tell what to do from “{0}”; start with what to do: open, show, create a folder, move, copy, rename, trash, start, or open a terminal")]
    NoVerb(String),
    #[error("{0}")]
    Missing(String),
    #[error("Nook does not {0}: it opens files, shows them in their folder, creates folders, moves, copies, renames and trashes, inside the watched folders only")]
    Unsupported(String),
}

/// Words before a request that ask politely and change nothing, longest
/// first where one starts another.
const OPENERS: &[&str] = &[
    "please, ", "please ", "pls ", "plz ", "kindly ", "nook, ", "nook ", "hey nook, ", "hey nook ", "hey, ", "hey ", "hi, ", "ok so ", "okay so ",
    "ok ", "okay ", "ok, ", "okay, ", "so ", "right, ", "right ", "alright, ", "alright ", "any chance you could ", "any chance you can ",
    "is there any chance you could ", "mind ", "i'd appreciate it if you could ", "i'd appreciate it if you ", "i'd appreciate it if ",
    "i'd appreciate ", "is it possible to have ", "is it possible to ", "let's have ", "we need ", "need ", "there should be ",
    "there needs to be ",
    "could you please ", "can you please ", "would you please ", "will you please ", "would you mind ", "do you mind ", "could you ", "can you ",
    "would you ", "will you ", "do me a favour and ", "do me a favor and ", "be a dear and ", "if you could ", "if you can ",
    "i want you to ", "i'd like you to ", "i would like you to ", "i'd love you to ", "i'd love it if you could ", "i'd love it if you ",
    "i want to ", "i'd like to ", "i would like to ", "i need to ", "i need you to ", "i'd like ", "i would like ", "i want ", "i wanna ",
    "i need ", "i'd love ", "can i have ", "could i have ", "can i get ", "could i get ", "may i have ", "can we have ", "could we have ",
    "can we get ", "could we get ", "let me ", "help me ", "let's ", "lets ", "want to ", "want ",
    "go ahead and ", "time to ", "quickly ", "just ", "now ", "then ", "and ",
    // After the wishes above ("can I have …"): "can I watch X?" asks to.
    "can i ", "could i ", "may i ",
];

/// Openers that say what the person wants done, not how.
const WANTS: &[&str] = &[
    "i'd like ", "i would like ", "i want ", "i wanna ", "i need ", "i'd love ", "can i have ", "could i have ", "can i get ", "could i get ",
    "i'd appreciate ", "i'd appreciate it if ", "is it possible to have ", "let's have ", "we need ", "need ", "there should be ",
    "there needs to be ",
    "may i have ", "can we have ", "could we have ", "can we get ", "could we get ", "want ",
];

const CLOSERS: &[&str] = &[
    " please", ", please", " for me", " now", " thanks", ", thanks", " thank you", ", thank you", " thx", " cheers", ", cheers", " if you can",
    ", if you can", " if you could", ", if you could", " if you don't mind", ", if you don't mind", " when you get a chance", ", when you get a chance",
    " when you have a moment", " would help", " would be great", " would be nice", " would be handy", " would be good", " asap", " instead",
    " again", " for now", " while you're at it", ", can you make one", " can you make one", ", could you make one", ", can you do that",
    ", can you do it",
    // Tags that ask again: "stick X in Y would you".
    " would you", ", would you", " will you", ", will you", " could you", ", could you", " can you", ", can you", ", yeah", " yeah",
];

/// Words typed the short way, and how the rules read them: "can u make
/// …", "lemme see …", "… pls", "dont need …".
const SHORT_FORMS: &[(&str, &str)] = &[
    ("u", "you"), ("ur", "your"), ("pls", "please"), ("plz", "please"), ("lemme", "let me"), ("gimme", "give me"), ("wanna", "want to"),
    ("gonna", "going to"), ("thx", "thanks"), ("im", "i'm"), ("ive", "i've"), ("dont", "don't"), ("doesnt", "doesn't"), ("didnt", "didn't"),
    ("isnt", "isn't"), ("cant", "can't"), ("wont", "won't"), ("shouldnt", "shouldn't"),
];

/// Words that name the trash as a place.
const TRASH_PLACES: &[&str] = &["trash", "the trash", "trash can", "the trash can", "bin", "the bin", "recycle bin", "the recycle bin", "wastebasket", "the wastebasket", "rubbish bin", "the rubbish bin"];

/// Words after an application's name that say it is one.
const APP_WORDS: &[&str] = &[" app", " application", " program", " programme", " software", " tool"];

/// `request` with words typed the short way spelled out ([`SHORT_FORMS`]);
/// file names, which hold dots or slashes, are left as typed.
pub fn spelled_out(request: &str) -> Cow<'_, str> {
    let short = |word: &str| {
        let bare = word.trim_end_matches([',', '.', '!', '?', ';', ':']);
        SHORT_FORMS.iter().find(|(s, _)| bare.eq_ignore_ascii_case(s)).map(|(_, long)| format!("{long}{}", &word[bare.len()..]))
    };
    if !request.split(' ').any(|w| short(w).is_some()) {
        return Cow::Borrowed(request);
    }
    Cow::Owned(request.split(' ').map(|w| short(w).unwrap_or_else(|| w.to_string())).collect::<Vec<_>>().join(" "))
}

/// Reads `request` with the rules.
pub fn read(request: &str) -> Result<Reading, Unread> {
    let request = spelled_out(request);
    let (text, wants) = tidy(&request);
    if text.is_empty() {
        return Err(Unread::Empty);
    }
    if let Some(what) = phrasing::unsupported(text) {
        return Err(Unread::Unsupported(what.to_string()));
    }
    let text = phrasing::main_clause(text, wants);
    let Some(said) = phrasing::imperative(text, wants) else {
        return Err(Unread::NoVerb(text.to_string()));
    };
    slots(said.verb, &said.lead, &said.rest)
}

/// `request` without the politeness around it ("hey, can you …, please").
pub fn without_politeness(request: &str) -> String {
    tidy(&spelled_out(request)).0.to_string()
}

/// The imperative `request` says, politeness aside, before its parts are
/// read: for telling requests to act from others.
pub fn said(request: &str) -> Option<phrasing::Imperative> {
    let request = spelled_out(request);
    let (text, wants) = tidy(&request);
    phrasing::imperative(phrasing::main_clause(text, wants), wants)
}

/// Reads `request` for `verb`, chosen by the planning model: the verb's
/// own words, where the request has them, are left out of the parts.
pub fn read_as(verb: Verb, request: &str) -> Result<Reading, Unread> {
    let request = spelled_out(request);
    let (text, _) = tidy(&request);
    if text.is_empty() {
        return Err(Unread::Empty);
    }
    // The verb's own words are left out; "I'd love it if …" keeps its
    // words: the parts are read from the prepositions.
    let rest = phrasing::leading(text).map_or(text, |(_, _, rest)| rest.trim());
    slots(verb, "", rest)
}

/// `request` without the politeness around it, and whether its opening
/// said what the person wants ("I'd like …", "could I have …"): then "X
/// in Y" asks for X to be put in Y.
pub(crate) fn tidy(request: &str) -> (&str, bool) {
    let mut text = request.trim();
    let mut wants = false;
    loop {
        let before = text;
        text = text.trim_end_matches(['.', '!', '?', ' ', ',', ';']).trim();
        for opener in OPENERS {
            if starts_with_ignore_case(text, opener) {
                text = text[opener.len()..].trim_start();
                wants |= WANTS.contains(opener);
            }
        }
        for closer in CLOSERS {
            if ends_with_ignore_case(text, closer) {
                text = text[..text.len() - closer.len()].trim_end();
            }
        }
        if text == before {
            return (text, wants);
        }
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.is_char_boundary(prefix.len()) && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    let cut = text.len().wrapping_sub(suffix.len());
    text.len() >= suffix.len() && text.is_char_boundary(cut) && text[cut..].eq_ignore_ascii_case(suffix)
}

/// The parts of a request for `verb`; `lead` is the verb's words as typed
/// (lowercase), `rest` what follows them, as typed.
fn slots(verb: Verb, lead: &str, rest: &str) -> Result<Reading, Unread> {
    let mut notes = Vec::new();
    let intent = match verb {
        Verb::CreateFolder => return create_folder(lead, rest),
        Verb::Move | Verb::Copy => {
            const PREPS: &[&str] = &["into", "to", "onto", "on", "in", "inside", "under"];
            let (files, to) = split_at_new_folder(rest, PREPS)
                .or_else(|| split_target(rest, PREPS))
                .ok_or_else(|| missing(verb, "where to", "move the screenshots from last week into Pictures/Screenshots"))?;
            let files = files_phrase(files);
            if files.is_empty() {
                return Err(missing(verb, "which files", "move the screenshots from last week into Pictures/Screenshots"));
            }
            if TRASH_PLACES.contains(&to.to_ascii_lowercase().as_str()) || TRASH_PLACES.contains(&place_phrase(to).to_ascii_lowercase().as_str()) {
                if verb == Verb::Copy {
                    return Err(Unread::Missing("Nook does not copy into the trash; say “trash …” to move files there".into()));
                }
                Intent::Trash { files }
            } else if verb == Verb::Move {
                Intent::Move { files, to: place_phrase(to) }
            } else {
                Intent::Copy { files, to: place_phrase(to) }
            }
        }
        Verb::Rename => {
            // "call X 'Y'", "name X.docx Y": the new name follows the file.
            let called = if matches!(lead, "call" | "name") { call_split(rest) } else { None };
            let (files, to) = called
                .or_else(|| split_after_file_name(rest, &["to", "as", "into"]))
                .or_else(|| split_target(rest, &["to", "as", "into"]))
                .ok_or_else(|| missing(verb, "the new name", "rename these reports to 2025-Q3-…"))?;
            let files = files_phrase(files);
            if files.is_empty() {
                return Err(missing(verb, "which files", "rename report.pdf to 2025-Q3-report.pdf"));
            }
            Intent::Rename { files, to: new_name(to).ok_or_else(|| missing(verb, "the new name", "rename these reports to 2025-Q3-…"))? }
        }
        Verb::Trash => {
            // "dump the screenshots into Pictures": thrown somewhere else
            // than the bin is a move.
            if matches!(lead, "chuck" | "dump" | "toss" | "throw") {
                if let Some((files, to)) = split_target(rest, &["into", "in", "to", "onto", "on"]) {
                    let place = place_phrase(to);
                    if !TRASH_PLACES.contains(&to.to_ascii_lowercase().as_str()) && !place.is_empty() {
                        return Ok(Reading { intent: Intent::Move { files: files_phrase(files), to: place }, notes });
                    }
                }
            }
            if lead == "delete" || lead == "erase" || lead == "remove" {
                notes.push("Nook never deletes: the files go to the trash, from where Undo or the file manager bring them back".to_string());
            }
            let mut files = rest;
            for place in TRASH_PLACES {
                for prep in [" to ", " into ", " in "] {
                    let tail = format!("{prep}{place}");
                    if ends_with_ignore_case(files, &tail) {
                        files = &files[..files.len() - tail.len()];
                    }
                }
            }
            let files = files_phrase(files);
            if files.is_empty() {
                return Err(missing(verb, "which files", "trash the screenshots from last week"));
            }
            Intent::Trash { files }
        }
        Verb::Reveal => {
            let mut files = rest;
            for tail in [" is", " is located", " lives", " in its folder", " in the folder", " in the file manager", " in files", " in folder", " there"] {
                if ends_with_ignore_case(files, tail) {
                    files = &files[..files.len() - tail.len()];
                }
            }
            let files = files_phrase(files);
            if files.is_empty() {
                return Err(missing(verb, "which file", "show the budget spreadsheet in its folder"));
            }
            Intent::Reveal { files }
        }
        Verb::Open | Verb::Launch | Verb::Run | Verb::Terminal => return open_like(verb, lead, rest),
    };
    Ok(Reading { intent, notes })
}

fn missing(verb: Verb, what: &str, example: &str) -> Unread {
    let name = VERBS.iter().position(|(v, _)| *v == verb).map_or("", |n| VERB_MEANINGS[n]);
    Unread::Missing(format!("to {name}, say {what}: for example “{example}”"))
}

/// "final_v2 (1).docx 'Oakwood grant'" → (file, new name): a quoted name
/// at the end, or what follows a word with a file's extension.
fn call_split(rest: &str) -> Option<(&str, &str)> {
    let trimmed = rest.trim();
    for (open, close) in [('\'', '\''), ('"', '"'), ('“', '”'), ('‘', '’')] {
        if trimmed.ends_with(close) {
            let body = &trimmed[..trimmed.len() - close.len_utf8()];
            if let Some(at) = body.rfind(open) {
                let (files, name) = (body[..at].trim(), &body[at + open.len_utf8()..]);
                if !files.is_empty() && !name.is_empty() {
                    return Some((files, name));
                }
            }
        }
    }
    let mut end = 0;
    for word in trimmed.split_inclusive(' ') {
        end += word.len();
        if has_extension(word.trim()) {
            let (files, name) = (trimmed[..end].trim(), trimmed[end..].trim());
            return (!name.is_empty()).then_some((files, name));
        }
    }
    None
}

/// Whether `word` ends like a file's name: "notes.txt", "Untitled 1.odt".
pub(crate) fn has_extension(word: &str) -> bool {
    word.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && (2..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// "Untitled 1.odt to letter to Hensley draft": after a file's full name,
/// the first of `preps` begins the new name, whatever words follow.
fn split_after_file_name<'a>(text: &'a str, preps: &[&str]) -> Option<(&'a str, &'a str)> {
    let low = text.to_ascii_lowercase();
    let at = preps
        .iter()
        .filter_map(|prep| {
            let needle = format!(" {prep} ");
            let at = low.find(&needle)?;
            let last = text[..at].trim_end().rsplit(' ').next().unwrap_or_default();
            has_extension(last).then_some((at, needle.len()))
        })
        .min();
    at.map(|(at, len)| (text[..at].trim(), text[at + len..].trim())).filter(|(files, name)| !files.is_empty() && !name.is_empty())
}

/// Splits at the rightmost of `preps` that has words on both sides:
/// (before, after). "move the files in Downloads to Archive" splits at "to".
fn split_target<'a>(text: &'a str, preps: &[&str]) -> Option<(&'a str, &'a str)> {
    let low = text.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for prep in preps {
        let needle = format!(" {prep} ");
        let mut end = low.len();
        while let Some(at) = low[..end].rfind(&needle) {
            let (before, after) = (text[..at].trim(), text[at + needle.len()..].trim());
            if !before.is_empty() && !after.is_empty() {
                if best.is_none_or(|(b, _)| at > b) {
                    best = Some((at, needle.len()));
                }
                break;
            }
            end = at;
        }
    }
    best.map(|(at, len)| (text[..at].trim(), text[at + len..].trim()))
}

/// Splits before the first of `preps` that is followed by a folder
/// phrase ("… into a new folder called Garden in Documents"), whose own
/// prepositions belong to the place.
fn split_at_new_folder<'a>(text: &'a str, preps: &[&str]) -> Option<(&'a str, &'a str)> {
    let low = text.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for prep in preps {
        let needle = format!(" {prep} ");
        for (at, _) in low.match_indices(&needle) {
            let after = &low[at + needle.len()..];
            let after = ["a ", "an ", "the ", "my "].iter().find_map(|a| after.strip_prefix(a)).unwrap_or(after);
            let new = ["new ", "empty ", "separate "].iter().find_map(|a| after.strip_prefix(a));
            let after = new.unwrap_or(after);
            let is_folder = |w: &str| matches!(w.trim_end_matches(','), "folder" | "directory" | "subfolder");
            // "a new folder Garden", and with "new" the name may come
            // first: "a new Suppliers folder in Documents/Work".
            let words: Vec<&str> = after.split_whitespace().take(4).collect();
            let folder = words.first().is_some_and(|w| is_folder(w)) || (new.is_some() && words.iter().skip(1).any(|w| is_folder(w)));
            if folder && best.is_none_or(|(b, _)| at < b) {
                best = Some((at, needle.len()));
            }
        }
    }
    best.map(|(at, len)| (text[..at].trim(), text[at + len..].trim())).filter(|(files, _)| !files.is_empty())
}

/// The words that name files, without the article-like words in front
/// that a search would not use ("all of", "all the").
fn files_phrase(text: &str) -> String {
    let mut text = text.trim().trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\'');
    // "the Chrome installer, I never use it": the clause after is a reason.
    const CLAUSE: &[&str] = &["i ", "i'", "we ", "we'", "it ", "it's ", "they ", "nobody ", "no one ", "don't ", "never ", "because ", "since ", "as "];
    if let Some(at) = text.find(", ") {
        let after = text[at + 2..].to_ascii_lowercase();
        if CLAUSE.iter().any(|c| after.starts_with(c)) {
            text = &text[..at];
        }
    }
    for lead in ["all of the ", "all of my ", "all of ", "all the ", "all my ", "every one of the "] {
        if starts_with_ignore_case(text, lead) {
            text = &text[lead.len()..];
        }
    }
    for tail in [" needs to be", " need to be", " should be", " has to be", " have to be", " to be", " should also be", " should", " too", " as well", " and", " then", ","] {
        if ends_with_ignore_case(text, tail) && text.len() > tail.len() {
            text = text[..text.len() - tail.len()].trim_end();
        }
    }
    // "the pattern out of Downloads": where the files are now, as a search
    // reads a folder.
    let text = text.trim();
    match text.to_ascii_lowercase().find(" out of ") {
        Some(at) => format!("{} in {}", &text[..at], &text[at + " out of ".len()..]),
        None => text.to_string(),
    }
}

/// Clauses that say something of a place after it is named: "- it's a
/// new folder", ", which doesn't exist yet".
const PLACE_CLAUSES: &[&str] = &[
    "it's", "it is", "its ", "it doesn", "that's", "that is", "which ", "this is", "a new ", "new folder", "make it", "create it", "doesn't exist",
    "does not exist", "not there yet", "not ", "rather than ", "don't ", "do not ", "a copy", "i ", "i'm ", "i've ",
];

/// A folder as named: "the Pictures/Screenshots folder" → "Pictures/Screenshots";
/// "a new folder called Garden in Documents" → "Documents/Garden".
fn place_phrase(text: &str) -> String {
    let mut text = text.trim().trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\'' || c == ',').trim();
    for lead in ["the ", "my ", "a ", "an "] {
        if starts_with_ignore_case(text, lead) {
            text = &text[lead.len()..];
            break;
        }
    }
    for lead in ["new ", "empty ", "separate "] {
        if starts_with_ignore_case(text, lead) {
            text = &text[lead.len()..];
        }
    }
    let mut named = false;
    for lead in ["folder ", "directory ", "subfolder ", "folder, ", "directory, "] {
        if starts_with_ignore_case(text, lead) {
            text = text[lead.len()..].trim_start_matches([',', ' ']);
            named = true;
        }
    }
    for lead in ["called ", "named ", "titled "] {
        if named && starts_with_ignore_case(text, lead) {
            text = &text[lead.len()..];
        }
    }
    // Words after the place that are not its name: "too", "as well", "for
    // Bev" after a path.
    loop {
        let before = text;
        for tail in [" too", " as well", " also", " please", " over", " where it belongs", " where they belong", " for now", " now", " then", " folder", " directory", "/"] {
            if ends_with_ignore_case(text, tail) && text.len() > tail.len() {
                text = text[..text.len() - tail.len()].trim_end_matches(',').trim_end();
            }
        }
        // "Band/Tunes instead of Downloads": where it is not to go.
        if let Some(at) = text.to_ascii_lowercase().find(" instead of ") {
            text = text[..at].trim_end();
        }
        // "Pictures/Kestrel/Blacking 2026 - it's a new folder": a clause
        // about the place is not its name.
        for sep in [" - ", " – ", " — ", ", ", " ("] {
            let low = text.to_ascii_lowercase();
            if let Some(at) = low.find(sep) {
                let after = &low[at + sep.len()..];
                // "…, v3 is the one I'm keeping": a sentence of its own.
                let sentence = sep == ", " && [" is ", " are ", " was "].iter().any(|v| after.contains(v));
                if sentence || PLACE_CLAUSES.iter().any(|c| after.starts_with(c)) {
                    text = text[..at].trim_end();
                }
            }
        }
        // "Documents/Money for Bev", "my Welsh folder for next year's
        // course": who or what the place is for is not its name.
        if let Some(at) = text.to_ascii_lowercase().rfind(" for ") {
            let before = text[..at].to_ascii_lowercase();
            if (before.contains('/') || before.ends_with(" folder") || before.ends_with(" directory")) && !text[at..].contains('/') {
                text = &text[..at];
            }
        }
        if text == before {
            break;
        }
    }
    // "a new Knitting folder in Documents": the name before the word.
    let low = text.to_ascii_lowercase();
    if !named {
        for word in [" folder ", " directory "] {
            if let Some(at) = low.find(word) {
                let after = &text[at + word.len()..];
                if let Some(p) = ["in ", "inside ", "under ", "within "].iter().find(|p| starts_with_ignore_case(after, p)) {
                    return format!("{}/{}", place_phrase(&after[p.len()..]), text[..at].trim());
                }
            }
        }
    }
    // "Garden in Documents": a new folder's name, then where it goes.
    if named {
        if let Some((name, parent)) = split_target(text, &["in", "inside", "under", "within", "on"]) {
            return format!("{}/{}", place_phrase(parent), name.trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\''));
        }
    }
    text.trim().to_string()
}

fn new_name(text: &str) -> Option<NewName> {
    let mut text = text.trim();
    // "DVLA tax reminder 2026 instead of scan0012": the old name is no part
    // of the new one.
    for contrast in [" instead of ", " rather than ", ", not "] {
        if let Some(at) = text.to_ascii_lowercase().find(contrast) {
            text = &text[..at];
        }
    }
    let text = text.trim().trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\'').trim();
    const ELLIPSES: &[&str] = &["…", "...", "*"];
    for e in ELLIPSES {
        if let Some(prefix) = text.strip_suffix(e) {
            return (!prefix.is_empty()).then(|| NewName::Prefix(prefix.to_string()));
        }
    }
    for e in ELLIPSES {
        if let Some(suffix) = text.strip_prefix(e) {
            return (!suffix.is_empty()).then(|| NewName::Suffix(suffix.to_string()));
        }
    }
    (!text.is_empty()).then(|| NewName::Exact(text.to_string()))
}

fn create_folder(lead: &str, rest: &str) -> Result<Reading, Unread> {
    let example = "create a folder called new-application in Projects";
    let low = rest.to_ascii_lowercase();
    let mut words: &str = rest;
    let mut open = false;
    for tail in [" and open it", " then open it", ", then open it", " and open", " and then open it", " and show it"] {
        if ends_with_ignore_case(words, tail) {
            words = &words[..words.len() - tail.len()];
            open = true;
        }
    }
    let folder_word = ["folder", "directory", "subfolder"].iter().filter_map(|w| find_word(&low[..words.len()], w).map(|at| (at, w.len()))).min();
    let Some((at, len)) = folder_word.or_else(|| (lead == "mkdir").then_some((0, 0))) else {
        return Err(Unread::Missing(format!(
            "Nook creates folders, not other files; say “folder”: for example “{example}”"
        )));
    };
    // "…, call it Okonkwo": the name said last.
    let mut called: Option<&str> = None;
    for mark in [", call it ", " and call it ", ", name it ", " and name it ", ", called "] {
        if let Some(found) = words.to_ascii_lowercase().find(mark) {
            called = Some(words[found + mark.len()..].trim());
            words = &words[..found];
            break;
        }
    }
    // "… in Finance/Tax would be handy, call it X": politeness inside.
    let words = tidy(words).0;
    let before = words[..at.min(words.len())].trim();
    let after = words.get(at + len..).unwrap_or("").trim();
    // The place: "in/inside/under/within X" after the folder word.
    let (named, place) = match split_target(&format!(" {after}"), &["in", "inside", "under", "within", "at", "on", "to"]) {
        Some((named, place)) => (named.trim().to_string(), Some(place_phrase(place))),
        None => match ["in ", "inside ", "under ", "within ", "on ", "to "].iter().find(|p| starts_with_ignore_case(after, p)) {
            Some(p) => (String::new(), Some(place_phrase(&after[p.len()..]))),
            None => (after.to_string(), None),
        },
    };
    // "in Music called Vinyl rips": the place, then the name.
    let (named, place) = match (named.is_empty(), &place) {
        (true, Some(p)) => match split_target(p, &["called", "named"]) {
            Some((place, name)) => (name.to_string(), Some(place.to_string())),
            None => (named, place),
        },
        _ => (named, place),
    };
    let named = called.map_or(named, str::to_string);
    let mut name = named.as_str();
    for lead in ["called ", "named ", "titled ", "name ", "for "] {
        if starts_with_ignore_case(name, lead) {
            name = &name[lead.len()..];
        }
    }
    // "a new folder, Whitby 2026, inside Videos": the name set off by commas.
    let mut name = name.trim().trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\'' || c == ',').trim().to_string();
    if name.is_empty() {
        // "create a taxes folder in Documents": the words before "folder".
        let words: Vec<&str> = before.split_whitespace().skip_while(|w| matches!(w.to_ascii_lowercase().as_str(), "a" | "an" | "the" | "new" | "empty" | "my")).collect();
        name = words.join(" ").trim().trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\'').to_string();
    }
    if name.is_empty() {
        return Err(missing(Verb::CreateFolder, "its name", example));
    }
    // "a folder for the receipts would be handy - Documents/Money/2026-27":
    // a path among the words is the new folder, in full.
    let mut place = place;
    if place.is_none() && name.contains('/') {
        if let Some((parent, last)) = name.split_whitespace().filter(|w| w.contains('/')).last().and_then(|path| path.trim_end_matches('/').rsplit_once('/')) {
            let (parent, last) = (parent.to_string(), last.to_string());
            place = Some(parent);
            name = last;
        }
    }
    Ok(Reading { intent: Intent::CreateFolder { name, place, open }, notes: Vec::new() })
}

/// The byte offset of `word` as a whole word in `low`.
fn find_word(low: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = low[from..].find(word) {
        let at = from + found;
        let end = at + word.len();
        let before_ok = at == 0 || !low.as_bytes()[at - 1].is_ascii_alphanumeric();
        let after_ok = end == low.len() || !low.as_bytes()[end].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return Some(at);
        }
        from = end;
    }
    None
}

fn open_like(verb: Verb, lead: &str, rest: &str) -> Result<Reading, Unread> {
    let low = rest.to_ascii_lowercase();
    // "open a terminal in Projects", "start a shell here".
    let terminal = ["terminal", "shell", "console", "command line", "command prompt"].iter().find_map(|w| find_word(&low, w).map(|at| (at, w.len())));
    if let Some((at, len)) = terminal {
        if verb == Verb::Terminal || low[..at].split_whitespace().all(|w| matches!(w, "a" | "an" | "the" | "new" | "my")) {
            let after = rest[at + len..].trim();
            let place = ["in ", "at ", "inside ", "from ", "for "]
                .iter()
                .find(|p| starts_with_ignore_case(after, p))
                .map(|p| place_phrase(&after[p.len()..]))
                .filter(|p| !p.is_empty());
            return Ok(Reading { intent: Intent::Terminal { place }, notes: Vec::new() });
        }
    }
    let mut what = rest.trim();
    if verb == Verb::Open {
        for tail in [" in its folder", " in the folder", " in the file manager", " in files", " in folder"] {
            if ends_with_ignore_case(what, tail) {
                return slots(Verb::Reveal, lead, &what[..what.len() - tail.len()]);
            }
        }
    }
    if what.is_empty() {
        let example = match verb {
            Verb::Run => "run convert photo.png photo.jpg",
            Verb::Launch => "open the spreadsheet application",
            _ => "open the budget spreadsheet",
        };
        return Err(missing(verb, "what", example));
    }
    what = what.trim();
    let low_what = what.to_ascii_lowercase();
    let app_named = APP_WORDS.iter().find(|w| low_what.ends_with(*w)).map(|w| &what[..what.len() - w.len()]);
    let intent = match (verb, app_named) {
        (_, Some(app)) if verb != Verb::Run || lead == "run" => Intent::Launch { app: app_phrase(app) },
        (Verb::Launch, None) => Intent::Launch { app: app_phrase(what) },
        (Verb::Run, None) => Intent::Run { argv: split_argv(what).map_err(Unread::Missing)? },
        (Verb::Open, None) | (Verb::Reveal, None) | (Verb::Terminal, None) => Intent::Open { what: files_phrase(what) },
        (_, _) => Intent::Open { what: files_phrase(what) },
    };
    Ok(Reading { intent, notes: Vec::new() })
}

fn app_phrase(text: &str) -> String {
    let mut text = text.trim();
    for lead in ["up ", "the ", "my ", "a ", "an ", "some "] {
        if starts_with_ignore_case(text, lead) {
            text = &text[lead.len()..];
        }
    }
    text.trim().to_string()
}

/// Splits a command line into its words as a shell would quote them, with
/// no expansion of any kind: `'…'` and `"…"` group, `\` escapes one
/// character. Nothing here is ever handed to a shell.
pub fn split_argv(text: &str) -> Result<Vec<String>, String> {
    let mut argv = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a quote (') is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => word.push(chars.next().ok_or("the command ends with \\")?),
                        Some(c) => word.push(c),
                        None => return Err("a quote (\") is not closed".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next().ok_or("the command ends with \\")?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    argv.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        argv.push(word);
    }
    Ok(argv)
}

/// Words that point at files already in view (the selection in the app).
pub fn is_deictic(files: &str) -> bool {
    let low = files.to_ascii_lowercase();
    let first = low.split_whitespace().next().unwrap_or("");
    matches!(first, "these" | "those" | "this" | "that" | "it" | "them" | "selected")
        || low.starts_with("the selected")
        || low == "the selection"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(files: &str, to: &str) -> Intent {
        Intent::Move { files: files.into(), to: to.into() }
    }

    /// Each request reads as its intent.
    fn reads_as(cases: &[(&str, Intent)]) {
        for (request, want) in cases {
            assert_eq!(&intent(request), want, "{request}");
        }
    }

    fn revealed(files: &str) -> Intent {
        Intent::Reveal { files: files.into() }
    }

    fn created(name: &str, place: &str) -> Intent {
        Intent::CreateFolder { name: name.into(), place: Some(place.into()), open: false }
    }

    fn copied(files: &str, to: &str) -> Intent {
        Intent::Copy { files: files.into(), to: to.into() }
    }

    fn intent(request: &str) -> Intent {
        read(request).unwrap_or_else(|e| panic!("{request}: {e}")).intent
    }

    #[test]
    fn the_issue_s_examples_are_read() {
        assert_eq!(
            intent("Create a project folder called new-application in Projects and open it"),
            Intent::CreateFolder { name: "new-application".into(), place: Some("Projects".into()), open: true }
        );
        assert_eq!(
            intent("Move the screenshots from last week into Pictures/Screenshots"),
            moved("the screenshots from last week", "Pictures/Screenshots")
        );
        assert_eq!(intent("Open the spreadsheet application"), Intent::Launch { app: "spreadsheet".into() });
        assert_eq!(
            intent("Rename these reports to 2025-Q3-…"),
            Intent::Rename { files: "these reports".into(), to: NewName::Prefix("2025-Q3-".into()) }
        );
    }

    #[test]
    fn places_lose_what_is_said_of_them_and_new_names_keep_their_words() {
        reads_as(&[
            ("can the Hardanger fiddle tunings pdf live in Band/Tunes instead of Downloads?", moved("the Hardanger fiddle tunings pdf", "Band/Tunes")),
            ("move those blacking photos to Pictures/Kestrel/Blacking 2026 - it's a new folder", moved("those blacking photos", "Pictures/Kestrel/Blacking 2026")),
            ("move notes.txt to Archive/2026, which doesn't exist yet", moved("notes.txt", "Archive/2026")),
            ("the wiring diagrams zip ought to be in CB400 Rebuild, not Downloads", moved("the wiring diagrams zip", "CB400 Rebuild")),
            ("the first two drafts can go in Old, v3 is the one I'm keeping", moved("the first two drafts", "Old")),
        ]);
        assert_eq!(
            intent("can the DVLA scan be called DVLA tax reminder 2026 instead of scan0012"),
            Intent::Rename { files: "the DVLA scan".into(), to: NewName::Exact("DVLA tax reminder 2026".into()) }
        );
        assert_eq!(
            intent("rename Untitled 1.odt to letter to Hensley draft"),
            Intent::Rename { files: "Untitled 1.odt".into(), to: NewName::Exact("letter to Hensley draft".into()) }
        );
    }

    #[test]
    fn polite_words_and_punctuation_change_nothing() {
        assert_eq!(intent("Please, could you move notes.txt to Archive?"), intent("move notes.txt to Archive"));
        assert_eq!(intent("Nook, trash old-draft.docx for me."), Intent::Trash { files: "old-draft.docx".into() });
        assert_eq!(read("the mail client, please"), Err(Unread::NoVerb("the mail client".into())));
    }

    #[test]
    fn words_typed_the_short_way_read_as_spelled_out() {
        assert_eq!(intent("can u make a Brownies folder in Family/Isla"), intent("make a Brownies folder in Family/Isla"));
        assert_eq!(intent("lemme see the boiler warranty"), intent("see the boiler warranty"));
        assert_eq!(intent("Patel cake FINAL (2).docx → Patel 50th design.docx pls"), intent("Patel cake FINAL (2).docx → Patel 50th design.docx"));
        assert_eq!(intent("stick the moodboard zip in Orders/2027 would you"), intent("stick the moodboard zip in Orders/2027"));
        assert_eq!(intent("want a spare copy of swim log.csv in Backups"), copied("swim log.csv", "Backups"));
        // A file's name is kept as typed, short words and all.
        assert_eq!(intent("open u.txt"), Intent::Open { what: "u.txt".into() });
        assert_eq!(spelled_out("dont need ur notes, thx"), "don't need your notes, thanks");
    }

    #[test]
    fn requests_said_naturally_are_read_for_the_verb_their_words_say() {
        assert_eq!(intent("would you mind binning the old ringtone?"), Intent::Trash { files: "the old ringtone".into() });
        assert_eq!(
            intent("I'd like a folder named receipts under Documents/Finance"),
            Intent::CreateFolder { name: "receipts".into(), place: Some("Documents/Finance".into()), open: false }
        );
        assert_eq!(
            intent("change the name of cv.md to cv-2026.md"),
            Intent::Rename { files: "cv.md".into(), to: NewName::Exact("cv-2026.md".into()) }
        );
        assert_eq!(intent("put a copy of the tax return in Downloads"), copied("the tax return", "Downloads"));
        assert_eq!(
            intent("the garden notes into a new folder Documents/Garden, please"),
            moved("the garden notes", "Documents/Garden")
        );
        assert_eq!(
            intent("move the seed list into a new folder called Garden in Documents"),
            moved("the seed list", "Documents/Garden")
        );
        assert_eq!(
            intent("move document (3).pdf into a new Suppliers folder in Documents/Work"),
            moved("document (3).pdf", "Documents/Work/Suppliers")
        );
        assert_eq!(intent("the old drafts should go in the trash"), Intent::Trash { files: "the old drafts".into() });
        assert_eq!(intent("setup-notes.txt is not needed any more, bin it"), Intent::Trash { files: "setup-notes.txt".into() });
    }

    #[test]
    fn a_folder_asked_for_with_its_name_and_place_in_any_order_is_created() {
        reads_as(&[
            ("need a new folder, Whitby 2026, inside Videos", created("Whitby 2026", "Videos")),
            ("Isla needs a Year 6 folder inside Documents/School/Isla, can you make one?", created("Year 6", "Documents/School/Isla")),
            ("Pictures could do with a folder called Scans", created("Scans", "Pictures")),
        ]);
    }

    #[test]
    fn a_copy_wanted_in_a_new_folder_is_a_copy_into_it() {
        reads_as(&[
            ("Dan needs the car insurance too, a copy in a new Dan folder in Documents please", copied("the car insurance", "Documents/Dan")),
            ("I want the knitting pattern out of Downloads and in a new Knitting folder under Documents", moved("the knitting pattern in Downloads", "Documents/Knitting")),
        ]);
    }

    #[test]
    fn a_file_wanted_by_its_name_is_not_renamed() {
        assert!(read("I need the spreadsheet called budget").map_or(true, |r| !matches!(r.intent, Intent::Rename { .. })));
        assert!(read("can I have the photo called beach day").map_or(true, |r| !matches!(r.intent, Intent::Rename { .. })));
    }

    #[test]
    fn the_folder_a_file_is_in_is_shown_whatever_verb_brings_it_up() {
        reads_as(&[
            ("where's the invoice log kept? pop open its folder", revealed("the invoice log")),
            ("the Patel final design, can you bring up the folder it's sitting in?", revealed("the Patel final design")),
            ("which folder is the MOT certificate in? take me there", revealed("the MOT certificate")),
            ("I want to see which folder the lease is in", revealed("the lease")),
            ("which folder did the chrome download end up in? point me at it", revealed("the chrome download")),
            ("where does the LISA statement live? show me the folder", revealed("the LISA statement")),
        ]);
    }

    #[test]
    fn watching_listening_reading_and_viewing_a_file_open_it() {
        reads_as(&[
            ("can I watch the marathon finish video?", Intent::Open { what: "the marathon finish video".into() }),
            ("let me listen to riff idea.wav", Intent::Open { what: "riff idea.wav".into() }),
        ]);
    }

    #[test]
    fn a_folder_wished_for_in_other_words_is_created() {
        reads_as(&[
            ("could we have a new folder called Planning in Documents/House?", created("Planning", "Documents/House")),
            ("a folder for the receipts would be handy - Documents/Money/2026-27 please", created("2026-27", "Documents/Money")),
            ("set up a folder called Uwch in my Welsh folder for next year's course", created("Uwch", "Welsh")),
        ]);
    }

    #[test]
    fn files_no_longer_needed_go_to_the_trash() {
        reads_as(&[
            ("I don't need the zoom installer any more", Intent::Trash { files: "the zoom installer".into() }),
            ("the ubuntu iso can go in the bin now, I've made the USB stick", Intent::Trash { files: "the ubuntu iso".into() }),
        ]);
    }

    #[test]
    fn files_then_what_to_do_with_them_as_a_participle() {
        reads_as(&[
            ("both versions of the minutes, copied to the Desktop please", copied("both versions of the minutes", "Desktop")),
        ]);
    }

    #[test]
    fn targets_split_at_the_last_preposition_and_the_trash_is_a_place() {
        assert_eq!(
            intent("move the notes to do with taxes to the Finance folder"),
            moved("the notes to do with taxes", "Finance")
        );
        assert_eq!(intent("copy all the invoices from ACME into Backup/2025"), copied("invoices from ACME", "Backup/2025"));
        assert_eq!(intent("move old logs to the trash"), Intent::Trash { files: "old logs".into() });
        assert_eq!(intent("put the big videos in the bin"), Intent::Trash { files: "the big videos".into() });
        let deleted = read("delete the drafts from 2019").unwrap();
        assert_eq!(deleted.intent, Intent::Trash { files: "the drafts from 2019".into() });
        assert!(deleted.notes[0].contains("never deletes"), "{:?}", deleted.notes);
    }

    #[test]
    fn folders_are_named_in_several_ways() {
        assert_eq!(intent("make a taxes folder in Documents"), Intent::CreateFolder { name: "taxes".into(), place: Some("Documents".into()), open: false });
        assert_eq!(intent("new folder \"Q3 plans\""), Intent::CreateFolder { name: "Q3 plans".into(), place: None, open: false });
        assert_eq!(intent("create a directory named drafts inside the Writing folder"), Intent::CreateFolder { name: "drafts".into(), place: Some("Writing".into()), open: false });
        assert!(matches!(read("create a spreadsheet"), Err(Unread::Missing(m)) if m.contains("folder")));
        assert!(matches!(read("create a folder"), Err(Unread::Missing(m)) if m.contains("its name")));
    }

    #[test]
    fn open_starts_applications_shows_files_and_terminals() {
        assert_eq!(intent("open the budget spreadsheet"), Intent::Open { what: "the budget spreadsheet".into() });
        assert_eq!(intent("launch firefox"), Intent::Launch { app: "firefox".into() });
        assert_eq!(intent("start up the text editor"), Intent::Launch { app: "text editor".into() });
        assert_eq!(intent("open a terminal in Projects/nook"), Intent::Terminal { place: Some("Projects/nook".into()) });
        assert_eq!(intent("open a terminal"), Intent::Terminal { place: None });
        assert_eq!(intent("see budget.csv"), Intent::Open { what: "budget.csv".into() });
        assert_eq!(intent("show report.pdf in its folder"), Intent::Reveal { files: "report.pdf".into() });
        assert_eq!(intent("show me where the lease is"), Intent::Reveal { files: "the lease".into() });
        assert_eq!(intent("open the folder containing budget.ods"), Intent::Reveal { files: "budget.ods".into() });
    }

    #[test]
    fn commands_are_split_into_words_never_for_a_shell() {
        assert_eq!(
            intent("run convert 'my photo.png' out.jpg"),
            Intent::Run { argv: vec!["convert".into(), "my photo.png".into(), "out.jpg".into()] }
        );
        assert_eq!(split_argv(r#"echo "a \"b\"" c\ d; rm -rf ~"#).unwrap(), vec!["echo", "a \"b\"", "c d;", "rm", "-rf", "~"]);
        assert!(split_argv("echo 'open").is_err());
    }

    #[test]
    fn new_names_keep_extensions_and_add_prefixes_once() {
        assert_eq!(NewName::Prefix("2025-Q3-".into()).apply("report.pdf"), "2025-Q3-report.pdf");
        assert_eq!(NewName::Prefix("2025-Q3-".into()).apply("2025-Q3-report.pdf"), "2025-Q3-report.pdf");
        assert_eq!(NewName::Suffix("-final".into()).apply("report.v2.pdf"), "report.v2-final.pdf");
        assert_eq!(NewName::Exact("2025 budget".into()).apply("budget.ods"), "2025 budget.ods");
        assert_eq!(NewName::Exact("notes.md".into()).apply("notes.txt"), "notes.md");
        assert_eq!(intent("rename q3.pdf to \"2025-Q3 report\""), Intent::Rename { files: "q3.pdf".into(), to: NewName::Exact("2025-Q3 report".into()) });
        assert_eq!(intent("rename the drafts to …-old"), Intent::Rename { files: "the drafts".into(), to: NewName::Suffix("-old".into()) });
    }

    #[test]
    fn requests_without_a_verb_say_what_to_type() {
        assert_eq!(read("  "), Err(Unread::Empty));
        assert!(matches!(read("the screenshots from last week"), Err(Unread::NoVerb(_))));
        assert!(matches!(read("move the screenshots"), Err(Unread::Missing(m)) if m.contains("where to")));
        assert!(matches!(read("rename report.pdf"), Err(Unread::Missing(m)) if m.contains("new name")));
    }

    #[test]
    fn a_verb_chosen_by_the_model_gets_its_parts_from_the_rest() {
        let reading = read_as(Verb::Move, "I'd love last week's screenshots to end up in Pictures/Screenshots").unwrap();
        let Intent::Move { files, to } = reading.intent else { panic!("{reading:?}") };
        assert_eq!(to, "Pictures/Screenshots");
        assert!(files.contains("last week's screenshots"), "{files}");
        assert_eq!(read_as(Verb::Trash, "tidy away the old drafts").unwrap().intent, Intent::Trash { files: "tidy away the old drafts".into() });
    }

    #[test]
    fn no_request_breaks_the_reader() {
        let pieces = ["move", "the", "—", "é", "📁", "into", "a new folder", ":", " - ", "called", "it", "?", ",", "should be called", "'s name", "bin", "\"", "to"];
        // Every sequence of up to three pieces, joined with and without spaces.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for text in [format!("{a} {b} {c}"), format!("{a}{b}{c}")] {
                        let _ = read(&text);
                        let _ = said(&text);
                    }
                }
            }
        }
    }

    #[test]
    fn deictic_words_point_at_the_selection() {
        assert!(is_deictic("these reports"));
        assert!(is_deictic("them"));
        assert!(is_deictic("the selected files"));
        assert!(!is_deictic("the reports"));
    }
}
