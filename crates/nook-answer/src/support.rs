//! A generated answer checked sentence by sentence against the passages it
//! came from. A sentence is *supported* by a passage when every exact thing
//! it states — numbers, names in code, quoted words, capitalised names — is
//! written in that passage, most of its words are there, and one piece of
//! the passage is close to it in meaning (measured by the engine). A
//! sentence no passage supports is *not found in your files*. A citation
//! `[n]` stays only on a sentence that passage `n` supports; a supported
//! sentence cites the passage that supports it.

use serde::{Deserialize, Serialize};

use crate::question::has_identifier;
use crate::words::{content_words, tokens};

/// Share of a sentence's words that the supporting passage must hold.
const MIN_WORD_SHARE: f32 = 0.6;
/// Least similarity in meaning between the sentence and one piece of the
/// supporting passage.
pub const MIN_MEANING: f32 = 0.5;

/// A sentence of a generated answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its text without citation markers, trimmed.
    pub text: String,
    /// The passage numbers it cites, in order.
    pub cited: Vec<usize>,
}

/// What the check found for one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// A passage says it.
    Supported,
    /// No passage says it.
    NotFound,
    /// It states nothing to check ("The files do not tell.").
    NoClaim,
}

/// A sentence as shown: its text, what the check found, and the passages
/// it cites after the check (1-based).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedSentence {
    pub text: String,
    pub support: Support,
    pub sources: Vec<usize>,
}

/// The sentences of `answer`, with the `[n]` each carries (a citation
/// right after a sentence's end belongs to that sentence).
pub fn sentences(answer: &str) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::new();
    let mut text = String::new();
    let mut cited = Vec::new();
    let mut rest = answer;
    let finish = |text: &mut String, cited: &mut Vec<usize>, out: &mut Vec<Sentence>| {
        let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let t = t.trim_matches(|c: char| c.is_whitespace()).to_string();
        if t.chars().any(char::is_alphanumeric) {
            out.push(Sentence { text: t, cited: std::mem::take(cited) });
        } else if let Some(last) = out.last_mut() {
            // Citations alone after a sentence's end: they belong to it.
            for n in cited.drain(..) {
                if !last.cited.contains(&n) {
                    last.cited.push(n);
                }
            }
        }
        text.clear();
        cited.clear();
    };
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            if let Some((numbers, len)) = citation_at(rest) {
                for n in numbers {
                    if !cited.contains(&n) {
                        cited.push(n);
                    }
                }
                text.truncate(text.trim_end().len());
                rest = &rest[len..];
                continue;
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
        let ends = matches!(c, '.' | '!' | '?' | '\n');
        if ends {
            // A citation may follow the full stop: "… 4444. [1]"
            let after = rest.trim_start_matches([' ', '\t']);
            if let Some((numbers, len)) = citation_at(after) {
                for n in numbers {
                    if !cited.contains(&n) {
                        cited.push(n);
                    }
                }
                rest = &after[len..];
            }
            let next = rest.chars().next();
            let boundary = c == '\n' || next.is_none_or(char::is_whitespace);
            let number_inside = c == '.' && next.is_some_and(|n| n.is_ascii_digit());
            if boundary && !number_inside && !ends_with_abbreviation(&text) {
                finish(&mut text, &mut cited, &mut out);
            }
        }
    }
    finish(&mut text, &mut cited, &mut out);
    out
}

fn ends_with_abbreviation(text: &str) -> bool {
    let last = text.trim_end().rsplit(char::is_whitespace).next().unwrap_or("").to_ascii_lowercase();
    ["e.g.", "i.e.", "etc.", "vs.", "cf."].contains(&last.as_str())
}

