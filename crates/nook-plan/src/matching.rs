//! Checking files' names against a plan: the name pattern, and how well a
//! path matches the plan's words by name.

use crate::{NameMatch, Plan};

/// The file name part of a path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Folders of a path that count for name matches: the nearest three.
const FOLDERS_COUNTED: usize = 3;

impl Plan {
    /// Whether the file at `path` has a name that fits the plan's name
    /// pattern (ignoring case; true when there is none) and the kind asked
    /// for: a screenshot is no photo.
    pub fn name_admits(&self, path: &str) -> bool {
        let file = file_name(path).to_lowercase();
        if self.kinds.as_ref().is_some_and(|k| !k.admits_name(&file)) {
            return false;
        }
        let Some(name) = &self.name else { return true };
        let pattern = name.pattern.to_lowercase();
        match name.how {
            NameMatch::Contains => file.contains(&pattern),
            NameMatch::StartsWith => file.starts_with(&pattern),
            NameMatch::EndsWith => file.ends_with(&pattern),
        }
    }

    /// The plan's words worth looking for in names, in lower case: words
    /// of two letters or more that say something (not "the", "from"…).
    pub fn name_words(&self) -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for word in self.text.split(|c: char| !c.is_alphanumeric()) {
            let word = word.to_lowercase();
            if word.chars().count() < 2 || crate::language::is_filler(&word) || words.contains(&word) {
                continue;
            }
            words.push(word);
        }
        words
    }

    /// Whether `text` holds any of the plan's words worth looking for (as
    /// words, or their singular): a passage that shares none of them was
    /// found by meaning alone.
    pub fn words_in(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        self.name_words().iter().any(|word| matches_in(&text, word))
    }

    /// Whether most of the plan's words worth looking for are held by none
    /// of some files (`held`: for each file, which words it holds, as
    /// [`words_held`] tells): then a file holding one of the others is no
    /// answer ("vet bills for the cat" among files that only mention bills).
    pub fn mostly_unheld(&self, held: &[Vec<bool>]) -> bool {
        let words = self.name_words().len();
        let absent = (0..words).filter(|&w| !held.iter().any(|h| h.get(w).copied().unwrap_or(false))).count();
        words >= 2 && 2 * absent > words
    }

    /// Whether the plan's words name the file at `path`: at least half of
    /// their weight ([`Plan::name_score`]): half of them in the file's name,
    /// or all of them in its folders. A name holding one word of a long
    /// request is chance, not a match.
    pub fn names(&self, path: &str) -> bool {
        let words = self.name_words().len() as u32;
        words > 0 && self.name_score(path) >= words
    }

    /// How well `path` matches the plan's words by name: 2 for each word in
    /// the file's name, 1 for each word found only in one of its nearest
    /// folders; 0 when none matches. Two words written as one in the name
    /// ("warm up" in "Derby warmup") count as both.
    pub fn name_score(&self, path: &str) -> u32 {
        word_scores(&self.name_words(), path).iter().sum()
    }

    /// How `path` is named by the plan's words: how many of them it holds
    /// (in its name or its nearest folders) and their weight
    /// ([`Plan::name_score`]), worked out together.
    pub fn naming(&self, path: &str) -> Naming {
        let scores = word_scores(&self.name_words(), path);
        Naming { words: scores.iter().filter(|s| **s > 0).count(), score: scores.iter().sum() }
    }
}

/// How a path is named by a plan's words ([`Plan::naming`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Naming {
    /// How many of the words the path holds; compared first.
    pub words: usize,
    /// Their weight: [`Plan::name_score`].
    pub score: u32,
}

/// Which of `words` (a plan's [`Plan::name_words`]) the file at `path`
/// holds, in its name, its nearest folders or `text` (a passage of it):
/// "receipt (1).pdf" saying "Lakeland" holds both words of "the lakeland
/// receipt".
pub fn words_held(words: &[String], path: &str, text: &str) -> Vec<bool> {
    let text = text.to_lowercase();
    let named = word_scores(words, path);
    words.iter().zip(named).map(|(word, named)| named > 0 || matches_in(&text, word)).collect()
}

/// Each word's part of [`Plan::name_score`].
fn word_scores(words: &[String], path: &str) -> Vec<u32> {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or_default().to_lowercase();
    let folders: Vec<String> = parts.take(FOLDERS_COUNTED).map(str::to_lowercase).collect();
    let score = |word: &str| {
        if named_in(&file, word) {
            2
        } else if folders.iter().any(|f| named_in(f, word)) {
            1
        } else {
            0
        }
    };
    let mut scores: Vec<u32> = words.iter().map(|w| score(w)).collect();
    for i in 1..words.len() {
        let joined = score(&format!("{}{}", words[i - 1], words[i]));
        scores[i - 1] = scores[i - 1].max(joined);
        scores[i] = scores[i].max(joined);
    }
    scores
}

/// The shortest form of `word` a name may hold to match it: its singular
/// ("screenshot" for "screenshots"), or the word itself. A path that does
/// not contain it cannot match by name.
pub fn shortest_form(word: &str) -> &str {
    singular(word).unwrap_or(word)
}

