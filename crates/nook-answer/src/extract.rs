//! The piece of the passages that answers a question. Each piece is scored
//! from four signals:
//!
//! - its meaning: the similarity of the piece to the question, which the
//!   engine measures with the embedding model;
//! - the question's words it holds, each weighted by how rare it is among
//!   the pieces (so a crate's name, in every piece of its README, counts
//!   little, and "port" counts much);
//! - the question's words its passage and file name hold (the right file);
//! - whether it is the kind of answer asked for (a number, a command, a
//!   name).
//!
//! A piece answers only when its score reaches [`Weights::min_score`];
//! otherwise there is no extractive answer, and the caller says so.

use crate::question::{fits, Question};
use crate::units::{Unit, UnitKind};
use crate::words::content_words;

/// How the signals add up. The defaults were set on the labeled question
/// set (`tests/eval/qa/labeled.json`); see docs/BENCHMARKS.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub meaning: f32,
    pub words: f32,
    pub passage: f32,
    pub kind: f32,
    /// A heading names a topic; it answers only when nothing else does.
    pub heading_penalty: f32,
    pub min_score: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { meaning: 0.40, words: 0.30, passage: 0.25, kind: 0.20, heading_penalty: 0.15, min_score: 0.45 }
    }
}

/// One piece's score and its parts, for explaining and tuning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PieceScore {
    pub unit: usize,
    pub score: f32,
    pub meaning: f32,
    pub words: f32,
    pub passage: f32,
    pub kind: f32,
}

/// The pieces scored, best first, and the passages reranked by their best
/// piece.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// Every piece's score, best first.
    pub scores: Vec<PieceScore>,
    /// The best piece, when it is good enough to show as the answer.
    pub answer: Option<PieceScore>,
}

/// Scores every piece. `passages` are the passages' texts with their file's
/// path (whose words count for the passage), `units` their pieces, and
/// `meaning[i]` the similarity of piece `i` to the question (cosine, about
/// 0 to 1).
pub fn extract(question: &Question, passages: &[(&str, &str)], units: &[Unit], meaning: &[f32], weights: &Weights) -> Extraction {
    assert_eq!(units.len(), meaning.len(), "one similarity per piece");
    let piece_words: Vec<Vec<String>> = units.iter().map(|u| content_words(u.text(passages[u.passage].0))).collect();
    let passage_words: Vec<Vec<String>> =
        passages.iter().map(|(text, path)| content_words(&format!("{path} {text}").replace(['/', '-', '.'], " "))).collect();
    // Rarity of each question term among the pieces: ln(1 + N / (1 + df)).
    let n = units.len() as f32;
    let rarity: Vec<f32> = question
        .terms
        .iter()
        .map(|t| {
            let df = piece_words.iter().filter(|w| w.contains(t)).count() as f32;
            (1.0 + n / (1.0 + df)).ln()
        })
        .collect();
    let total: f32 = rarity.iter().sum::<f32>().max(f32::EPSILON);
    let share = |words: &[String]| -> f32 {
        question.terms.iter().zip(&rarity).filter(|(t, _)| words.contains(t)).map(|(_, r)| r).sum::<f32>() / total
    };
    // The passage's share is weighted by rarity among the passages: the
    // crate or file a question names is in one passage, "version" in all.
    let m = passages.len() as f32;
    let passage_rarity: Vec<f32> = question
        .terms
        .iter()
        .map(|t| {
            let df = passage_words.iter().filter(|w| w.contains(t)).count() as f32;
            (1.0 + m / (1.0 + df)).ln()
        })
        .collect();
    let passage_total: f32 = passage_rarity.iter().sum::<f32>().max(f32::EPSILON);
    let passage_share: Vec<f32> = passage_words
        .iter()
        .map(|w| question.terms.iter().zip(&passage_rarity).filter(|(t, _)| w.contains(t)).map(|(_, r)| r).sum::<f32>() / passage_total)
        .collect();

    let mut scores: Vec<PieceScore> = units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let text = unit.text(passages[unit.passage].0);
            let words = share(&piece_words[i]);
            let passage = passage_share[unit.passage];
            let kind = fits(question.expect, text, unit.kind == UnitKind::Code);
            let mut score = weights.meaning * meaning[i] + weights.words * words + weights.passage * passage + weights.kind * kind;
            if unit.kind == UnitKind::Heading {
                score -= weights.heading_penalty;
            }
            PieceScore { unit: i, score, meaning: meaning[i], words, passage, kind }
        })
        .collect();
    scores.sort_by(|a, b| b.score.total_cmp(&a.score));
    let answer = scores.first().copied().filter(|s| s.score >= weights.min_score);
    Extraction { scores, answer }
}

/// The passages in the order of their best piece's score (a passage with
/// no piece keeps its place after the others). Returns passage indexes.
pub fn rank_passages(extraction: &Extraction, units: &[Unit], passages: usize) -> Vec<usize> {
    let mut best = vec![f32::NEG_INFINITY; passages];
    for s in &extraction.scores {
        let p = units[s.unit].passage;
        best[p] = best[p].max(s.score);
    }
    let mut order: Vec<usize> = (0..passages).collect();
    order.sort_by(|&a, &b| best[b].total_cmp(&best[a]).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::read;
    use crate::units::units;

    #[test]
    fn the_piece_with_the_rare_words_and_the_right_kind_of_answer_wins() {
        let driver = "# tauri-driver\n\nCross-platform WebDriver server for Tauri apps.\nIt listens on port 4444 by default.\nThe native driver runs on port 4445.\n";
        let other = "# webdriver\n\nA client for WebDriver servers. Works with any port.\n";
        let passages = [(driver, "deps/tauri-driver-2.0.0/README.md"), (other, "deps/webdriver-0.1.0/README.md")];
        let texts: Vec<(&str, u32)> = passages.iter().map(|(t, _)| (*t, 1)).collect();
        let pieces = units(&texts);
        // The same similarity for every piece: the words decide.
        let meaning = vec![0.5; pieces.len()];
        let q = read("Which port does tauri-driver listen on by default?");
        let got = extract(&q, &passages, &pieces, &meaning, &Weights::default());
        let best = got.answer.expect("an answer");
        assert_eq!(pieces[best.unit].text(driver), "It listens on port 4444 by default.");
        assert_eq!(pieces[best.unit].line_start, 4);
        assert_eq!(rank_passages(&got, &pieces, 2), [0, 1]);
    }

    #[test]
    fn nothing_answers_when_no_piece_is_close() {
        let text = "Fast hashing for strings.\n";
        let pieces = units(&[(text, 1)]);
        let q = read("Which port does tauri-driver listen on?");
        let got = extract(&q, &[(text, "x/README.md")], &pieces, &[0.05], &Weights::default());
        assert_eq!(got.answer, None);
        assert_eq!(got.scores.len(), 1);
    }
}
