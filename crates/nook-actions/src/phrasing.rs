//! How people ask: from a request as typed to the imperative the slot
//! reader of [`crate::request`] reads ("VERB the files to the place").
//!
//! People wrap what they want in politeness ("would you mind …", "I'd like
//! …"), inflect the verb ("binning"), say it in a construction rather than
//! a verb ("put a copy of X in Y", "change the name of X to Y", "X should
//! go in the bin", "a new folder called N under P"), or put it after what
//! it acts on ("setup-notes.txt is not needed any more, bin it"). Each of
//! these is a mechanism here, tried in a fixed order; the verb the words
//! say wins over a light verb that only carries it ("put", "make").
//!
//! Everything is pure and works on ASCII-lowercased text, whose byte
//! offsets are those of the text as typed, so what is handed on keeps the
//! person's capitals.

use crate::request::Verb;

/// How much a verb says about the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// The verb is the action: "copy", "rename", "trash".
    Content,
    /// The verb only carries a construction: "put a copy of …", "make a
    /// folder …". Read as its action when nothing says more.
    Light,
}

/// Verbs, with the words after the first that belong to them. The first
/// word is matched in any inflection ("binning", "copied", "threw").
const VERBS: &[(&str, Verb, Weight)] = &[
    ("move to the trash", Verb::Trash, Weight::Content),
    ("move to trash", Verb::Trash, Weight::Content),
    ("throw away", Verb::Trash, Weight::Content),
    ("throw out", Verb::Trash, Weight::Content),
    ("get rid of", Verb::Trash, Weight::Content),
    ("send to the trash", Verb::Trash, Weight::Content),
    ("show me where", Verb::Reveal, Weight::Content),
    ("take me to", Verb::Reveal, Weight::Content),
    ("take me", Verb::Reveal, Weight::Content),
    ("point me to", Verb::Reveal, Weight::Content),
    ("point me at", Verb::Reveal, Weight::Content),
    ("highlight", Verb::Reveal, Weight::Content),
    ("show me", Verb::Open, Weight::Content),
    ("have a look at", Verb::Open, Weight::Content),
    ("take a look at", Verb::Open, Weight::Content),
    ("a look at", Verb::Open, Weight::Content),
    ("read", Verb::Open, Weight::Content),
    ("show where", Verb::Reveal, Weight::Content),
    ("open the folder containing", Verb::Reveal, Weight::Content),
    ("open the folder that contains", Verb::Reveal, Weight::Content),
    ("open the folder with", Verb::Reveal, Weight::Content),
    ("open the folder of", Verb::Reveal, Weight::Content),
    ("open the location of", Verb::Reveal, Weight::Content),
    ("back up", Verb::Copy, Weight::Content),
    ("fire up", Verb::Open, Weight::Content),
    ("bring up", Verb::Open, Weight::Content),
    ("set up", Verb::CreateFolder, Weight::Light),
    ("create", Verb::CreateFolder, Weight::Content),
    ("make", Verb::CreateFolder, Weight::Light),
    ("mkdir", Verb::CreateFolder, Weight::Content),
    ("new", Verb::CreateFolder, Weight::Light),
    ("add", Verb::CreateFolder, Weight::Light),
    ("move", Verb::Move, Weight::Content),
    ("relocate", Verb::Move, Weight::Content),
    ("transfer", Verb::Move, Weight::Content),
    ("shift", Verb::Move, Weight::Content),
    ("put", Verb::Move, Weight::Light),
    ("drag", Verb::Move, Weight::Light),
    ("file", Verb::Move, Weight::Light),
    ("stick", Verb::Move, Weight::Light),
    ("stash", Verb::Move, Weight::Light),
    ("drop", Verb::Move, Weight::Light),
    ("pop open", Verb::Open, Weight::Content),
    ("pop", Verb::Move, Weight::Light),
    ("shove", Verb::Move, Weight::Light),
    ("place", Verb::Move, Weight::Light),
    ("send", Verb::Move, Weight::Light),
    ("copy", Verb::Copy, Weight::Content),
    ("duplicate", Verb::Copy, Weight::Content),
    ("clone", Verb::Copy, Weight::Content),
    ("rename", Verb::Rename, Weight::Content),
    ("retitle", Verb::Rename, Weight::Content),
    ("trash", Verb::Trash, Weight::Content),
    ("delete", Verb::Trash, Weight::Content),
    ("remove", Verb::Trash, Weight::Content),
    ("erase", Verb::Trash, Weight::Content),
    ("discard", Verb::Trash, Weight::Content),
    ("bin", Verb::Trash, Weight::Content),
    ("chuck", Verb::Trash, Weight::Content),
    ("toss", Verb::Trash, Weight::Content),
    ("ditch", Verb::Trash, Weight::Content),
    ("scrap", Verb::Trash, Weight::Content),
    ("junk", Verb::Trash, Weight::Content),
    ("nuke", Verb::Trash, Weight::Content),
    ("call", Verb::Rename, Weight::Content),
    ("name", Verb::Rename, Weight::Content),
    ("dump", Verb::Trash, Weight::Content),
    ("reveal", Verb::Reveal, Weight::Content),
    ("locate", Verb::Reveal, Weight::Content),
    ("launch", Verb::Launch, Weight::Content),
    ("start", Verb::Launch, Weight::Content),
    ("run", Verb::Run, Weight::Content),
    ("execute", Verb::Run, Weight::Content),
    ("open", Verb::Open, Weight::Content),
    ("pull up", Verb::Open, Weight::Content),
    ("view", Verb::Open, Weight::Content),
    ("edit", Verb::Open, Weight::Content),
    ("show", Verb::Open, Weight::Content),
    ("play", Verb::Open, Weight::Content),
    ("watch", Verb::Open, Weight::Content),
    ("listen to", Verb::Open, Weight::Content),
    ("look at", Verb::Open, Weight::Content),
    ("see", Verb::Open, Weight::Content),
    ("display", Verb::Open, Weight::Content),
];

/// Past forms that no suffix rule gives.
const IRREGULAR: &[(&str, &str)] = &[
    ("threw", "throw"),
    ("thrown", "throw"),
    ("made", "make"),
    ("got", "get"),
    ("gotten", "get"),
    ("sent", "send"),
    ("ran", "run"),
    ("shown", "show"),
    ("showed", "show"),
    ("seen", "see"),
    ("saw", "see"),
    ("stuck", "stick"),
    ("binned", "bin"),
];

