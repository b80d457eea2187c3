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
//! otherwise there is no extractive answer, and the caller says so. A
//! question that names a file ([`crate::scope`]) is answered from that file
//! or not at all; a question for a number or a command is answered only by
//! a span that holds one.

use crate::question::{fits, Expect, Question};
use crate::scope::named_among;
use crate::units::{starts_item, Unit, UnitKind};
use crate::words::content_words;

/// How the signals add up. The defaults were set on the labeled question
/// sets (`tests/eval/qa/set-a.json`, `set-c.json`; the threshold where
/// questions no file answers mostly get no span and right spans are kept);
/// see docs/BENCHMARKS.md.
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
        Weights { meaning: 0.40, words: 0.30, passage: 0.25, kind: 0.20, heading_penalty: 0.15, min_score: 0.52 }
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
    /// The last piece of the answer's span: the best piece itself, or a
    /// piece after it that the best one leads into (see [`span_end`]).
    pub answer_end: Option<usize>,
    /// Whether the question names each passage's file.
    pub named: Vec<bool>,
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
    // Each piece's share of the question's words, weighted by rarity among
    // the pieces; each passage's, by rarity among the passages (the crate
    // or file a question names is in one passage, "version" in all).
    let piece_share = shares(&question.terms, &piece_words);
    let passage_share = shares(&question.terms, &passage_words);
    let named_files = named_among(&question.text, passages.iter().map(|&(_, path)| path));
    let named: Vec<bool> = passages.iter().map(|(_, path)| named_files.contains(path)).collect();

    let mut scores: Vec<PieceScore> = units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let text = unit.text(passages[unit.passage].0);
            let words = piece_share[i];
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
    // A question that names a file is answered from that file, or not at
    // all ("tower's MSRV" is not tower-http's, though tower-http's README
    // says "tower" and "MSRV" in one sentence).
    let scoped = named.contains(&true);
    // An answer holds the kind of thing asked for — a number for "how
    // many", something to type for "how do I install" — in its piece or in
    // what the piece leads into.
    let holds = |unit: usize| {
        let strict = matches!(question.expect, Expect::Number | Expect::Code);
        let text = |i: usize| units[i].text(passages[units[i].passage].0);
        !strict || (unit..=span_end(question, passages, units, unit)).any(|i| fits(question.expect, text(i), units[i].kind == UnitKind::Code) >= 0.5)
    };
    let answer = scores
        .iter()
        .filter(|s| s.score >= weights.min_score && (!scoped || named[units[s.unit].passage]))
        .find(|s| holds(s.unit))
        .copied();
    let answer_end = answer.map(|a| span_end(question, passages, units, a.unit));
    Extraction { scores, answer, answer_end, named }
}

/// Lines a lead-in and what it leads into may be apart: a blank line and a
/// code fence between them.
const LEAD_GAP: u32 = 3;
/// Pieces an answer's span may reach past its best piece.
const MAX_LEAD: usize = 2;
/// Pieces of a block (code lines, list items) a sentence over it may run
/// on into.
const MAX_BLOCK: usize = 4;

/// Where the span of an answer whose best piece is `best` ends. The piece
/// that matches a question best is often the one that introduces the
/// answer: a sentence over a block of code or a list ("add this line to
/// the system vimrc", "three types are supported"), a sentence ending in a
/// colon before a command, a heading before its first sentence, a sentence
/// without the number or name asked for before the one that has it; or a
/// sentence whose paragraph goes on, a sentence or two later, into such a
/// lead-in. The
/// span then runs on into the following pieces of the same passage (close
/// by; into a block at most [`MAX_BLOCK`] of its pieces, else at most
/// [`MAX_LEAD`]), until one holds the kind of answer asked for.
pub fn span_end(question: &Question, passages: &[(&str, &str)], units: &[Unit], best: usize) -> usize {
    let text = |i: usize| units[i].text(passages[units[i].passage].0);
    let fit = |i: usize| fits(question.expect, text(i), units[i].kind == UnitKind::Code);
    let close = |last: usize, next: usize| {
        units.get(next).is_some_and(|unit| unit.passage == units[best].passage && unit.line_start <= units[last].line_end + LEAD_GAP)
    };
    let found = |i: usize| question.expect != Expect::Words && fit(i) >= 1.0;
    // A sentence over a block: the block's pieces (code, list items, lines
    // indented deeper than the sentence), while they last.
    let indent = |i: usize| line_indent(passages[units[i].passage].0, units[i].start);
    let block = |i: usize| match units[i].kind {
        UnitKind::Code => true,
        UnitKind::Prose => starts_item(text(i)) || indent(i).zip(indent(best)).is_some_and(|(inner, outer)| inner > outer),
        _ => false,
    };
    let over_block = |i: usize| units[i].kind == UnitKind::Prose && !block(i) && close(i, i + 1) && block(i + 1);
    // The best piece's paragraph may go on a sentence or two before it
    // leads in ("… one option is to create an empty .k5login file. One way
    // to do this for all new users is:"): the span starts its run there.
    let in_paragraph = |i: usize, next: usize| {
        units.get(next).is_some_and(|unit| unit.passage == units[i].passage && unit.kind == UnitKind::Prose && unit.line_start <= units[i].line_end + 1)
            && !block(next)
    };
    let leads_in = |i: usize| text(i).trim_end().ends_with(':') || units[i].kind == UnitKind::Heading;
    let mut start = best;
    if !found(best) {
        let mut end = best;
        while end - best < MAX_LEAD && in_paragraph(end, end + 1) {
            end += 1;
            if leads_in(end) || over_block(end) {
                start = end;
                break;
            }
        }
    }
    if over_block(start) && !found(best) {
        let mut last = start;
        while last - start < MAX_BLOCK && close(last, last + 1) && block(last + 1) {
            last += 1;
            if found(last) {
                break;
            }
        }
        return last;
    }
    let mut last = start;
    for _ in 0..MAX_LEAD {
        let next = last + 1;
        if !close(last, next) {
            break;
        }
        let holds_what_is_asked = question.expect != Expect::Words && fit(next) > fit(last);
        if !(leads_in(last) || holds_what_is_asked) {
            break;
        }
        last = next;
        if question.expect == Expect::Words || fit(last) >= 1.0 {
            break;
        }
    }
    last
}