/// The singular of `word` as a name must start with it: "invoice" for
/// "invoices", "box" for "boxes", and for "policies" the stem "polic",
/// which "policy" starts with.
fn singular(word: &str) -> Option<&str> {
    PLURALS.iter().find_map(|(ending, shortest, stem_fits)| word.strip_suffix(ending).filter(|s| s.len() >= *shortest && stem_fits(s)))
}

/// The endings of plurals, tried in order: the ending, the shortest stem
/// it may leave, and what that stem must look like.
const PLURALS: [(&str, usize, fn(&str) -> bool); 3] = [
    // "policies" → "polic"
    ("ies", 4, |_| true),
    // "boxes" → "box", "matches" → "match"
    ("es", 3, |s| ["s", "x", "ch", "sh"].iter().any(|e| s.ends_with(e))),
    // "invoices" → "invoice", but "glass" is no plural
    ("s", 3, |s| !s.ends_with('s')),
];

/// Whether `word` appears in `name`: as a whole token when it is short, as
/// the start of a token otherwise ("invoice" in "ACME_invoices_2024.pdf"),
/// its singular too ("reports" in "report-q3.pdf").
fn matches_in(name: &str, word: &str) -> bool {
    let one = singular(word);
    let tokens = name.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty());
    tokens.into_iter().any(|token| {
        // A short word is a whole token, in either number: "vet" in "Vets".
        let fits = |w: &str| if w.chars().count() <= 3 { token == w || singular(token) == Some(w) } else { token.starts_with(w) };
        fits(word) || one.is_some_and(fits)
    })
}

/// [`matches_in`] for names, which people misspell when they ask ("the
/// rehersal recordings" for `rehearsal 2026-09-10.wav`): a word of six
/// letters or more also matches a token one typing slip away (a letter
/// left out, added, changed, or two swapped).
fn named_in(name: &str, word: &str) -> bool {
    matches_in(name, word)
        || name.split(|c: char| !c.is_alphanumeric()).any(|token| {
            // Each form compared is six letters or more: "ebooks" is no
            // slip of "book".
            let named = long_forms(token);
            long_forms(word).iter().any(|w| named.iter().any(|t| one_slip(t, w)))
        })
}

/// `word` and its singular, those of six letters or more and no digits:
/// numbers are said exactly ("scan0002" is not "scan0004").
fn long_forms(word: &str) -> Vec<&str> {
    [Some(word), singular(word)].into_iter().flatten().filter(|f| f.chars().count() >= 6 && !f.chars().any(|c| c.is_ascii_digit())).collect()
}

/// Whether `a` and `b` differ by one typing slip (Damerau–Levenshtein
/// distance 1).
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[start..], &b[start..]);
    let tail = |x: &[char], y: &[char]| x == y;
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => tail(&ra[1..], &rb[1..]) || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && tail(&ra[2..], &rb[2..])),
        std::cmp::Ordering::Less => tail(ra, &rb[1..]),
        std::cmp::Ordering::Greater => tail(&ra[1..], rb),
    }
}