/// Nouns that carry a copy: "put a copy of X in Y" copies.
const COPY_NOUNS: &[&str] = &[
    "a copy of", "copies of", "a duplicate of", "duplicates of", "a backup of", "backups of", "a second copy of", "an extra copy of",
    "a backup copy of", "a spare copy of",
];

/// Words after which a verb in mid-request is the request's own: "…, bin
/// it", "I think we should trash the drafts", "then move them".
const BEFORE_A_VERB: &[&str] = &[
    "please", "pls", "kindly", "to", "should", "can", "could", "would", "will", "must", "might", "may", "i", "we", "you", "just", "then", "and",
    "so", "now", "also", "gonna", "wanna", "lets", "let's", "but",
];

/// Words that stand for the folder of the files named earlier: "where's
/// the invoice log? pop open its folder", "X, bring up the folder it's
/// sitting in", "which folder is X in? take me there".
const FOLDER_PRONOUNS: &[&str] = &[
    "its folder", "its location", "their folder", "the folder it's in", "the folder it is in", "the folder it's sitting in",
    "the folder it's kept in", "the folder it lives in", "the folder it's saved in", "the folder they're in", "the folder they are in",
    "where it is", "where it lives", "where they are", "there", "the folder", "that folder", "the location",
];

/// How people say they no longer need files: "I don't need X any more".
const NO_LONGER_NEEDED: &[&str] = &["i don't need ", "i do not need ", "i no longer need ", "we don't need ", "we no longer need "];

/// Words after files no longer needed: "… any more".
const NO_LONGER: &[&str] = &[" any more", " anymore", " now"];

/// Words that stand for the files named earlier: "X is old, bin it".
const PRONOUNS: &[&str] = &["it", "them", "those", "that", "that one", "this one", "those ones", "these", "they"];

/// Words that end the subject of "X should go …", "X is not needed …".
const SUBJECT_ENDS: &[&str] = &[
    "is", "are", "was", "were", "isn't", "aren't", "should", "shouldn't", "can", "could", "must", "needs", "need", "has", "have", "ought",
    "goes", "go", "belongs", "belong", "lives", "live", "will", "would", "don't", "doesn't", "be",
];

/// Verbs of "X should go in Y", "X belongs in Y".
const BELONGS: &[&str] = &["go", "goes", "belong", "belongs", "live", "lives", "sit", "sits", "end up", "ends up", "be", "stay", "stays"];

/// Places a bare "X into Y" moves to.
const INTO: &[&str] = &["into", "over to", "across to"];

/// Things people ask of files that Nook does not do.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("email", "e-mail files"), ("e-mail", "e-mail files"), ("mail", "e-mail files"), ("upload", "upload files"), ("share", "share files"),
    ("print", "print files"), ("post", "post files"), ("fax", "fax files"), ("sync", "sync files"), ("tweet", "post files"),
    ("attach", "attach files"), ("compress", "compress files"), ("zip", "compress files"), ("unzip", "unpack archives"),
    ("extract", "unpack archives"), ("encrypt", "encrypt files"), ("decrypt", "decrypt files"), ("convert", "convert files"),
    ("install", "install programs"), ("uninstall", "uninstall programs"), ("shred", "shred files"), ("wipe", "wipe files"),
    ("burn", "burn files to disc"), ("permanently", "delete files for good (they go to the trash, where they can be brought back)"),
    ("empty", "empty the trash"), ("clear", "empty the trash"),
];

/// What `text` (tidied) asks that Nook does not do ("e-mail", "upload"),
/// when it opens with such a verb.
/// ("zip files from May" names files: the verb must have an object, a
/// determiner or a file name after it, or a "to" further on).
pub fn unsupported(text: &str) -> Option<&'static str> {
    const OBJECT: &[&str] = &["the", "my", "our", "this", "that", "these", "those", "a", "an", "all", "it", "them", "every", "each", "some", "me"];
    let low = text.to_ascii_lowercase();
    let mut words = low.split_whitespace();
    let first = words.next()?;
    let second = words.next().unwrap_or("");
    let object = OBJECT.contains(&second)
        || second.ends_with("'s")
        || low.split_whitespace().skip(1).any(|w| w.contains('.'))
        || low.contains(" to ")
        || (first == "permanently" || second == "out");
    let base = first.strip_suffix("ing").unwrap_or(first);
    let found = UNSUPPORTED.iter().find(|(verb, _)| *verb == first || *verb == base || format!("{base}e") == *verb)?;
    object.then_some(found.1)
}

/// The request as an imperative: the verb, its words as the person said
/// them (base form, lowercase), and the rest, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imperative {
    pub verb: Verb,
    /// How surely the words ask for the verb: a construction ("a copy of",
    /// "should go in") counts as [`Weight::Content`].
    pub weight: Weight,
    pub lead: String,
    pub rest: String,
}

impl Imperative {
    fn new(verb: Verb, lead: &str, rest: &str) -> Imperative {
        let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        Imperative { verb, weight: Weight::Content, lead: lead.trim().to_string(), rest: rest.trim_matches(',').trim().to_string() }
    }

    fn weighing(mut self, weight: Weight) -> Imperative {
        self.weight = weight;
        self
    }
}

/// A verb found at a word: its verb, weight, words (base form) and where
/// its words end.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cue {
    verb: Verb,
    weight: Weight,
    lead: String,
    end: usize,
}

/// Reads `text` (tidied: no politeness around it) as an imperative, or
/// `None` when no verb or construction says what to do. `wants`: the
/// request opened with what the person wants ("I'd like X in Y").
pub fn imperative(text: &str, wants: bool) -> Option<Imperative> {
    let low = text.to_ascii_lowercase();
    if let Some(said) = folder_of(text, &low).or_else(|| possessive_folder(text, &low)) {
        return Some(said);
    }
    if let Some(cue) = cue_at(&low, 0) {
        // A light verb that merely leads ("New Recording 14 should be
        // called …") gives way to a construction.
        let frame = (cue.weight == Weight::Light).then(|| named_frame(text, &low).or_else(|| passive(text, &low))).flatten();
        return Some(frame.unwrap_or_else(|| from_leading(text, &low, cue)));
    }
    if wants {
        if let Some(said) = wanted_done(text, &low) {
            return Some(said);
        }
    }
    rename_frame(text, &low)
        .or_else(|| named_frame(text, &low))
        .or_else(|| copy_frame(text, &low))
        .or_else(|| passive(text, &low))
        .or_else(|| belongs(text, &low))
        .or_else(|| folder_wanted(text, &low))
        .or_else(|| after_a_colon(text, &low, wants))
        .or_else(|| folder_frame(text, &low))
        .or_else(|| verb_inside(text, &low))
        .or_else(|| reveal_tail(text, &low))
        .or_else(|| open_tail(text, &low, wants))
        .or_else(|| not_needed(text, &low))
        .or_else(|| participle_after_comma(text, &low))
        .or_else(|| bare_into(text, &low, wants))
}

