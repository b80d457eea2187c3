//! Summaries of a whole file: whether a request asks for one, the file's
//! chunks joined back into parts a model can read in one go (their overlap
//! taken out), and the key points: the sentences that say most of what the
//! file says, each unlike the others, in the file's order.

use crate::units::{Unit, UnitKind};
use crate::words::tokens;

/// Verbs that ask for a summary wherever they are ("summarize it").
const SUMMARY_VERBS: &[&str] = &["summarize", "summarise", "summarized", "summarised", "summarizing", "summarising"];
/// Nouns that ask for one when they are what is asked for: first, last,
/// or before "of" ("give me an overview of", "the gist of", "tl;dr",
/// "lease.pdf summary"), not when they name a part of a file ("the summary
/// section", "which outline format").
const SUMMARY_NOUNS: &[&str] = &["summary", "summaries", "overview", "gist", "tldr", "recap", "synopsis", "outline"];
/// Two-word ways to ask for one ("sum up", "main points", "key ideas").
const SUMMARY_PAIRS: &[(&str, &[&str])] = &[
    ("sum", &["up"]),
    ("main", &["points", "ideas", "takeaways", "things"]),
    ("key", &["points", "ideas", "takeaways"]),
];

/// Whether `request` asks what a whole file says rather than a fact in it:
/// it has a summary word ("summarize", "overview", "gist", "tl;dr",
/// "recap"), a two-word one ("sum up", "key points"), or asks what something
/// is about ("what is lease.pdf about?").
pub fn asks_for_summary(request: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    for token in tokens(request) {
        // "tl;dr" is one word.
        if token == "dr" && words.last().is_some_and(|w| w == "tl") {
            words.pop();
            words.push("tldr".into());
        } else {
            words.push(token);
        }
    }
    let word = |i: usize| words.get(i).map(String::as_str);
    let asked_for = |i: usize| i == 0 || matches!(word(i + 1), None | Some("of" | "for" | "please"));
    let summary_word = words
        .iter()
        .enumerate()
        .any(|(i, w)| SUMMARY_VERBS.contains(&w.as_str()) || (SUMMARY_NOUNS.contains(&w.as_str()) && asked_for(i)));
    let pair = words.windows(2).any(|w| SUMMARY_PAIRS.iter().any(|(a, bs)| w[0] == *a && bs.contains(&w[1].as_str())));
    // "what is X about", "what's this file about": the topic of the whole.
    let about = matches!(word(0), Some("what" | "whats")) && word(words.len().saturating_sub(1)) == Some("about");
    summary_word || pair || about
}

/// Consecutive chunks joined into one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The chunks it holds (indexes into the list given to [`parts`]).
    pub chunks: std::ops::Range<usize>,
    /// Their text, each overlap with the chunk before taken out.
    pub text: String,
}

/// Joins a file's chunks (`texts`, in the file's order) into parts of at
/// most `max_chars` characters (a chunk longer than that is a part alone).
/// Chunks overlap their neighbours; the text a chunk repeats from the one
/// before it is left out, so each part reads as the file does.
pub fn parts(texts: &[&str], max_chars: usize) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let fresh = match i.checked_sub(1) {
            Some(before) => &text[overlap(texts[before], text)..],
            None => text,
        };
        match parts.last_mut() {
            Some(part) if part.chunks.end == i && part.text.len() + fresh.len() <= max_chars => {
                part.text.push_str(fresh);
                part.chunks.end = i + 1;
            }
            _ => parts.push(Part { chunks: i..i + 1, text: text.to_string() }),
        }
    }
    parts
}

/// Bytes at the start of `next` that repeat the end of `before`: the
/// longest such run, when it is long enough not to be chance.
fn overlap(before: &str, next: &str) -> usize {
    const MIN_OVERLAP: usize = 12;
    let longest = before.len().min(next.len());
    (MIN_OVERLAP..=longest).rev().find(|&n| next.is_char_boundary(n) && before.ends_with(&next[..n])).unwrap_or(0)
}

/// Words a key point has at least: shorter lines are labels, not points.
const MIN_POINT_WORDS: usize = 6;
/// Words a key point has at most: longer "sentences" are run-on text.
const MAX_POINT_WORDS: usize = 60;
/// How much a point's likeness to the others outweighs its likeness to
/// the whole (maximal marginal relevance).
const NOVELTY: f32 = 0.35;

/// Words as written: runs between spaces that hold a letter ("a link"
/// written `[docs.rs/x](https://docs.rs/x)` is one).
fn written_words(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count()
}