/// `[1]`, `[1, 3]` at the start of `text`: the numbers and the marker's
/// length in bytes.
fn citation_at(text: &str) -> Option<(Vec<usize>, usize)> {
    let inside = text.strip_prefix('[')?;
    let close = inside.find(']')?;
    let inside = &inside[..close];
    if inside.trim().is_empty() || inside.len() > 20 {
        return None;
    }
    let numbers: Option<Vec<usize>> = inside.split(',').map(|n| n.trim().parse().ok()).collect();
    numbers.map(|n| (n, close + 2))
}

/// The exact things a sentence states: numbers (versions, ports, sizes),
/// names in code, quoted spans and capitalised words after its first word.
pub fn claims(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    for quoted in sentence.split('`').skip(1).step_by(2) {
        push(quoted.trim().to_lowercase());
    }
    for (i, word) in sentence.split_whitespace().enumerate() {
        let bare = word.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
        if bare.is_empty() {
            continue;
        }
        let capital = i > 0 && bare.chars().next().is_some_and(char::is_uppercase) && bare.len() > 1;
        if capital || has_identifier(bare) {
            push(bare.to_lowercase());
        }
    }
    for token in tokens(sentence) {
        if token.chars().any(|c| c.is_ascii_digit()) {
            push(token);
        }
    }
    out
}

/// Words that state nothing: a sentence made only of these (and its
/// citations) is no claim.
fn is_no_claim(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    ["do not tell", "does not tell", "don't tell", "doesn't tell", "not mentioned", "no information", "i don't know", "i do not know", "cannot answer", "can't answer", "not say", "n't say"]
        .iter()
        .any(|p| lower.contains(p))
}

/// Whether `passage` holds every claim of `sentence` and most of its words.
pub fn holds(passage: &str, sentence: &str) -> bool {
    let lower = passage.to_lowercase();
    let passage_tokens: Vec<String> = tokens(&lower).collect();
    let all_claims = claims(sentence).iter().all(|c| {
        if c.contains(char::is_whitespace) || c.contains(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '.')) {
            lower.contains(c.as_str())
        } else {
            passage_tokens.iter().any(|t| t == c) || lower.contains(c.as_str())
        }
    });
    if !all_claims {
        return false;
    }
    let words = content_words(sentence);
    if words.is_empty() {
        return true;
    }
    let passage_words = content_words(passage);
    let held = words.iter().filter(|w| passage_words.contains(w)).count();
    held as f32 / words.len() as f32 >= MIN_WORD_SHARE
}

/// Checks each sentence of a generated answer. `passages` are the passages'
/// texts, numbered from 1 in this order; `meaning(s, p)` is the greatest
/// similarity between sentence `s` and a piece of passage `p` (0-based
/// both).
pub fn check_answer(sentences: &[Sentence], passages: &[&str], meaning: &dyn Fn(usize, usize) -> f32) -> Vec<CheckedSentence> {
    sentences
        .iter()
        .enumerate()
        .map(|(s, sentence)| {
            if is_no_claim(&sentence.text) {
                return CheckedSentence { text: sentence.text.clone(), support: Support::NoClaim, sources: Vec::new() };
            }
            let supports = |p: usize| meaning(s, p) >= MIN_MEANING && holds(passages[p], &sentence.text);
            let mut sources: Vec<usize> =
                sentence.cited.iter().copied().filter(|&n| (1..=passages.len()).contains(&n) && supports(n - 1)).collect();
            if sources.is_empty() {
                // Uncited, or cited wrongly: the passage that says it.
                let best = (0..passages.len()).filter(|&p| supports(p)).max_by(|&a, &b| meaning(s, a).total_cmp(&meaning(s, b)));
                sources.extend(best.map(|p| p + 1));
            }
            let support = if sources.is_empty() { Support::NotFound } else { Support::Supported };
            CheckedSentence { text: sentence.text.clone(), support, sources }
        })
        .collect()
}