/// Marks where a reason or an aside begins: "…, because I keep losing
/// it", "…? I only use it on my phone".
const ASIDES: &[&str] = &[
    "? ", ". ", "! ", ", so ", ", because ", " because ", ", since ", ", as ", ", to match ", ", i ", ", i've ", ", i'm ", ", i'll ", ", i can't ",
    ", we ", ", he ", ", she ", ", his ", ", her ", ", it's ", ", they ", " so that ", ", so that ", ", the place ", " - i ", " — i ", " — ",
    " - can you ", " - could you ", ", can you ", ", could you ", ", would you ",
];

/// `text` without a reason or an aside after the request, when what comes
/// before reads as a request on its own; else `text`.
pub fn main_clause(text: &str, wants: bool) -> &str {
    let low = text.to_ascii_lowercase();
    let Some(at) = ASIDES.iter().filter_map(|a| low.find(a)).filter(|&at| at > 0).min() else { return text };
    let head = text[..at].trim_end_matches([',', ' ']);
    if imperative(head, wants).is_some() { head } else { text }
}

/// "point me to the folder that has X", "take me to the folder where X
/// is kept", "the folder containing X": show X in its folder.
fn folder_of(text: &str, low: &str) -> Option<Imperative> {
    const LEADS: &[&str] = &["point me to ", "take me to ", "bring me to ", "show me ", "open up ", "open ", "go to ", "navigate to ", "jump to ", "see ", ""];
    const FOLDER: &[&str] = &["the folder ", "the directory ", "the location ", "the place ", "the folder's location ", "which folder ", "what folder "];
    const LINKS: &[&str] = &[
        "that has ", "that holds ", "that contains ", "which has ", "which holds ", "which contains ", "containing ", "holding ", "with ", "of ",
        "for ", "where ",
    ];
    for lead in LEADS {
        let Some(after_lead) = low.strip_prefix(lead) else { continue };
        // "take me to where X lives": where a file is, shown.
        if !lead.is_empty() && !lead.starts_with("open") {
            if let Some(rest) = after_lead.strip_prefix("where ") {
                let at = low.len() - rest.len();
                let mut files = text[at..].trim();
                for tail in [" lives", " is", " are", " sits", " is kept", " is saved", " ended up", " went"] {
                    if files.to_ascii_lowercase().ends_with(tail) {
                        files = files[..files.len() - tail.len()].trim();
                    }
                }
                return Some(Imperative::new(Verb::Reveal, "reveal", files));
            }
        }
        for folder in FOLDER {
            let Some(after_folder) = after_lead.strip_prefix(folder) else { continue };
            for link in LINKS {
                if after_folder.starts_with(link) {
                    let at = low.len() - after_folder.len() + link.len();
                    return Some(Imperative::new(Verb::Reveal, "reveal", &text[at..]));
                }
            }
            // "the folder the sketch is in", "which folder did X end up
            // in? point me at it": the first sentence says which file.
            let sentence = after_folder.split_once("? ").map_or(after_folder, |(first, _)| first).trim_end_matches('?');
            let asked = ["did ", "does ", "is ", "are "].iter().find_map(|d| sentence.strip_prefix(d)).unwrap_or(sentence);
            for tail in [" is in", " are in", " lives in", " is kept in", " sits in", " ended up in", " end up in", " went in", " go in", " is saved in"] {
                if asked.ends_with(tail) {
                    let at = low.len() - after_folder.len() + (sentence.len() - asked.len());
                    return Some(Imperative::new(Verb::Reveal, "reveal", &text[at..at + asked.len() - tail.len()]));
                }
            }
        }
    }
    None
}

/// "I'd like X copied to Y", "I want X gone", "can I have X put in Y":
/// after a wish, the verb in its participle says what to do.
fn wanted_done(text: &str, low: &str) -> Option<Imperative> {
    // "a folder named receipts" is a folder wanted, not a rename.
    if folder_frame(text, low).is_some() {
        return None;
    }
    for (at, word) in words(low).skip(1) {
        let word = word.trim_end_matches([',', '?', '.']);
        if matches!(word, "named" | "called" | "titled") {
            continue;
        }
        if word == "gone" && low[at + word.len()..].trim().is_empty() {
            return Some(Imperative::new(Verb::Trash, "trash", &text[..at]));
        }
        if let Some(said) = done_to(text, low, at, word) {
            return Some(said);
        }
    }
    None
}

/// "I don't need the zoom installer any more": files no longer needed go
/// to the trash.
fn not_needed(text: &str, low: &str) -> Option<Imperative> {
    let lead = NO_LONGER_NEEDED.iter().find(|l| low.starts_with(*l))?;
    let files = without_tail(&text[lead.len()..], NO_LONGER);
    (!files.is_empty()).then(|| Imperative::new(Verb::Trash, "trash", files).weighing(Weight::Light))
}

/// `text` without any of `tails` at its end, trimmed.
fn without_tail<'t>(text: &'t str, tails: &[&str]) -> &'t str {
    let mut text = text.trim();
    for tail in tails {
        if text.to_ascii_lowercase().ends_with(tail) {
            text = text[..text.len() - tail.len()].trim();
        }
    }
    text
}

/// "both versions of the minutes, copied to the Desktop": the files, then
/// what to do with them as a participle after a comma.
fn participle_after_comma(text: &str, low: &str) -> Option<Imperative> {
    let at = low.find(", ")? + 2;
    let word = low[at..].split_whitespace().next()?;
    done_to(text, low, at, word).filter(|said| said.weight == Weight::Content)
}

/// The participle `word` at `at` ("copied", "renamed") as its verb, done
/// to the files said before it.
fn done_to(text: &str, low: &str, at: usize, word: &str) -> Option<Imperative> {
    let cue = cue_at(low, at)?;
    (is_participle(word) && lemma(word) != word).then(|| {
        let files = text[..at].trim().trim_end_matches(',');
        Imperative::new(cue.verb, &cue.lead, &format!("{files} {}", &text[cue.end..])).weighing(cue.weight)
    })
}

