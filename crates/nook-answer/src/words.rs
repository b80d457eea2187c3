//! Words as answers are matched: lower case, light stemming, stop words
//! left out, identifiers kept whole (`RUST_LOG`, `serde_json`).

/// The words of `text` that carry meaning, normalised.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    tokens(text).filter(|w| !is_stop_word(w)).map(|w| stem(&w)).collect()
}

/// The words inside the identifiers of `text`, normalised as
/// [`content_words`]: `EMPTY_HEADER` holds "empty" and "header",
/// `SqlToRel::new` "sql", "rel" and "new", `hidden(false)` "hidden"; plain
/// words are left out (they are whole words already).
pub(crate) fn identifier_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for token in text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|t| !t.is_empty()) {
        let cased = token.chars().skip(1).any(|c| c.is_uppercase()) && token.chars().any(|c| c.is_lowercase());
        if !token.contains('_') && !cased {
            continue;
        }
        let mut part = String::new();
        let mut previous: Option<char> = None;
        for c in token.chars() {
            let boundary = c == '_' || (c.is_uppercase() && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()));
            if boundary && !part.is_empty() {
                parts.push(std::mem::take(&mut part));
            }
            if c != '_' {
                part.extend(c.to_lowercase());
            }
            previous = Some(c);
        }
        if !part.is_empty() {
            parts.push(part);
        }
    }
    parts.into_iter().filter(|w| !is_stop_word(w)).map(|w| stem(&w)).collect()
}

/// Lower-cased tokens: runs of letters, digits and `_` (so identifiers
/// stay whole); a `.` between digits stays too (`1.5`, `0.11.1`).
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    std::iter::from_fn(move || {
        let is = |k: usize, f: fn(char) -> bool| chars.get(k).is_some_and(|&(_, c)| f(c));
        let word = |c: char| c.is_alphanumeric() || c == '_';
        while k < chars.len() && !is(k, word) {
            k += 1;
        }
        let &(start, _) = chars.get(k)?;
        let mut token = String::new();
        let mut from = start;
        loop {
            while is(k, word) || (is(k, |c| c == '.') && k > 0 && is(k - 1, |c| c.is_ascii_digit()) && is(k + 1, |c| c.is_ascii_digit())) {
                k += 1;
            }
            let end = chars.get(k).map_or(text.len(), |&(i, _)| i);
            token.push_str(&text[from..end]);
            // A word hyphenated at the end of a line, as `man` and other
            // typesetters do ("im‐" / "ages"), is one word again.
            match hyphenated_at_line_end(&chars, k) {
                Some(next) => {
                    k = next;
                    from = chars[k].0;
                }
                None => break,
            }
        }
        Some(token.to_lowercase())
    })
}

/// Where a word goes on when a typesetter's hyphen (U+2010, or a soft
/// hyphen) at `k` ends a line and the next line goes on in lower case.
fn hyphenated_at_line_end(chars: &[(usize, char)], k: usize) -> Option<usize> {
    let (_, hyphen) = *chars.get(k)?;
    if !matches!(hyphen, '\u{2010}' | '\u{ad}') || chars.get(k + 1)?.1 != '\n' {
        return None;
    }
    let mut next = k + 2;
    while chars.get(next).is_some_and(|&(_, c)| c == ' ' || c == '\t') {
        next += 1;
    }
    chars.get(next).is_some_and(|&(_, c)| c.is_lowercase()).then_some(next)
}

/// A light stemmer: enough that "ports" meets "port" and "configured"
/// meets "configure", never so much that two words of different meaning
/// meet.
pub(crate) fn stem(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit() || c == '_') || word.len() <= 3 {
        return word.to_string();
    }
    for (suffix, keep) in [("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if suffix == "s" && (stem.ends_with('s') || stem.ends_with('u') || stem.ends_with('i')) {
                continue;
            }
            if stem.len() >= 3 {
                let mut stem = format!("{stem}{keep}");
                // "running" → "runn" → "run"; not "call" or "pass".
                let b = stem.as_bytes();
                if matches!(suffix, "ing" | "ed") && b.len() > 3 && b[b.len() - 1] == b[b.len() - 2] && !b"lsz".contains(&b[b.len() - 1]) {
                    stem.pop();
                }
                // "configured" → "configur" → "configure"-like forms meet on
                // the shorter stem: drop a final e everywhere.
                if stem.ends_with('e') && stem.len() > 3 {
                    stem.pop();
                }
                return stem;
            }
        }
    }
    let mut word = word.to_string();
    if word.ends_with('e') && word.len() > 3 {
        word.pop();
    }
    word
}

/// Words that say nothing of what is asked: function words, and the
/// scaffolding of questions ("which", "how", "I", "do").
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "during", "each", "for", "from", "get",
    "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "just", "many", "me", "might", "more", "most", "much", "must", "my", "need", "no", "not", "of", "off", "on", "one", "only", "or",
    "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "under", "until", "up", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_the_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "{STOP_WORDS:?}");
    }

    #[test]
    fn identifiers_versions_and_numbers_stay_whole() {
        let t: Vec<String> = tokens("Set RUST_LOG=debug; needs serde_json 1.0.140 (v2.x), port 4444.").collect();
        assert_eq!(t, ["set", "rust_log", "debug", "needs", "serde_json", "1.0.140", "v2", "x", "port", "4444"]);
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_is_one_word() {
        let t: Vec<String> = tokens("the 30 intermediate im\u{2010}\n       ages; a well-\nknown name").collect();
        assert_eq!(t, ["the", "30", "intermediate", "images", "a", "well", "known", "name"]);
    }

    #[test]
    fn identifiers_are_read_for_the_words_inside_them() {
        assert_eq!(identifier_parts("let h = [httparse::EMPTY_HEADER; 64];"), ["empty", "header"]);
        assert_eq!(identifier_parts("SqlToRel::new(&provider) and XxHash64"), ["sql", "rel", "xx", "hash64"]);
        assert!(identifier_parts("plain words, serde 1.0").is_empty());
    }

    #[test]
    fn plural_and_tense_forms_meet() {
        for (a, b) in [("ports", "port"), ("configured", "configure"), ("libraries", "library"), ("runs", "running"), ("uses", "use")] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_ne!(stem("class"), stem("clas"));
        assert_eq!(stem("status"), "status");
    }

    #[test]
    fn content_words_leave_the_scaffolding_of_a_question_out() {
        assert_eq!(content_words("Which port does tauri-driver listen on by default?"), ["port", "tauri", "driver", "listen", "default"]);
    }
}
