//! Kinds of file, named the way people name them: "reports", "slides",
//! "photos", "spreadsheets", "pdfs", "videos", "code", "notes".

use nook_core::FileKind::{self, *};

use crate::matching::shortest_form;
use crate::words::Word;
use crate::KindFilter;

struct Noun {
    /// The words; the last word of a phrase of several is also read in the
    /// other number ("voice note" for "voice notes").
    words: &'static [&'static str],
    kinds: &'static [FileKind],
    /// The noun also says what is sought ("reports"), so it stays among the
    /// words searched.
    keep: bool,
    /// The noun names what files are about as much as their format
    /// ("reports", "documents", "notes"): its kinds are preferred, not
    /// required, when other words say what is sought.
    soft: bool,
    /// The extensions the noun names, when narrower than its kinds.
    extensions: &'static [&'static str],
    /// The noun names pictures taken with a camera ("photos", "snaps"),
    /// which screenshots are not.
    taken: bool,
}

const fn noun(words: &'static [&'static str], kinds: &'static [FileKind], keep: bool) -> Noun {
    Noun { words, kinds, keep, soft: false, extensions: &[], taken: false }
}

/// A noun that names formats narrower than a kind: "zips", "installers".
const fn format_noun(words: &'static [&'static str], kinds: &'static [FileKind], extensions: &'static [&'static str]) -> Noun {
    Noun { words, kinds, keep: false, soft: false, extensions, taken: false }
}

/// A noun whose kinds are a preference (see [`Noun::soft`]).
const fn soft_noun(words: &'static [&'static str], kinds: &'static [FileKind], keep: bool) -> Noun {
    Noun { words, kinds, keep, soft: true, extensions: &[], taken: false }
}

/// A noun for pictures taken with a camera (see [`Noun::taken`]).
const fn photo_noun(words: &'static [&'static str]) -> Noun {
    Noun { words, kinds: &[Image], keep: false, soft: false, extensions: &[], taken: true }
}

/// Longer phrases first: "word documents" before "documents".
const NOUNS: &[Noun] = &[
    noun(&["word documents", "word document", "word docs", "word files", "docx files", "docx"], &[Document], false),
    noun(&["excel files", "excel sheets", "excel", "xlsx"], &[Spreadsheet], false),
    noun(&["powerpoint", "powerpoints", "pptx", "slide decks", "slide deck", "slideshows", "slideshow"], &[Presentation], false),
    noun(&["web pages", "web page", "webpages", "html"], &[Html], false),
    noun(&["text files", "text file", "txt"], &[Text], false),
    noun(&["markdown", "md"], &[Markdown], false),
    noun(&["source code", "source files", "code", "scripts", "script"], &[Code], false),
    noun(&["data files", "csv", "csvs", "json"], &[Data], false),
    soft_noun(&["documents", "document", "docs", "doc", "paperwork", "papers"], &[Pdf, Document], false),
    soft_noun(&["reports", "report"], &[Pdf, Document], true),
    soft_noun(&["letters", "letter"], &[Pdf, Document], true),
    noun(&["pdfs", "pdf"], &[Pdf], false),
    noun(&["spreadsheets", "spreadsheet", "sheets", "workbooks", "workbook"], &[Spreadsheet, Data], false),
    noun(&["slides", "slide", "presentations", "presentation", "decks", "deck"], &[Presentation], false),
    soft_noun(&["sheet music", "music scores"], &[Pdf, Document, Image], true),
    photo_noun(&["photos", "photo", "pics", "pic", "pix", "snaps", "snap", "snapshots", "photographs", "photograph"]),
    noun(&["pictures", "picture", "images", "image", "jpgs", "jpegs", "pngs"], &[Image], false),
    noun(&["screenshots", "screenshot"], &[Image], true),
    noun(&["audio recordings", "voice recordings", "voice memos", "voice notes"], &[Audio], false),
    noun(&["videos", "video", "vids", "vid", "clips", "footage"], &[Video], false),
    noun(&["movies", "movie", "films", "film"], &[Video], false),
    noun(&["recordings", "recording"], &[Audio, Video], false),
    noun(&["music", "songs", "song", "tracks", "track", "tunes", "tune", "audio", "podcasts", "mp3s", "mp3", "albums", "album"], &[Audio], false),
    noun(&["emails", "email", "e-mails", "e-mail", "mails", "mail"], &[Email], false),
    soft_noun(&["notes", "note"], &[Text, Markdown], false),
    format_noun(&["zips", "zip files", "zip"], &[Archive], &["zip"]),
    format_noun(&["tarballs", "tarball"], &[Archive], &["tar", "gz", "tgz", "xz", "bz2", "zst"]),
    noun(&["archives", "archive"], &[Archive], false),
    format_noun(&["installers", "installer", "setup files"], &[Archive], &["deb", "rpm", "appimage", "msi", "pkg", "flatpak", "snap", "apk", "dmg"]),
    format_noun(&["disk images", "disk image", "iso images", "iso image", "isos", "iso"], &[Archive], &["iso", "img", "dmg"]),
];