/// "the bill up on screen", after a wish "the race info page open": open
/// it.
fn open_tail(text: &str, low: &str, wants: bool) -> Option<Imperative> {
    const TAILS: &[&str] = &[" up on screen", " up on the screen", " on screen", " open"];
    TAILS
        .iter()
        .filter(|t| wants || **t != " open")
        .find(|t| low.ends_with(*t))
        .map(|t| Imperative::new(Verb::Open, "open", &text[..text.len() - t.len()]))
}

/// "the Amália album's folder": the folder of a file, shown.
fn possessive_folder(text: &str, low: &str) -> Option<Imperative> {
    let at = low.find("'s folder").or_else(|| low.find("’s folder"))?;
    let start = ["see ", "show me ", "open ", "take me to "].iter().find(|l| low.starts_with(*l)).map(|l| l.len())?;
    (at > start).then(|| Imperative::new(Verb::Reveal, "reveal", &text[start..at]))
}

/// "X in the file manager": show X in its folder.
fn reveal_tail(text: &str, low: &str) -> Option<Imperative> {
    const TAILS: &[&str] = &[" in the file manager", " in its folder", " in the folder", " in files", " in the files app"];
    TAILS.iter().find(|t| low.ends_with(*t)).map(|t| Imperative::new(Verb::Reveal, "reveal", &text[..text.len() - t.len()]))
}

/// "X should be called Y", "could X be named Y", "X renamed to Y", "give X
/// the name Y", "X needs a proper name: Y".
fn named_frame(text: &str, low: &str) -> Option<Imperative> {
    const MARKS: &[&str] = &[
        " to be called ", " to be named ", " to be renamed to ", " be renamed to ", " be renamed as ", " be renamed ", " be called ", " be named ",
        " renamed to ", " renamed as ", " needs a proper name: ", " needs a new name: ", " needs a better name: ", " needs a name: ",
        " needs a proper name, ", " needs a new name, ", " should get the name ", " needs renaming to ", " needs renaming as ", " were named ",
        " were called ", " was named ", " was called ", " needs a sensible name: ", " needs a sensible name, ", " needs a better name, ",
        " needs a real name: ", " -> ", " → ", " => ",
    ];
    for mark in MARKS {
        if let Some(at) = low.find(mark) {
            let files = strip_modal_tail(&text[..at]);
            let files = strip_question_opening(files);
            let name = text[at + mark.len()..].trim();
            if !files.is_empty() && !name.is_empty() {
                return Some(Imperative::new(Verb::Rename, "rename", &format!("{files} to {name}")));
            }
        }
    }
    // "scan0001.pdf called deposit certificate.pdf": a file's full name,
    // then the one it should have.
    for mark in [" called ", " named "] {
        if let Some(at) = low.find(mark) {
            let (files, name) = (strip_question_opening(text[..at].trim()), text[at + mark.len()..].trim());
            if crate::request::has_extension(files) && !name.is_empty() {
                return Some(Imperative::new(Verb::Rename, "rename", &format!("{files} to {name}")));
            }
        }
    }
    // "give X the name Y", "giving X the name Y".
    let (first, rest) = low.split_once(' ')?;
    if lemma(first) == "give" {
        const NAMES: &[&str] = &[
            " the name ", " the filename ", " a proper name: ", " a new name: ", " a better name: ", " the name: ", " a proper name, ",
            " a new name, ", " a better name, ", " a sensible name: ", " a sensible name, ",
        ];
        let (at, mark) = NAMES.iter().filter_map(|m| rest.find(m).map(|at| (at, m.len()))).min()?;
        let start = first.len() + 1;
        let files = &text[start..start + at];
        let name = &text[start + at + mark..];
        return Some(Imperative::new(Verb::Rename, "rename", &format!("{files} to {name}")));
    }
    None
}

/// "Pictures could do with a folder called Scans", "Documents needs a new
/// folder for receipts": a folder wanted in a place.
fn folder_wanted(text: &str, low: &str) -> Option<Imperative> {
    const NEEDS: &[&str] = &[" could do with ", " needs ", " should have ", " could use ", " would need ", " should get "];
    for need in NEEDS {
        let Some(at) = low.find(need) else { continue };
        let wanted = &low[at + need.len()..];
        let wanted_text = &text[at + need.len()..];
        if folder_frame(wanted_text, wanted).is_some() {
            // "Isla needs a Year 6 folder inside Documents/School/Isla":
            // a place said with the folder is the place; who needs it is not.
            let placed = [" in ", " inside ", " under ", " within "].iter().any(|p| wanted.contains(p));
            if placed {
                return Some(Imperative::new(Verb::CreateFolder, "create", wanted_text));
            }
            let place = text[..at].trim();
            return Some(Imperative::new(Verb::CreateFolder, "create", &format!("{wanted_text} in {place}")));
        }
    }
    None
}

/// "I need somewhere for the drawings: a folder called Drawings inside
/// Clients": what follows a colon or dash, when it reads as a request.
fn after_a_colon(text: &str, low: &str, wants: bool) -> Option<Imperative> {
    let (at, mark) = [": ", " - ", " — ", " – "].iter().filter_map(|m| low.find(m).map(|at| (at, m.len()))).min()?;
    let tail = &text[at + mark..];
    let tail = tail.trim_start_matches(|c: char| c == '-' || c == '—' || c.is_whitespace());
    let (tail, tail_wants) = crate::request::tidy(tail);
    let said = imperative(tail, wants || tail_wants)?;
    // "the old boarding pass — bin it": "it" is what came before.
    let head = &text[..at];
    let antecedent = subject(head, &low[..at]).unwrap_or(head.trim());
    Some(with_antecedent(said, antecedent))
}

/// `said` with a pronoun that starts its object ("bin it", "call it X")
/// replaced by what it stands for.
fn with_antecedent(said: Imperative, antecedent: &str) -> Imperative {
    let object_low = said.rest.to_ascii_lowercase();
    let object = object_low.trim_end_matches(['?', '.', '!']).trim();
    // "there" only after a verb that goes somewhere: "take me there".
    let shows = matches!(said.verb, Verb::Open | Verb::Reveal);
    if shows && FOLDER_PRONOUNS.iter().any(|p| *p == object && (*p != "there" || said.verb == Verb::Reveal)) {
        return Imperative::new(Verb::Reveal, "reveal", antecedent);
    }
    let Some(pronoun) = PRONOUNS.iter().filter(|p| starts_with_words(&object_low, p)).max_by_key(|p| p.len()) else { return said };
    let after = said.rest[pronoun.len()..].trim();
    if said.verb == Verb::Rename && matches!(said.lead.as_str(), "call" | "name") {
        return Imperative::new(Verb::Rename, "rename", &format!("{antecedent} to {after}"));
    }
    Imperative::new(said.verb, &said.lead, &format!("{antecedent} {after}")).weighing(said.weight)
}