/// The answer as shown after the check: each sentence with the citations
/// that stand.
pub fn render(checked: &[CheckedSentence]) -> String {
    checked
        .iter()
        .map(|c| {
            let marks: String = c.sources.iter().map(|n| format!(" [{n}]")).collect();
            match c.text.char_indices().last() {
                Some((i, end)) if matches!(end, '.' | '!' | '?') && !marks.is_empty() => format!("{}{marks}{end}", &c.text[..i]),
                _ => format!("{}{marks}", c.text),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_cut_into_sentences_with_their_citations() {
        let got = sentences("It listens on port 4444 [1]. Use version 1.2.3, e.g. with --port. [2]\nThe files do not tell.");
        assert_eq!(
            got,
            [
                Sentence { text: "It listens on port 4444.".into(), cited: vec![1] },
                Sentence { text: "Use version 1.2.3, e.g. with --port.".into(), cited: vec![2] },
                Sentence { text: "The files do not tell.".into(), cited: vec![] },
            ]
        );
    }

    #[test]
    fn text_in_any_script_after_a_full_stop_is_cut_without_a_panic() {
        // A model that wanders into Japanese: a sentence end followed by a
        // character of several bytes, then a bracket that is no citation.
        let got = sentences("Done.に対応 [`x`] and [2].");
        assert_eq!(got, [Sentence { text: "Done.に対応 [`x`] and.".into(), cited: vec![2] }]);
    }

    #[test]
    fn every_short_text_of_brackets_stops_digits_and_wide_characters_is_cut_and_read_without_a_panic() {
        let alphabet = ['.', '[', ']', '1', ',', ' ', 'に', 'é', '\n', 'a', '`', '?'];
        let mut text = String::new();
        // Every text of 1 to 5 characters of the alphabet: digit i of n in
        // base 12 is character i.
        for (len, mut n) in (1..=5u32).flat_map(|len| (0..alphabet.len().pow(len)).map(move |n| (len, n))) {
            text.clear();
            for _ in 0..len {
                text.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            for sentence in sentences(&text) {
                claims(&sentence.text);
            }
            crate::units::units(&[(text.as_str(), 1)]);
            let copying = crate::copying::Copying::new(&[text.as_str()], 2);
            copying.allows(&text, &text);
            copying.allows("", &text);
            crate::summary::parts(&[text.as_str(), text.as_str()], 4);
        }
    }

    #[test]
    fn the_exact_things_a_sentence_states_are_its_claims() {
        assert_eq!(claims("By default tauri-driver listens on port 4444 with `--native-port`."), ["--native-port", "4444"]);
        assert_eq!(claims("Set RUST_LOG to debug in Tokio."), ["rust_log", "tokio"]);
    }

    fn check(answer: &str, passages: &[&str], meaning: f32) -> Vec<CheckedSentence> {
        check_answer(&sentences(answer), passages, &|_, _| meaning)
    }

    #[test]
    fn a_sentence_is_supported_only_by_a_passage_that_states_it() {
        let passages = ["The driver listens on port 4444 by default.", "Feed the starter twice a day."];
        let got = check("The driver listens on port 4444 [2]. It listens on port 4445 [1].", &passages, 0.8);
        assert_eq!(got[0].support, Support::Supported);
        assert_eq!(got[0].sources, [1], "the wrong citation is dropped, the right passage cited");
        assert_eq!(got[1].support, Support::NotFound, "4445 is written nowhere");
        assert!(got[1].sources.is_empty());
        assert_eq!(render(&got), "The driver listens on port 4444 [1]. It listens on port 4445.");
    }

    #[test]
    fn far_in_meaning_is_not_supported_even_with_the_same_words() {
        let got = check("The driver listens on port 4444.", &["The driver listens on port 4444 by default."], 0.2);
        assert_eq!(got[0].support, Support::NotFound);
    }

    #[test]
    fn saying_the_files_do_not_tell_is_no_claim() {
        let got = check("The files do not tell.", &["anything"], 0.9);
        assert_eq!(got[0].support, Support::NoClaim);
    }
}
