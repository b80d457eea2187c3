//! Name patterns: "named invoice", "called “Q3 plan”", "starting with
//! IMG_", "ending in .pdf", "with budget in the name", ".csv files".

use crate::words::Word;
use crate::{NameFilter, NameMatch, Plan};

/// Reads a name clause at `i` into `plan`; the number of words it took.
pub(crate) fn read(words: &[Word], i: usize, plan: &mut Plan) -> Option<usize> {
    let w = &words[i];
    if w.quoted {
        return None;
    }
    let at = |k: usize, options: &[&str]| words.get(i + k).is_some_and(|w| w.is_any(options));
    let (n, pattern, how) = match w.lower.as_str() {
        "named" | "called" | "titled" => (2, words.get(i + 1)?, NameMatch::Contains),
        "starting" | "starts" | "start" | "beginning" | "begins" | "begin" | "prefixed" if at(1, &["with"]) => {
            (3, words.get(i + 2)?, NameMatch::StartsWith)
        }
        "ending" | "ends" | "end" if at(1, &["with", "in"]) => (3, words.get(i + 2)?, NameMatch::EndsWith),
        "extension" => (2, words.get(i + 1)?, NameMatch::EndsWith),
        "with" if at(1, &["extension"]) => (3, words.get(i + 2)?, NameMatch::EndsWith),
        "with" if at(1, &["the"]) && at(2, &["extension"]) => (4, words.get(i + 3)?, NameMatch::EndsWith),
        // "with budget in the name", "with budget in its title"
        "with" if at(2, &["in"]) && at(3, &["the", "its", "their"]) && at(4, &["name", "title", "filename", "names"]) => {
            (5, words.get(i + 1)?, NameMatch::Contains)
        }
        // "whose name contains budget", "name contains budget"
        "name" | "names" | "filename" if at(1, &["contains", "has", "includes", "containing", "including", "with"]) => {
            (3, words.get(i + 2)?, NameMatch::Contains)
        }
        _ => {
            // ".pdf", "*.rs"
            let ext = w.lower.strip_prefix("*.").or_else(|| w.lower.strip_prefix('.'))?;
            if ext.is_empty() || ext.len() > 8 || !ext.chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            // ".csv files", ".deb packages": the noun says no more.
            (1 + usize::from(at(1, &["files", "file", "packages", "package"])), w, NameMatch::EndsWith)
        }
    };
    let mut text = pattern.text.trim_start_matches('*').to_string();
    if how == NameMatch::EndsWith && (w.is("extension") || w.is("with")) && !text.starts_with('.') {
        text.insert(0, '.');
    }
    if text.is_empty() {
        return None;
    }
    if plan.name.is_none() {
        plan.name = Some(NameFilter { pattern: text, how });
    } else {
        plan.notes.push(format!("Nook matches one name pattern at a time; “{}” was left out", words[i..i + n].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")));
    }
    Some(n)
}