/// The verb that leads `low`, as [`imperative`] reads it, and the rest of
/// the text after its words: for the planning model's verb, whose parts
/// are read from what follows.
pub fn leading(text: &str) -> Option<(Verb, String, &str)> {
    let low = text.to_ascii_lowercase();
    let cue = cue_at(&low, 0)?;
    Some((cue.verb, cue.lead, &text[cue.end..]))
}

/// A leading verb, unless the words right after it say more: "put a copy
/// of X in Y" copies, "make a copy of X" too.
fn from_leading(text: &str, low: &str, cue: Cue) -> Imperative {
    let after = skip_spaces(low, cue.end);
    if cue.weight == Weight::Light || cue.verb == Verb::Move {
        if let Some(noun) = COPY_NOUNS.iter().find(|n| starts_with_words(&low[after..], n)) {
            let end = after + noun.len();
            return Imperative::new(Verb::Copy, "copy", &text[end..]);
        }
        // "so put a copy in Downloads": a copy of what came before ("it").
        if starts_with_words(&low[after..], "a copy") {
            return Imperative::new(Verb::Copy, "copy", &format!("it {}", &text[after + "a copy".len()..]));
        }
    }
    Imperative::new(cue.verb, &cue.lead, &text[cue.end..]).weighing(cue.weight)
}

/// "change the name of X to Y", "update X's name to Y".
fn rename_frame(text: &str, low: &str) -> Option<Imperative> {
    const CHANGE: &[&str] = &["change", "update", "fix", "edit", "alter", "set", "correct", "switch"];
    for (at, word) in words(low) {
        if !CHANGE.contains(&lemma(word).as_str()) {
            continue;
        }
        let after = skip_spaces(low, at + word.len());
        for frame in ["the file name of", "the filename of", "the name of", "the title of", "name of"] {
            if starts_with_words(&low[after..], frame) {
                return Some(Imperative::new(Verb::Rename, "rename", &text[after + frame.len()..]));
            }
        }
        // "change X's name to Y": the possessive names the file.
        let rest = &low[after..];
        for mark in ["'s name ", "'s filename ", "'s file name ", "’s name "] {
            if let Some(found) = rest.find(mark) {
                let files = &text[after..after + found];
                let tail = &text[after + found + mark.len()..];
                return Some(Imperative::new(Verb::Rename, "rename", &format!("{files} {tail}")));
            }
        }
    }
    None
}

/// "a copy of X in Y" with no verb before it ("I'd like a copy of …").
fn copy_frame(text: &str, low: &str) -> Option<Imperative> {
    if let Some(noun) = COPY_NOUNS.iter().find(|n| starts_with_words(low, n)) {
        return Some(Imperative::new(Verb::Copy, "copy", &text[noun.len()..]));
    }
    // "my insulin note should have a copy in Travel/Lisbon too": a copy
    // the files should have, and where it goes.
    const HAVING: &[&str] = &[" should have ", " needs ", " could have ", " could do with ", " wants ", " should get "];
    const COPY: &[&str] = &["a copy ", "another copy ", "a second copy ", "a spare copy ", "a backup copy ", "an extra copy ", "a backup "];
    for having in HAVING {
        let Some(at) = low.find(having) else { continue };
        let after = at + having.len();
        let Some(noun) = COPY.iter().find(|n| low[after..].starts_with(*n)) else { continue };
        let place = &text[after + noun.len()..];
        if ["in ", "into ", "on ", "inside ", "under "].iter().any(|p| place.to_ascii_lowercase().starts_with(p)) {
            return Some(Imperative::new(Verb::Copy, "copy", &format!("{} {}", text[..at].trim(), strip_copy_words(place))));
        }
    }
    // "the lease, a copy on the Desktop"; "Dan needs the car insurance
    // too, a copy in a new Dan folder": the files said first, then a copy
    // and where it goes.
    let at = [", a copy ", ", copy ", " — a copy ", " - a copy "].iter().filter_map(|m| low.find(m).map(|at| (at, m.len()))).min()?;
    let (at, len) = at;
    let place = &text[at + len..];
    if !["in ", "into ", "on ", "to ", "inside ", "under "].iter().any(|p| place.to_ascii_lowercase().starts_with(p)) {
        return None;
    }
    let head = &text[..at];
    let head_low = &low[..at];
    // "Dan needs X": X, not who needs it.
    let files = [" needs ", " wants ", " would like ", " should have ", " could use "]
        .iter()
        .find_map(|w| head_low.find(w).map(|i| &head[i + w.len()..]))
        .unwrap_or(head);
    Some(Imperative::new(Verb::Copy, "copy", &format!("{} {place}", files.trim())))
}

/// "X should be moved to Y", "the old drafts can be deleted", "cv.md needs
/// to be renamed to Z": the verb in its past participle after "be".
fn passive(text: &str, low: &str) -> Option<Imperative> {
    let all: Vec<(usize, &str)> = words(low).collect();
    for pair in all.windows(2) {
        let [(_, be), (at, _)] = pair else { continue };
        if !matches!(*be, "be" | "get" | "is" | "are") {
            continue;
        }
        let Some(cue) = cue_at(low, *at) else { continue };
        if cue.weight != Weight::Content || !is_participle(&low[*at..cue.end]) {
            continue;
        }
        let files = subject(text, low)?;
        return Some(Imperative::new(cue.verb, &cue.lead, &format!("{files} {}", &text[cue.end..])));
    }
    None
}

/// `place` without what says it is a copy: "Y, a copy", "Y as well".
fn strip_copy_words(place: &str) -> &str {
    let low = place.to_ascii_lowercase();
    let cut = [", a copy", " a copy", " as well", " too", " — copy", " - copy"].iter().filter_map(|m| low.find(m)).min();
    cut.map_or(place, |at| &place[..at]).trim()
}