/// How far the line of `text` that `at` begins is indented, when `at`
/// begins it (only spaces or tabs before it on its line).
fn line_indent(text: &str, at: usize) -> Option<usize> {
    let line_start = text[..at].rfind('\n').map_or(0, |nl| nl + 1);
    let before = &text[line_start..at];
    before.chars().all(|c| c == ' ' || c == '\t').then_some(before.len())
}

/// The share of `terms` each of `docs` holds, each term weighted by its
/// rarity among `docs`: ln(1 + N / (1 + df)).
fn shares(terms: &[String], docs: &[Vec<String>]) -> Vec<f32> {
    let n = docs.len() as f32;
    let rarity: Vec<f32> = terms
        .iter()
        .map(|t| {
            let df = docs.iter().filter(|words| words.contains(t)).count() as f32;
            (1.0 + n / (1.0 + df)).ln()
        })
        .collect();
    let total: f32 = rarity.iter().sum::<f32>().max(f32::EPSILON);
    docs.iter().map(|words| terms.iter().zip(&rarity).filter(|(t, _)| words.contains(t)).map(|(_, r)| r).sum::<f32>() / total).collect()
}

/// The passages in order: the answer's first, then those of files the
/// question names, each group by its best piece's score (a passage with no
/// piece keeps its place after the others). Returns passage indexes.
pub fn rank_passages(extraction: &Extraction, units: &[Unit], passages: usize) -> Vec<usize> {
    let mut best = vec![f32::NEG_INFINITY; passages];
    for s in &extraction.scores {
        let p = units[s.unit].passage;
        best[p] = best[p].max(s.score);
    }
    let answering = extraction.answer.map(|a| units[a.unit].passage);
    let named = |p: usize| extraction.named.get(p).copied().unwrap_or(false);
    let mut order: Vec<usize> = (0..passages).collect();
    order.sort_by(|&a, &b| {
        (answering == Some(b)).cmp(&(answering == Some(a))).then(named(b).cmp(&named(a))).then(best[b].total_cmp(&best[a])).then(a.cmp(&b))
    });
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

    /// The span the best piece of `text` makes for `question`, when the
    /// piece holding `closest` is the closest in meaning by far.
    fn span(question: &str, text: &str, closest: &str) -> String {
        let pieces = units(&[(text, 1)]);
        let passages = [(text, "x/README.md")];
        let meaning: Vec<f32> = pieces.iter().map(|p| if p.text(text).contains(closest) { 0.9 } else { 0.2 }).collect();
        let got = extract(&read(question), &passages, &pieces, &meaning, &Weights::default());
        let (first, last) = (got.answer.expect("an answer").unit, got.answer_end.unwrap());
        text[pieces[first].start..pieces[last].end].to_string()
    }

    #[test]
    fn an_answer_runs_on_from_its_lead_in_to_what_it_introduces() {
        // A sentence ending in a colon, then the command in its code block.
        let install = "# cpuid\n\nThe crate ships a cpuid binary that can be installed with:\n\n```\ncargo install cpuid --features cli\n```\n\nIt prints tables.\n";
        assert_eq!(
            span("How do I install the cpuid binary?", install, "ships"),
            "The crate ships a cpuid binary that can be installed with:\n\n```\ncargo install cpuid --features cli"
        );
        // A sentence on the topic, then the one with the number asked for.
        let precision = "Precision is kept in a variable used for operations with infinite digits (inverse, sqrt).\nThe default value of this variable is 100.\nIt can be changed.\n";
        assert_eq!(
            span("How many digits are kept for inverse and sqrt by default?", precision, "kept"),
            "Precision is kept in a variable used for operations with infinite digits (inverse, sqrt).\nThe default value of this variable is 100."
        );
        // A sentence over an indented block or a list: the block under it.
        let vimrc = "You can opt out of defaults.vim by adding the line below to\nthe system vimrc\n\n  let g:skip_defaults_vim = 1\n\nThat is all.\n";
        assert_eq!(
            span("How do I opt out of defaults.vim in the system vimrc?", vimrc, "opt out"),
            "You can opt out of defaults.vim by adding the line below to\nthe system vimrc\n\n  let g:skip_defaults_vim = 1"
        );
        let kinds = "The following three types of HTTP authentication are supported.\n\n* Digest\n* Basic\n* WSSE\n\n### Caching\n";
        assert!(span("Which types of HTTP authentication are supported?", kinds, "following").ends_with("* WSSE"));
        // The best sentence's paragraph goes on to the lead-in.
        let skel = "One option is to create an empty .k5login file in the home directory of every user. One way to do\nthis for all newly created users is:\n\n      touch /etc/skel/.k5login\n\nSee the man pages.\n";
        assert!(span("How can every new user get an empty .k5login file?", skel, "One option").ends_with("touch /etc/skel/.k5login"));
        let apart = "One option is an empty .k5login file. It goes in each home.\n\nAnother thing:\n\n      touch x\n";
        assert_eq!(span("Where does the empty .k5login file go?", apart, "One option"), "One option is an empty .k5login file.", "not past the paragraph");
    }

    #[test]
    fn an_answer_that_holds_what_is_asked_stands_alone() {
        let text = "It listens on port 4444 by default.\nThe native driver runs elsewhere.\n";
        assert_eq!(span("Which port does it listen on by default?", text, "listens"), "It listens on port 4444 by default.");
        // A lead-in with nothing after it (the passage ends) holds no
        // command: it does not answer "how do I".
        let lead = "Install it with:\n";
        let pieces = units(&[(lead, 1)]);
        let got = extract(&read("How do I install it?"), &[(lead, "x/README.md")], &pieces, &[0.9], &Weights::default());
        assert_eq!(got.answer, None);
    }

    #[test]
    fn a_question_that_names_a_file_is_answered_from_it() {
        let tower = "# Tower\n\nThe current MSRV is 1.64.0.\n";
        let http = "# tower-http\n\ntower-http's MSRV is 1.66, like tower's.\n";
        let passages = [(http, "deps/tower-http-0.6.1/README.md"), (tower, "deps/tower-0.5.2/README.md")];
        let texts: Vec<(&str, u32)> = passages.iter().map(|(t, _)| (*t, 1)).collect();
        let pieces = units(&texts);
        // tower-http's sentence is the closer in meaning and in words…
        let meaning: Vec<f32> = pieces.iter().map(|p| if p.passage == 0 { 0.8 } else { 0.6 }).collect();
        let got = extract(&read("What's tower's MSRV?"), &passages, &pieces, &meaning, &Weights::default());
        assert!(got.scores[0].unit < pieces.iter().filter(|p| p.passage == 0).count(), "tower-http's piece scores best");
        // …but the question names tower.
        let best = got.answer.expect("an answer");
        assert_eq!(pieces[best.unit].text(tower), "The current MSRV is 1.64.0.");
        assert_eq!(rank_passages(&got, &pieces, 2), [1, 0]);

        // When tower's passage does not say, tower-http's does not answer for it.
        let silent = "# Tower\n\nModular components for clients and servers.\n";
        let passages = [(http, "deps/tower-http-0.6.1/README.md"), (silent, "deps/tower-0.5.2/README.md")];
        let texts: Vec<(&str, u32)> = passages.iter().map(|(t, _)| (*t, 1)).collect();
        let pieces = units(&texts);
        let meaning: Vec<f32> = pieces.iter().map(|p| if p.passage == 0 { 0.8 } else { 0.3 }).collect();
        let got = extract(&read("What's tower's MSRV?"), &passages, &pieces, &meaning, &Weights::default());
        assert_eq!(got.answer, None);
    }

    #[test]
    fn a_question_for_a_number_is_answered_only_by_a_span_that_holds_one() {
        let about = "Pure Rust implementation of the BLAKE2 hash function family.\n";
        let q = read("Which Rust version does blake2 need at minimum?");
        let pieces = units(&[(about, 1)]);
        let got = extract(&q, &[(about, "x/README.md")], &pieces, &[0.9], &Weights::default());
        assert!(got.scores[0].score >= Weights::default().min_score, "close in meaning and words");
        assert_eq!(got.answer, None, "but it holds no version");

        let with = "Pure Rust implementation of the BLAKE2 hash function family.\n\nRust **1.41** or higher.\n";
        let pieces = units(&[(with, 1)]);
        let got = extract(&q, &[(with, "x/README.md")], &pieces, &[0.9, 0.5], &Weights::default());
        let (first, last) = (got.answer.expect("an answer").unit, got.answer_end.unwrap());
        assert!(with[pieces[first].start..pieces[last].end].ends_with("Rust **1.41** or higher."), "the span runs on to the version");
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