/// The key points of a text cut into `units` (each piece's `vectors`,
/// unit length, from the embedding model; `texts` the passages): at most
/// `k` prose sentences, chosen one at a time as the closest to the whole
/// (the mean of all pieces) and least like those already chosen; returned
/// in the text's order: indexes into `units`, each with its similarity to
/// the whole.
pub fn key_points(units: &[Unit], texts: &[&str], vectors: &[Vec<f32>], k: usize) -> Vec<(usize, f32)> {
    let eligible: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].kind == UnitKind::Prose)
        .filter(|&i| (MIN_POINT_WORDS..=MAX_POINT_WORDS).contains(&written_words(units[i].text(texts[units[i].passage]))))
        .collect();
    let Some(first) = vectors.first() else { return Vec::new() };
    let mut whole = vec![0.0f32; first.len()];
    for vector in vectors {
        for (w, v) in whole.iter_mut().zip(vector) {
            *w += v;
        }
    }
    let norm = whole.iter().map(|w| w * w).sum::<f32>().sqrt().max(f32::EPSILON);
    whole.iter_mut().for_each(|w| *w /= norm);
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < k {
        let score = |i: usize| {
            let like_chosen = chosen.iter().map(|&c| dot(&vectors[i], &vectors[c])).fold(0.0, f32::max);
            (1.0 - NOVELTY) * dot(&vectors[i], &whole) - NOVELTY * like_chosen
        };
        let next = eligible.iter().copied().filter(|i| !chosen.contains(i)).max_by(|&a, &b| score(a).total_cmp(&score(b)));
        match next {
            Some(i) => chosen.push(i),
            None => break,
        }
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| (i, dot(&vectors[i], &whole))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::units;

    #[test]
    fn requests_for_the_gist_of_a_whole_file_are_told_from_questions_about_a_fact() {
        for request in [
            "summarize lease.pdf",
            "Summarise the meeting notes",
            "give me an overview of the README",
            "what's the gist of report.md?",
            "tl;dr of the contract",
            "sum up the budget notes",
            "what are the key points of the proposal?",
            "What is tower about?",
            "a short recap of the trip plan, please",
            "lease.pdf summary",
            "outline the proposal",
        ] {
            assert!(asks_for_summary(request), "{request}");
        }
        for question in [
            "what port does tauri-driver listen on?",
            "how do I install ripgrep?",
            "what is the deposit in lease.pdf?",
            "which flour does the sourdough recipe use?",
            "what about rye?",
            "what is the about page for?",
            "what does the summary section say about rent?",
            "which outline format does it export?",
        ] {
            assert!(!asks_for_summary(question), "{question}");
        }
    }

    #[test]
    fn overlapping_chunks_join_into_parts_that_read_as_the_file_does() {
        let file = "One two three four five six. Seven eight nine ten eleven twelve. Thirteen fourteen fifteen.";
        // Chunks as the indexer cuts them: each repeats the end of the one
        // before.
        let chunks = [&file[..45], &file[29..70], &file[51..]];
        let joined = parts(&chunks, 1000);
        assert_eq!(joined, vec![Part { chunks: 0..3, text: file.to_string() }]);
        // A small budget: one part per chunk, each whole.
        let apart = parts(&chunks, 40);
        assert_eq!(apart.iter().map(|p| p.chunks.clone()).collect::<Vec<_>>(), [0..1, 1..2, 2..3]);
        assert_eq!(apart[1].text, chunks[1]);
        // Chunks that do not overlap are joined as they are.
        assert_eq!(parts(&["abc. ", "def."], 100)[0].text, "abc. def.");
    }

    #[test]
    fn key_points_are_central_unlike_each_other_and_in_the_text_order() {
        let text = "Short label\n[see the lease](https://example.com/lease/terms/and/more)\n\nThe lease runs for twelve months from March first.\n\
                    The monthly rent is nine hundred euros paid in advance.\n\
                    The lease runs for twelve months starting on March first.\n\
                    Pets are allowed with a deposit of two hundred euros.\n";
        let pieces = units(&[(text, 1)]);
        let said: Vec<&str> = pieces.iter().map(|u| u.text(text)).collect();
        // Vectors by hand: two near-copies about the term, one on rent, one
        // on pets, all sharing a common direction (the lease).
        let vector = |i: usize| -> Vec<f32> {
            let raw = match said[i] {
                s if s.starts_with("Short") => [0.2, 0.0, 0.0, 1.0],
                s if s.contains("twelve months from") => [1.0, 0.9, 0.0, 0.0],
                s if s.contains("twelve months starting") => [1.0, 0.88, 0.05, 0.0],
                s if s.contains("rent") => [1.0, 0.0, 0.8, 0.0],
                _ => [1.0, 0.0, 0.0, 0.7],
            };
            let n = raw.iter().map(|x: &f32| x * x).sum::<f32>().sqrt();
            raw.iter().map(|x| x / n).collect()
        };
        let vectors: Vec<Vec<f32>> = (0..pieces.len()).map(vector).collect();
        let chosen: Vec<usize> = key_points(&pieces, &[text], &vectors, 3).into_iter().map(|(i, _)| i).collect();
        let points: Vec<&str> = chosen.iter().map(|&i| said[i]).collect();
        assert_eq!(points.len(), 3, "{points:?}");
        assert!(!points.iter().any(|p| p.starts_with("Short")), "a label is not a point: {points:?}");
        assert_eq!(points.iter().filter(|p| p.contains("twelve months")).count(), 1, "one of two near-copies: {points:?}");
        assert!(points.iter().any(|p| p.contains("rent")) && points.iter().any(|p| p.contains("Pets")), "{points:?}");
        assert!(chosen.windows(2).all(|w| w[0] < w[1]), "in the text's order");
    }
}