/// "X should go in the bin", "X belongs in Documents/Finance".
fn belongs(text: &str, low: &str) -> Option<Imperative> {
    // "Documents/Recipes is where the focaccia recipe goes".
    if let Some(at) = low.find(" is where ") {
        let place = text[..at].trim();
        let mut files = text[at + " is where ".len()..].trim();
        for tail in [" goes", " go", " belongs", " belong", " lives", " live", " should go", " should be"] {
            if files.to_ascii_lowercase().ends_with(tail) {
                files = files[..files.len() - tail.len()].trim();
            }
        }
        if !place.is_empty() && !files.is_empty() {
            return Some(Imperative::new(Verb::Move, "move", &format!("{files} into {place}")));
        }
    }
    for (at, _) in words(low) {
        let Some(verb) = BELONGS.iter().find(|v| starts_with_words(&low[at..], v)) else { continue };
        let after = skip_spaces(low, at + verb.len());
        // "X can go": away, to the bin.
        if matches!(*verb, "go" | "goes") && low[after..].trim_matches(['.', '!', ' ']).is_empty() {
            return subject(text, low).map(|files| Imperative::new(Verb::Trash, "trash", files));
        }
        let prep = ["into", "in", "to", "inside", "under", "with"].iter().find(|p| starts_with_words(&low[after..], p))?;
        let files = subject(text, low)?;
        let place = &text[after + prep.len()..];
        // "X should also be in Y", "…, a copy please": in both places.
        let both = [" also ", " as well", " too", "a copy", " copy "].iter().any(|m| low.contains(m));
        let verb = if both { Verb::Copy } else { Verb::Move };
        let place = strip_copy_words(place);
        return Some(Imperative::new(verb, if both { "copy" } else { "move" }, &format!("{files} into {place}")));
    }
    None
}

/// A verb after the words it acts on, or after words that lead up to it:
/// "setup-notes.txt is not needed any more, bin it", "I think we should
/// trash the old drafts".
fn verb_inside(text: &str, low: &str) -> Option<Imperative> {
    let all: Vec<(usize, &str)> = words(low).collect();
    for (i, &(at, _)) in all.iter().enumerate().skip(1) {
        let before = all[i - 1].1;
        let after_a_clause = low[..at].trim_end().ends_with([',', ';', ':', '?', '.', '!']);
        if !after_a_clause && !BEFORE_A_VERB.contains(&before.trim_end_matches([',', ';', ':'])) {
            continue;
        }
        // A light verb ("put", "pop") only after a clause: "the pattern,
        // pop it on the Desktop".
        let after_a_joint = matches!(before, "so" | "then" | "but" | "and");
        let Some(cue) = cue_at(low, at).filter(|c| c.weight == Weight::Content || after_a_clause || after_a_joint) else { continue };
        // Only the base form: "the notes about moving house" is no request.
        if low[at..].split_whitespace().next().is_some_and(|w| lemma(w) != w) {
            continue;
        }
        let said = from_leading(&text[at..], &low[at..], Cue { end: cue.end - at, ..cue.clone() });
        return Some(match subject(text, low) {
            Some(files) => with_antecedent(said, files),
            None => said,
        });
    }
    None
}

/// "a new folder called Taxes in Documents", "one more directory for the
/// receipts": a folder asked for with no verb.
fn folder_frame(text: &str, low: &str) -> Option<Imperative> {
    let mut at = 0;
    for article in ["a ", "an ", "one more ", "one ", "another ", "some "] {
        if low.starts_with(article) {
            at = article.len();
            break;
        }
    }
    for adjective in ["new ", "empty ", "separate ", "fresh "] {
        if low[at..].starts_with(adjective) {
            at += adjective.len();
        }
    }
    // "a folder", "a Boiler folder", "a new Half Marathon folder".
    let folder = at > 0 || low[at..].starts_with("folder") || low[at..].starts_with("subfolder") || low[at..].starts_with("dir");
    let named_before = low[at..].split_whitespace().take(4).position(|w| matches!(w.trim_end_matches(','), "folder" | "directory" | "dir" | "subfolder"));
    (folder && named_before.is_some()).then(|| Imperative::new(Verb::CreateFolder, "create", text).weighing(Weight::Light))
}

/// "the garden notes into a new folder Documents/Garden": no verb, but a
/// place the files go into; after "I'd like …", "X in Y" too.
fn bare_into(text: &str, low: &str, wants: bool) -> Option<Imperative> {
    let preps: &[&str] = if wants { &["into", "over to", "across to", "in", "inside", "on", "to", "under"] } else { INTO };
    if !preps.iter().any(|prep| low.contains(&format!(" {prep} "))) {
        return None;
    }
    // "X on the Desktop as well as in the school folder": in both places.
    let both = [" as well", " also ", " too"].iter().any(|m| low.contains(m));
    let said = if both { Imperative::new(Verb::Copy, "copy", strip_copy_words(text)) } else { Imperative::new(Verb::Move, "move", text) };
    Some(said.weighing(Weight::Light))
}

/// The words a request opens with, before the verb of "X should …":
/// what the verb acts on. "I don't need X any more" and "where's X?"
/// give X.
fn subject<'t>(text: &'t str, low: &str) -> Option<&'t str> {
    const CLAUSE_ENDS: &[char] = &[',', ';', '?', '.', '!', ':'];
    let opening = strip_question_opening(text);
    let start = text.len() - opening.len();
    let mut start = start;
    for lead in NO_LONGER_NEEDED.iter().chain(&["i don't use ", "i never use ", "i don't want "]) {
        if low[start..].starts_with(lead) {
            start += lead.len();
        }
    }
    let end = words(low)
        .filter(|(at, _)| *at > start)
        .find(|(_, w)| SUBJECT_ENDS.contains(&w.trim_end_matches(CLAUSE_ENDS)) || w.ends_with(CLAUSE_ENDS))
        .map(|(at, w)| if w.ends_with(CLAUSE_ENDS) && !SUBJECT_ENDS.contains(&w.trim_end_matches(CLAUSE_ENDS)) { at + w.len() - 1 } else { at })
        .unwrap_or(low.len());
    let mut files = text[start..end].trim().trim_end_matches(CLAUSE_ENDS).trim();
    files = without_tail(files, NO_LONGER);
    // "where's X kept?", "which folder is X in?": where X is, not X.
    if opening.len() < text.len() {
        files = without_tail(files, &[" kept", " saved", " stored", " located", " sitting", " end up in", " end up", " in", " live", " sit"]);
    }
    (!files.is_empty() && end < low.len()).then_some(files)
}