/// Nouns that follow a kind without changing it: "pdf files", "video clips".
const GENERIC: &[&str] = &["files", "file", "documents", "document", "docs"];

/// The words of the nouns `label` (as [`KindFilter::label`]) was read
/// from, each noun's other words too: "films" gives "movies" as well, so
/// `Videos/Movies` is where films are.
pub(crate) fn words_alike(label: &str) -> Vec<&'static str> {
    let said: Vec<String> = label.split(", ").map(|part| part.to_lowercase()).collect();
    let named = |phrase: &str| said.iter().any(|s| s == phrase || s.strip_suffix(" files").is_some_and(|s| s == phrase));
    NOUNS.iter().filter(|noun| noun.words.iter().any(|w| named(w))).flat_map(|noun| noun.words.iter().copied()).collect()
}

/// Whether `lower` is (the first word of) a kind noun.
pub(crate) fn is_kind_word(lower: &str) -> bool {
    NOUNS.iter().any(|noun| noun.words.iter().any(|phrase| phrase.split(' ').next() == Some(lower)))
}

/// The kinds read so far.
#[derive(Debug, Default)]
pub(crate) struct Kinds {
    labels: Vec<String>,
    kinds: Vec<FileKind>,
    /// Whether every noun read was soft.
    soft: Option<bool>,
    /// The extensions named, while every noun read named some.
    extensions: Option<Vec<String>>,
    /// Whether every noun read named pictures taken.
    taken: Option<bool>,
    /// Kinds said not to be wanted, and the words that said so.
    except: Vec<FileKind>,
    except_labels: Vec<String>,
    /// Positions of words to keep among the searched words, taken by the
    /// caller after each read.
    pub keep_words: Vec<usize>,
}

impl Kinds {
    pub(crate) fn finish(self) -> Option<KindFilter> {
        let except: Vec<FileKind> = self.except.into_iter().filter(|k| !self.kinds.contains(k)).collect();
        (!self.kinds.is_empty() || !except.is_empty()).then(|| KindFilter {
            label: self.labels.into_iter().chain(self.except_labels).collect::<Vec<_>>().join(", "),
            soft: self.soft.unwrap_or(false) && !self.kinds.is_empty(),
            kinds: self.kinds,
            extensions: self.extensions.unwrap_or_default(),
            taken: self.taken.unwrap_or(false),
            except,
        })
    }

    /// Notes what one noun named: its extensions (none: the whole kind).
    fn narrow(&mut self, extensions: &[&str]) {
        self.extensions = match (self.extensions.take(), extensions.is_empty()) {
            (_, true) => Some(Vec::new()),
            (Some(so_far), false) if so_far.is_empty() => Some(so_far),
            (so_far, false) => {
                let mut all = so_far.unwrap_or_default();
                all.extend(extensions.iter().map(|e| e.to_string()));
                Some(all)
            }
        };
    }
}

/// The kind of a file with extension `extension` (no dot), if Nook knows it.
fn kind_of_extension(extension: &str) -> Option<FileKind> {
    FileKind::from_path(std::path::Path::new(&format!("file.{extension}")))
}

