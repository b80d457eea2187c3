//! Words that carry no meaning for a search, and requests in other
//! languages.

/// Words a request is made of that say nothing about what is sought
/// ("show me all the files I made …").
const FILLER: &[&str] = &[
    "a", "about", "all", "an", "and", "any", "anything", "everything", "something", "are", "at", "be", "been", "by", "can", "could", "did", "do",
    "does", "every", "file", "files", "for", "from", "got", "had", "has", "have", "i",
    "i'd", "i've", "in", "is", "it", "its", "just", "last", "let", "me", "mention",
    "mentioned", "mentioning", "mentions", "my", "need", "of", "on", "one", "ones", "only", "or", "our",
    "please", "put", "see", "some", "stuff", "that", "the", "them", "there", "these",
    "thing", "things", "this", "those", "to", "want", "was", "we", "were", "what", "where", "which", "who",
    "whose", "with", "would", "you", "your", "made", "make", "wrote", "written", "created", "edited",
    "modified", "changed", "saved", "downloaded", "received", "sent", "updated", "worked", "opened", "took",
    "taken", "shot", "recorded", "say", "says", "talk", "talks", "refer", "refers", "containing", "contain",
    "contains", "regarding", "due", "dated", "scheduled", "since", "during", "around", "until",
    "added", "grabbed", "lying", "kept", "stored", "sitting", "i'm", "looking", "anywhere", "somewhere", "over", "wise", "filewise",
    "doing", "here", "keep", "whatever", "pls", "plz", "save", "change", "edit", "create", "add", "download", "whats", "wheres", "thats", "theres", "heres", "im", "ive", "weve", "youve", "theyre",
];

pub(crate) fn is_filler(lower: &str) -> bool {
    FILLER.contains(&lower)
}

/// Verbs of what people do to files that are not written "-ed".
const DONE_TO_FILES: &[&str] = &["wrote", "written", "made", "sent", "took", "did", "done", "got", "put", "kept", "bought", "drew", "sang", "shot"];

/// Whether `verb`, after `subject`, is what the person did to a file: a
/// past tense after "I", "we" or "you" ("I touched", "we wrote", "you
/// scanned"), not a word of what is sought.
pub(crate) fn is_own_doing(subject: &crate::words::Word, verb: &crate::words::Word) -> bool {
    let past = (verb.lower.len() > 4 && verb.lower.ends_with("ed")) || verb.is_any(DONE_TO_FILES);
    is_doer(subject) && !verb.quoted && past
}

/// Whether `word` is the person (or people) who did something to files.
pub(crate) fn is_doer(word: &crate::words::Word) -> bool {
    word.is_any(&["i", "we", "you", "i've", "ive", "we've", "weve", "i'd", "u"])
}

/// How many words at the start of `words` say that files take room ("eating
/// my disk", "taking up space", "cluttering up") or that room is wanted
/// ("running out of space", "need to free up some room"), if they do.
pub(crate) fn taking_room(words: &[crate::words::Word]) -> Option<usize> {
    const VERBS: &[&str] = &[
        "eating", "hogging", "cluttering", "clogging", "filling", "taking", "chewing", "using", "running", "run", "ran", "low", "short",
        "free", "freeing", "clear", "clearing", "make", "making", "save", "saving", "reclaim", "reclaiming", "need", "needs", "want",
    ];
    const BETWEEN: &[&str] = &["up", "my", "all", "the", "so", "much", "most", "of", "too", "a", "lot", "out", "on", "some", "more", "to", "free"];
    const ROOM: &[&str] = &["disk", "disc", "drive", "space", "storage", "room", "ssd", "hard"];
    let verb = words.first().filter(|w| w.is_any(VERBS))?;
    let between = words[1..].iter().take_while(|w| w.is_any(BETWEEN)).count();
    let room = words[1 + between..].iter().take_while(|w| w.is_any(ROOM)).count();
    // "cluttering up", "clogging up" say it alone; "eating" and "taking"
    // only with the room they take ("taking notes" is no such thing).
    let alone = verb.is_any(&["cluttering", "clogging", "hogging"]) && words.get(1).is_some_and(|w| w.is("up"));
    (room > 0 || alone).then_some(if room > 0 { 1 + between + room } else { 2 })
}

/// Verbs of handling files, whose time is when the file was changed
/// ("spreadsheets I changed this quarter", "what did I save …"); not
/// "took", whose photo is of the day in its name.
pub(crate) const HANDLING: &[&str] = &[
    "save", "saved", "change", "changed", "edit", "edited", "modify", "modified", "touch", "touched", "download", "downloaded",
    "work", "worked", "open", "opened", "add", "added", "update", "updated", "grab", "grabbed",
];

/// Verbs of writing a document oneself ("letters I've written").
pub(crate) const WRITING: &[&str] = &["wrote", "written", "typed", "drafted", "composed"];

/// Particles of phrasal verbs that say nothing of a file: "sent out",
/// "printed off", "backed up".
pub(crate) fn is_particle(lower: &str) -> bool {
    matches!(lower, "out" | "off" | "up" | "back" | "away" | "down")
}

/// Verbs a request opens with ("find …", "show me …", "search for …"); only
/// there are they filler: "rust code about search" is about search.
const OPENING_VERBS: &[&str] = &["find", "show", "search", "list", "get", "give", "look", "looking", "locate", "open", "fetch", "display"];

pub(crate) fn is_opening_verb(lower: &str) -> bool {
    OPENING_VERBS.contains(&lower)
}

/// Function words of languages whose requests the rules do not read.
const FOREIGN: &[(&str, &[&str])] = &[
    ("French", &["les", "des", "du", "de", "la", "le", "et", "dans", "pour", "avec", "mes", "ce", "cette", "depuis"]),
    ("German", &["der", "die", "das", "und", "von", "im", "mit", "für", "meine", "aus", "seit", "dem", "den"]),
    ("Spanish", &["los", "las", "del", "de", "la", "el", "y", "en", "para", "con", "mis", "este", "esta", "desde"]),
    ("Italian", &["il", "gli", "della", "di", "e", "per", "con", "miei", "questo", "questa", "dal", "nel"]),
    ("Portuguese", &["os", "as", "do", "da", "de", "e", "em", "para", "com", "meus", "este", "esta", "desde"]),
    ("Dutch", &["het", "een", "van", "met", "voor", "mijn", "deze", "uit", "sinds"]),
];

/// A note for a request that looks written in another language: the rules
/// read only English, so it is searched by its words as typed.
pub(crate) fn foreign_note(words: &[crate::words::Word]) -> Option<String> {
    let english = words.iter().filter(|w| !w.quoted && is_filler(&w.lower)).count();
    let non_latin = words.iter().any(|w| w.text.chars().any(|c| c.is_alphabetic() && !is_latin(c)));
    let hits = FOREIGN
        .iter()
        .map(|(_, list)| words.iter().filter(|w| !w.quoted && list.contains(&w.lower.as_str())).count())
        .max()?;
    let looks_foreign = (hits >= 2 && hits > english) || (non_latin && english == 0);
    looks_foreign.then(|| {
        "Nook reads dates, kinds of file, folders and sizes in English requests; this one is searched by its words as written"
            .to_string()
    })
}

fn is_latin(c: char) -> bool {
    c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)
}