/// `text` without a question's opening: "where's the iso" → "the iso",
/// "could X" → "X".
fn strip_question_opening(text: &str) -> &str {
    const OPENINGS: &[&str] = &[
        "where's ", "where is ", "where are ", "where does ", "where do ", "which folder is ", "which folder are ", "what folder is ",
        "which folder did ", "what folder did ", "where did ",
        "have you seen ", "could ", "can ", "would ", "should ",
    ];
    let low = text.to_ascii_lowercase();
    OPENINGS.iter().find(|o| low.starts_with(*o)).map_or(text, |o| text[o.len()..].trim_start())
}

/// `text` without the modal at its end: "cv.md should" → "cv.md".
fn strip_modal_tail(text: &str) -> &str {
    // With the adverbs that lean on them: "X should really be called Y".
    const MODALS: &[&str] = &[
        " should", " could", " can", " must", " needs", " need", " has", " have", " ought", " will", " would", " is", " are", " really",
        " probably", " actually", " definitely", " honestly",
    ];
    let mut text = text.trim();
    loop {
        let low = text.to_ascii_lowercase();
        match MODALS.iter().find(|m| low.ends_with(*m)) {
            Some(m) => text = text[..text.len() - m.len()].trim_end(),
            None => return text,
        }
    }
}

/// The verb whose words start at byte `at` of `low`, if any: the longest.
fn cue_at(low: &str, at: usize) -> Option<Cue> {
    let first = low[at..].split_whitespace().next()?;
    let base = lemma(first);
    let end_first = at + first.len();
    VERBS
        .iter()
        .filter_map(|(words, verb, weight)| {
            let (head, tail) = words.split_once(' ').unwrap_or((words, ""));
            if head != base {
                return None;
            }
            let end = if tail.is_empty() {
                end_first
            } else {
                let after = skip_spaces(low, end_first);
                if !starts_with_words(&low[after..], tail) {
                    return None;
                }
                after + tail.len()
            };
            Some(Cue { verb: *verb, weight: *weight, lead: (*words).to_string(), end })
        })
        .max_by_key(|c| c.lead.len())
}

/// The base form of `word` when it is an inflection of a verb Nook knows
/// ("binning" → "bin", "copied" → "copy", "threw" → "throw"); else the
/// word itself. Never from an -s form: "files", "copies" and "shows" in a
/// request are nouns, as a request never says "he moves".
pub fn lemma(word: &str) -> String {
    let word = word.trim_end_matches([',', ';', ':']);
    if let Some((_, base)) = IRREGULAR.iter().find(|(form, _)| *form == word) {
        return (*base).to_string();
    }
    let known = |w: &str| VERBS.iter().any(|(words, ..)| words.split(' ').next() == Some(w)) || matches!(w, "change" | "update" | "give");
    if known(word) {
        return word.to_string();
    }
    let mut candidates: Vec<String> = Vec::new();
    for suffix in ["ing", "ed"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            candidates.push(stem.to_string());
            candidates.push(format!("{stem}e"));
            let b = stem.as_bytes();
            if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] {
                candidates.push(stem[..stem.len() - 1].to_string());
            }
        }
    }
    if let Some(stem) = word.strip_suffix("ied") {
        candidates.push(format!("{stem}y"));
    }
    candidates.into_iter().find(|c| known(c)).unwrap_or_else(|| word.to_string())
}

/// Whether the verb words starting a cue are a past participle ("moved",
/// "thrown away"): an inflection ending in -ed/-en or an irregular past.
fn is_participle(said: &str) -> bool {
    let first = said.split_whitespace().next().unwrap_or("");
    first.ends_with("ed") || first.ends_with("en") || first.ends_with('n') || IRREGULAR.iter().any(|(form, _)| *form == first) || first == "put"
}

/// The words of `low` with their byte offsets.
fn words(low: &str) -> impl Iterator<Item = (usize, &str)> {
    low.split_whitespace().map(move |w| (w.as_ptr() as usize - low.as_ptr() as usize, w))
}

fn skip_spaces(low: &str, at: usize) -> usize {
    at + (low[at..].len() - low[at..].trim_start().len())
}