/// Reads extensions joined by "or", "and" or commas before "files" at
/// `i` ("ogg or wav files", "mp3, flac and ogg files"); the number of
/// words taken. One extension before "files" is read below.
fn extensions(words: &[Word], i: usize, kinds: &mut Kinds) -> Option<usize> {
    fn extension(w: &Word) -> Option<&str> {
        (!w.quoted).then_some(w.lower.as_str()).filter(|e| kind_of_extension(e).is_some())
    }
    let mut said = vec![extension(&words[i])?.to_string()];
    let mut n = 1;
    while words.get(i + n).is_some_and(|w| w.is_any(&["or", "and", "&", "/"])) {
        let Some(next) = words.get(i + n + 1).and_then(extension) else { break };
        said.push(next.to_string());
        n += 2;
    }
    if said.len() < 2 || !words.get(i + n).is_some_and(|w| w.is_any(GENERIC)) {
        return None;
    }
    n += 1;
    kinds.labels.push(words[i..i + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
    kinds.soft = Some(false);
    kinds.taken = Some(false);
    for extension in &said {
        let kind = kind_of_extension(extension).expect("known");
        if !kinds.kinds.contains(&kind) {
            kinds.kinds.push(kind);
        }
    }
    kinds.narrow(&said.iter().map(String::as_str).collect::<Vec<_>>());
    Some(n)
}

/// Programming languages people name their code by: "python files".
const LANGUAGES: &[&str] = &[
    "python", "rust", "javascript", "typescript", "java", "kotlin", "swift", "ruby", "php", "perl", "haskell", "scala",
    "golang", "c++", "c#", "lua", "bash", "shell", "sql",
];

/// Words that say a kind is not wanted: "not the photos", "except
/// emails", "but not videos".
const NOT: &[&[&str]] = &[&["but", "not"], &["not"], &["except"], &["excluding"], &["without"], &["apart", "from"], &["other", "than"], &["minus"]];

/// Reads a kind said not to be wanted at `i` ("not the photos"); the
/// number of words it took.
pub(crate) fn read_except(words: &[Word], i: usize, kinds: &mut Kinds) -> Option<usize> {
    let not = NOT.iter().find(|not| not.iter().enumerate().all(|(k, w)| words.get(i + k).is_some_and(|word| word.is(w))))?;
    let mut at = i + not.len();
    while words.get(at).is_some_and(|w| w.is_any(&["the", "any", "my", "all", "those", "these"])) {
        at += 1;
    }
    let mut unwanted = Kinds::default();
    let n = read(words, at, &mut unwanted)?;
    kinds.except.extend(unwanted.kinds);
    kinds.except_labels.push(words[i..at + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
    Some(at + n - i)
}

/// Reads a kind noun at `i`; the number of words it took.
pub(crate) fn read(words: &[Word], i: usize, kinds: &mut Kinds) -> Option<usize> {
    // "ogg or wav files"
    if let Some(n) = extensions(words, i, kinds) {
        return Some(n);
    }
    // "mp4 files", "psd files" when Nook knows the extension, "python files"
    let w = &words[i];
    if !w.quoted && words.get(i + 1).is_some_and(|n| n.is_any(GENERIC)) {
        let by_extension = FileKind::from_path(std::path::Path::new(&format!("file.{}", w.lower.trim_start_matches('.'))));
        let kind = by_extension.or_else(|| w.is_any(LANGUAGES).then_some(Code));
        if let Some(kind) = kind {
            kinds.labels.push(format!("{} {}", w.text, words[i + 1].text));
            kinds.soft = Some(false);
            kinds.taken = Some(false);
            // "markdown files" are the kind (.md too), "odt files" only .odt.
            let extension = [w.lower.trim_start_matches('.')];
            let whole_kind = w.is_any(LANGUAGES) || kind.as_str() == extension[0];
            kinds.narrow(if whole_kind { &[] } else { &extension });
            if !kinds.kinds.contains(&kind) {
                kinds.kinds.push(kind);
            }
            if w.is_any(LANGUAGES) {
                kinds.keep_words.push(i);
            }
            return Some(2);
        }
    }
    for noun in NOUNS {
        for phrase in noun.words {
            let parts: Vec<&str> = phrase.split(' ').collect();
            // The head noun of a phrase in either number: "voice note" as
            // "voice notes". A lone noun is listed in the numbers it has:
            // "sheets" are spreadsheets, a physio "sheet" is not.
            let head = parts.len() - 1;
            let fits = |k: usize, part: &str, w: &Word| {
                w.is(part) || (k == head && head > 0 && !w.quoted && shortest_form(&w.lower) == shortest_form(part))
            };
            let matches = parts.iter().enumerate().all(|(k, part)| words.get(i + k).is_some_and(|w| fits(k, part, w)));
            if !matches {
                continue;
            }
            let mut n = parts.len();
            if words.get(i + n).is_some_and(|w| w.is_any(GENERIC)) && !GENERIC.contains(&parts[parts.len() - 1]) {
                n += 1;
            }
            kinds.labels.push(words[i..i + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
            for kind in noun.kinds {
                if !kinds.kinds.contains(kind) {
                    kinds.kinds.push(*kind);
                }
            }
            if noun.keep {
                kinds.keep_words.extend(i..i + parts.len());
            }
            kinds.soft = Some(kinds.soft.unwrap_or(true) && noun.soft);
            kinds.taken = Some(kinds.taken.unwrap_or(true) && noun.taken);
            kinds.narrow(noun.extensions);
            return Some(n);
        }
    }
    None
}