/// What a path must contain, one of them at least, to be looked at for a
/// name match of `word` ([`Plan::name_score`]): its shortest form; for a
/// word of six letters or more, which may be misspelt, the first three
/// letters of that form or its last three, since one slip leaves one end
/// whole ("rec" of "reciepts" finds "receipt.pdf").
pub fn name_probes(word: &str) -> Vec<&str> {
    let short = shortest_form(word);
    let letters: Vec<usize> = short.char_indices().map(|(i, _)| i).collect();
    if letters.len() < 6 {
        return vec![short];
    }
    vec![&short[..letters[3]], &short[letters[letters.len() - 3]..]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NameFilter;

    #[test]
    fn a_long_word_one_slip_away_still_names_a_file() {
        let plan = Plan::words_only("rehersal");
        assert_eq!(plan.name_score("Band/Recordings/rehearsal 2026-09-10.wav"), 2);
        assert_eq!(Plan::words_only("reciept").name_score("van hire receipt.pdf"), 2);
        assert_eq!(Plan::words_only("bils").name_score("bills 2026.pdf"), 0, "short words must be spelt right");
        assert!(one_slip("recieved", "received"), "two letters swapped");
        assert!(!one_slip("rehearsal", "rehearsals2"));
        assert_eq!(Plan::words_only("reciepts").name_score("Downloads/receipt (1).pdf"), 2, "a slip in a plural");
        assert_eq!(Plan::words_only("ebooks").name_score("world book day ideas.txt"), 0, "both forms six letters or more");
        assert_eq!(Plan::words_only("scan0002").name_score("Documents/Scans/scan0004.pdf"), 0, "numbers are said exactly");
        assert_eq!(name_probes("rehersal"), ["reh", "sal"]);
        assert_eq!(name_probes("reciepts"), ["rec", "ept"]);
        assert_eq!(name_probes("notes"), ["note"]);
        assert!(!Plan::words_only("rehersal").words_in("the rehearsal went well"), "passages are not read with slips");
    }

    #[test]
    fn naming_counts_words_wherever_in_the_path() {
        let plan = Plan::words_only("gareth's 40th");
        assert_eq!(plan.naming("Family/Gareth 40th/speech draft.docx"), Naming { words: 2, score: 2 });
        assert_eq!(plan.naming("Documents/Will - Priya and Gareth.pdf"), Naming { words: 1, score: 2 });
        assert!(plan.naming("Family/Gareth 40th/speech draft.docx") > plan.naming("Documents/Will - Priya and Gareth.pdf"), "more words first");
    }

    #[test]
    fn names_hold_words_in_either_number() {
        assert_eq!(Plan::words_only("insurance policies").name_score("Petplan policy 2026.pdf"), 2);
        assert_eq!(Plan::words_only("vet").name_score("Mail/Duke Street Vets reminder.eml"), 2);
        assert_eq!(Plan::words_only("vet").name_score("Mail/velvet.eml"), 0);
    }

    #[test]
    fn words_are_held_in_the_path_or_the_passage() {
        let words = Plan::words_only("the lakeland receipt").name_words();
        assert_eq!(words_held(&words, "Downloads/receipt (1).pdf", "Lakeland order 14 Feb: stand mixer"), [true, true]);
        assert_eq!(words_held(&words, "Downloads/ParentPay receipt Ironbridge.pdf", "Trip payment £18"), [false, true]);
        assert_eq!(words_held(&words, "notes.txt", "nothing here"), [false, false]);
    }

    #[test]
    fn two_words_written_as_one_in_a_name_count_as_both() {
        let plan = Plan::words_only("derby warm up");
        assert_eq!(plan.name_score("Music/Derby warmup/x.mp3"), 3, "derby, warm and up, in the folder");
        assert!(plan.names("Music/Derby warmup/Joan Jett - Bad Reputation.mp3"));
        assert_eq!(Plan::words_only("photo book").name_score("photobook-2024.pdf"), 4);
    }

    #[test]
    fn a_passage_holds_the_words_or_their_singular() {
        let plan = Plan::words_only("the boilers of Paris");
        assert!(plan.words_in("Service report: boiler checked, Paris flat."));
        assert!(plan.words_in("BOILER"));
        assert!(!plan.words_in("the heating engineer came on Tuesday"), "filler words count for nothing");
    }

    #[test]
    fn words_held_by_no_file_make_a_few_shared_ones_chance() {
        let vet = Plan::words_only("vet bills for the cat");
        let held = |files: &[(&str, &str)]| files.iter().map(|(path, text)| words_held(&vet.name_words(), path, text)).collect::<Vec<_>>();
        assert!(vet.mostly_unheld(&held(&[("Flat/council tax bill.pdf", "Council tax bill"), ("Flat/energy bill.pdf", "")])), "vet and cat nowhere");
        assert!(!vet.mostly_unheld(&held(&[("Flat/council tax bill.pdf", ""), ("Pets/vet.pdf", "")])), "only cat nowhere");
        assert!(!Plan::words_only("lease").mostly_unheld(&held(&[])), "one word is not judged so");
    }

    #[test]
    fn name_patterns_look_at_the_file_name_only() {
        let mut plan = Plan::words_only("x");
        plan.name = Some(NameFilter { pattern: "IMG_".into(), how: NameMatch::StartsWith });
        assert!(plan.name_admits("/photos/img_0042.jpg"));
        assert!(!plan.name_admits("/IMG_folder/photo.jpg"));
        plan.name = Some(NameFilter { pattern: ".PDF".into(), how: NameMatch::EndsWith });
        assert!(plan.name_admits("/a/Report.pdf"));
        assert!(Plan::words_only("x").name_admits("/anything"));
    }

    #[test]
    fn names_score_by_words_in_the_file_name_then_in_folders() {
        let plan = Plan::words_only("invoices ACME");
        assert_eq!(plan.name_words(), ["invoices", "acme"]);
        assert_eq!(plan.name_score("/home/ann/billing/ACME_invoice_2024.pdf"), 4);
        assert_eq!(plan.name_score("/home/ann/ACME/march.pdf"), 1);
        assert_eq!(plan.name_score("/home/ann/notes/acmeville.txt"), 2);
        assert_eq!(plan.name_score("/home/ann/notes/other.txt"), 0);
        assert_eq!(plan.name_score("/home/ann/Desktop/Screenshot-2025.png"), 0);
        assert_eq!(Plan::words_only("screenshots").name_score("/home/ann/Desktop/Screenshot-2025.png"), 2);
        assert_eq!(shortest_form("screenshots"), "screenshot");
        assert_eq!(shortest_form("boxes"), "box");
        assert_eq!(shortest_form("glass"), "glass");
        let trip = Plan::words_only("trip");
        assert_eq!(trip.name_score("/pics/Trip to Lisbon/IMG_1.jpg"), 1);
        assert_eq!(Plan::words_only("cv").name_score("/docs/cvs.pdf"), 0);
        assert_eq!(Plan::words_only("cv").name_score("/docs/my-cv.pdf"), 2);
        assert_eq!(Plan::words_only("boxes").name_score("/docs/box-list.txt"), 2);
    }
}