/// Whether `low` starts with `phrase` followed by a word boundary.
fn starts_with_words(low: &str, phrase: &str) -> bool {
    low.starts_with(phrase) && low[phrase.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '_' && c != '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Verb, String) {
        let i = imperative(text, false).unwrap_or_else(|| panic!("{text}: no verb read"));
        (i.verb, i.rest)
    }

    /// Each text reads as its verb and the rest of the request.
    fn reads(cases: &[(&str, Verb, &str)]) {
        for &(text, verb, rest) in cases {
            assert_eq!(read(text), (verb, rest.to_string()), "{text}");
        }
    }

    #[test]
    fn inflections_of_a_verb_are_the_verb() {
        for (form, base) in [("binning", "bin"), ("binned", "bin"), ("copied", "copy"), ("moving", "move"), ("moved", "move"), ("renaming", "rename"), ("trashed", "trash"), ("threw", "throw"), ("deleting", "delete"), ("opened", "open")] {
            assert_eq!(lemma(form), base, "{form}");
        }
        for noun in ["notes", "reports", "files", "copies", "shows", "places"] {
            assert_eq!(lemma(noun), noun, "a plural noun is no verb");
        }
    }

    #[test]
    fn a_gerund_after_politeness_is_the_verb() {
        reads(&[("binning the old ringtone", Verb::Trash, "the old ringtone")]);
    }

    #[test]
    fn a_copy_of_is_a_copy_whatever_verb_carries_it() {
        reads(&[
            ("put a copy of the tax return in Downloads", Verb::Copy, "the tax return in Downloads"),
            ("make a copy of budget.csv on the Desktop", Verb::Copy, "budget.csv on the Desktop"),
            ("a copy of the lease into Documents/Housing", Verb::Copy, "the lease into Documents/Housing"),
            ("put the drafts in Archive", Verb::Move, "the drafts in Archive"),
            ("my insulin note should have a copy in Travel/Lisbon too", Verb::Copy, "my insulin note in Travel/Lisbon"),
            ("the lease needs a spare copy on the Desktop", Verb::Copy, "the lease on the Desktop"),
        ]);
    }

    #[test]
    fn change_the_name_of_is_rename() {
        reads(&[
            ("change the name of cv.md to cv-2026.md", Verb::Rename, "cv.md to cv-2026.md"),
            ("update the file name of notes.txt to garden.txt", Verb::Rename, "notes.txt to garden.txt"),
            ("change cv.md's name to resume.md", Verb::Rename, "cv.md to resume.md"),
        ]);
    }

    #[test]
    fn a_verb_after_what_it_acts_on() {
        reads(&[
            ("setup-notes.txt is not needed any more, bin it", Verb::Trash, "setup-notes.txt"),
            ("the old drafts, move them to Archive", Verb::Move, "the old drafts to Archive"),
            ("i think we should trash the old drafts", Verb::Trash, "the old drafts"),
        ]);
        assert_eq!(imperative("the notes about moving house", false), None);
    }

    #[test]
    fn where_files_should_be_is_a_move() {
        reads(&[
            ("the old drafts should go in the trash", Verb::Move, "the old drafts into the trash"),
            ("invoice-0042.txt belongs in Documents/Archive", Verb::Move, "invoice-0042.txt into Documents/Archive"),
            ("the old drafts should be deleted", Verb::Trash, "the old drafts"),
            ("cv.md needs to be renamed to resume.md", Verb::Rename, "cv.md to resume.md"),
        ]);
    }

    #[test]
    fn a_new_name_said_in_other_words_is_a_rename() {
        reads(&[
            ("the untitled document should be called Oakwood ideas", Verb::Rename, "the untitled document to Oakwood ideas"),
            ("Document (2).docx should really be called gymflex letter", Verb::Rename, "Document (2).docx to gymflex letter"),
            ("could New Recording 14.m4a be called guitar practice", Verb::Rename, "New Recording 14.m4a to guitar practice"),
            ("scan0003.pdf called boiler warranty.pdf", Verb::Rename, "scan0003.pdf to boiler warranty.pdf"),
            ("the WhatsApp picture renamed to pond liner", Verb::Rename, "the WhatsApp picture to pond liner"),
            ("giving the planting plan the name plan FINAL", Verb::Rename, "the planting plan to plan FINAL"),
            ("IMG_1.jpg needs a proper name: park frost", Verb::Rename, "IMG_1.jpg to park frost"),
        ]);
    }

    #[test]
    fn the_folder_that_holds_a_file_is_shown() {
        reads(&[
            ("point me to the folder that has pension 2026.pdf", Verb::Reveal, "pension 2026.pdf"),
            ("take me to the folder where my starter notes are kept", Verb::Reveal, "my starter notes are kept"),
            ("panorama.jpg in the file manager", Verb::Reveal, "panorama.jpg"),
        ]);
    }

    #[test]
    fn a_folder_wanted_somewhere_or_after_a_colon_is_created() {
        reads(&[("Pictures could do with a folder called Scans", Verb::CreateFolder, "a folder called Scans in Pictures")]);
        assert_eq!(
            read("somewhere for the drawings: a folder called Drawings inside Clients"),
            (Verb::CreateFolder, "a folder called Drawings inside Clients".into())
        );
    }

    #[test]
    fn after_i_would_like_files_in_a_place_are_moved() {
        let said = imperative("the before photos in the Hartley client folder", true).unwrap();
        assert_eq!((said.verb, said.rest.as_str()), (Verb::Move, "the before photos in the Hartley client folder"));
        assert_eq!(imperative("the before photos in the Hartley client folder", false), None, "without a wish, a search");
    }

    #[test]
    fn a_folder_asked_for_is_created() {
        assert_eq!(read("a folder named receipts under Documents/Finance").0, Verb::CreateFolder);
        assert_eq!(read("a new directory called Music Lessons in Documents").0, Verb::CreateFolder);
    }

    #[test]
    fn a_pronoun_stands_for_what_came_before() {
        reads(&[
            ("the Chen quote isn't a draft any more, call it quote.docx", Verb::Rename, "the Chen quote to quote.docx"),
            ("riff idea.wav is the intro — name it intro.wav", Verb::Rename, "riff idea.wav to intro.wav"),
            ("the knitting pattern, pop it on the Desktop", Verb::Move, "the knitting pattern on the Desktop"),
        ]);
        assert_eq!(main_clause("stash the guide in Notes, I keep losing it", false), "stash the guide in Notes");
        assert_eq!(main_clause("Dan wants the booking, so put a copy in Downloads", false), "Dan wants the booking, so put a copy in Downloads");
    }

    #[test]
    fn after_a_wish_the_participle_says_what_to_do() {
        let said = |t: &str| imperative(t, true).map(|i| (i.verb, i.rest));
        assert_eq!(said("the packing list copied to the Desktop"), Some((Verb::Copy, "the packing list to the Desktop".into())));
        assert_eq!(said("invoice-templates.zip gone"), Some((Verb::Trash, "invoice-templates.zip".into())));
        assert_eq!(said("a folder named receipts under Finance").map(|s| s.0), Some(Verb::CreateFolder));
        reads(&[
            ("the photo should also be in Clients/Hartley, a copy", Verb::Copy, "the photo into Clients/Hartley"),
            ("the old screenshot, the one from May, can go", Verb::Trash, "the old screenshot"),
            ("see the folder the concept sketch is in", Verb::Reveal, "the concept sketch"),
        ]);
    }

    #[test]
    fn dashes_and_other_characters_break_nothing() {
        reads(&[("the old boarding pass — bin it", Verb::Trash, "the old boarding pass")]);
        for text in ["— —", "é: à", "ünïcödé — 📁 into 📂", ": ", " - ", "a — b: c – d"] {
            let _ = imperative(text, true);
            let _ = imperative(text, false);
        }
    }

    #[test]
    fn what_nook_does_not_do_is_named() {
        assert_eq!(unsupported("email the invoice to jane@example.com"), Some("e-mail files"));
        assert_eq!(unsupported("uploading the photos to the cloud"), Some("upload files"));
        assert_eq!(unsupported("shred SA302 2023-24.pdf"), Some("shred files"));
        assert_eq!(unsupported("clearing out the wastebasket"), Some("empty the trash"));
        assert_eq!(unsupported("print Isla's spelling list"), Some("print files"));
        assert_eq!(unsupported("move the photos to Pictures"), None);
        assert_eq!(unsupported("zip files from last week"), None);
        assert_eq!(unsupported("mail from the bank"), None);
    }

    #[test]
    fn files_into_a_place_are_moved() {
        reads(&[("the garden notes into a new folder Documents/Garden", Verb::Move, "the garden notes into a new folder Documents/Garden")]);
        assert_eq!(imperative("the letter to the landlord", false), None);
    }
}
