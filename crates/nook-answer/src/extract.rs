//! The piece of the passages that answers a question. Each piece is scored
//! as a weighted sum of its [`Features`]; the weights in use today rest on
//! four signals:
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
//! The other features (pairs of words, neighbouring pieces, the passage's
//! rank, the span's kind, code and short pieces, a file's opening lines)
//! are measured for fitting and explaining (`nook ask --explain`) and weigh
//! nothing yet.
//!
//! A piece answers only when its score reaches [`Weights::min_score`];
//! otherwise there is no extractive answer, and the caller says so. What a
//! question's words suggest is weighed: a file the question seems to name
//! ([`crate::scope`]) counts for its pieces and against the others' as
//! plainly as it is named ("files" may name a page or just mean files; a
//! name no other passage says is plain, and then only that file answers),
//! and a span without the number or command a question seems to ask for
//! counts against it ("the number of commands it runs" asks for neither).

use crate::question::{Expect, Question};
use crate::scope::{file_names, naming, says};
use crate::units::{starts_item, Unit, UnitKind};
use crate::words::{content_words, identifier_parts};
use serde::Serialize;

/// What is measured of a piece. Its score is the sum of these, each times
/// its weight (a [`Weights::per`] of the same shape).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Features {
    /// Its similarity in meaning to the question (cosine, about 0 to 1).
    pub meaning: f32,
    /// How far it is behind the piece closest in meaning (0 for that one,
    /// negative for the rest).
    pub behind: f32,
    /// The question's words it holds, each weighted by its rarity among the
    /// pieces (0 to 1).
    pub words: f32,
    /// The share of the question's pairs of neighbouring content words it
    /// holds as neighbours too ("default port", "system vimrc").
    pub pairs: f32,
    /// The most of the question's words a piece next to it in its passage
    /// holds (the sentence before a number is often the one that names it).
    pub nearby: f32,
    /// The share of its words the question does not hold.
    pub novel: f32,
    /// The question's words found inside its identifiers (`EMPTY_HEADER`
    /// for "headers"), weighted by rarity as `words`.
    pub parts: f32,
    /// The question's words its passage and file name hold.
    pub passage: f32,
    /// Whether it is the kind of answer asked for (0 to 1; 0.5 when any
    /// words do).
    pub kind: f32,
    /// Whether its span (see [`span_end`]) holds the kind asked for.
    pub span_kind: f32,
    /// 1 for a heading, which names a topic and rarely answers.
    pub heading: f32,
    /// 1 for a line of code.
    pub code: f32,
    /// 1 for a piece of fewer than four content words.
    pub short: f32,
    /// 1 for a piece of the passage retrieved first, 1/2 of the second, …
    pub retrieved: f32,
    /// 1 for a piece in the first ten lines of its file, where a file says
    /// what it is.
    pub early: f32,
    /// For a piece of a file the question seems to name ("tower's MSRV"),
    /// how plainly: the share of the other files' passages that do not say
    /// the name (0 to 1; 0 for a file not named).
    pub named: f32,
    /// For a piece of another file, how plainly the question names one.
    pub elsewhere: f32,
    /// 1 when the question asks for a number or a command and the piece's
    /// span holds none.
    pub lacks: f32,
}

impl Features {
    /// The sum of the features, each times its weight in `per`.
    pub fn dot(&self, per: &Features) -> f32 {
        self.named().iter().zip(per.named()).map(|((_, f), (_, w))| f * w).sum()
    }

    /// Each feature with its name, in a fixed order (for explaining,
    /// fitting and [`Features::dot`]).
    pub fn named(&self) -> [(&'static str, f32); 18] {
        [
            ("meaning", self.meaning),
            ("behind", self.behind),
            ("words", self.words),
            ("pairs", self.pairs),
            ("nearby", self.nearby),
            ("novel", self.novel),
            ("parts", self.parts),
            ("passage", self.passage),
            ("kind", self.kind),
            ("span_kind", self.span_kind),
            ("heading", self.heading),
            ("code", self.code),
            ("short", self.short),
            ("retrieved", self.retrieved),
            ("early", self.early),
            ("named", self.named),
            ("elsewhere", self.elsewhere),
            ("lacks", self.lacks),
        ]
    }
}

/// How the features add up, and the score a piece must reach to answer.
/// The defaults were fitted on the labeled question sets A to D, G and H
/// (`nook-bench qa --pieces`, then `scripts/bench/fit_weights.py`; checked
/// on E and F, see docs/BENCHMARKS.md): words shared with the question count
/// most, then its passage's, the words inside its identifiers and its
/// meaning; a file the question seems to name counts for its pieces and
/// against the others'; a piece that mostly says other things, a heading,
/// a line of code or a span without the number or command asked for counts
/// less.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Each feature's weight.
    pub per: Features,
    pub min_score: f32,
}

impl Default for Weights {
    fn default() -> Self {
        let per = Features {
            meaning: 2.882,
            behind: 2.882,
            words: 5.177,
            pairs: 0.646,
            nearby: 1.977,
            novel: -0.845,
            parts: 3.552,
            passage: 4.228,
            kind: 1.151,
            span_kind: 0.683,
            heading: -0.339,
            code: -0.789,
            short: -0.088,
            retrieved: 0.641,
            early: -0.705,
            named: 1.883,
            elsewhere: -1.825,
            lacks: -0.233,
        };
        Weights { per, min_score: 5.708 }
    }
}

/// One piece's score, the features it came from and where its span ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PieceScore {
    pub unit: usize,
    pub score: f32,
    /// The first piece of its span: the piece, or the term it describes
    /// (see [`span_start`]).
    pub start: usize,
    /// The last piece of its span (see [`span_end`]).
    pub end: usize,
    pub features: Features,
}

/// The pieces scored, best first, and the passages reranked by their best
/// piece.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// Every piece's score, best first.
    pub scores: Vec<PieceScore>,
    /// The best piece, when it is good enough to show as the answer.
    pub answer: Option<PieceScore>,
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
    let part_words: Vec<Vec<String>> = units.iter().map(|u| identifier_parts(u.text(passages[u.passage].0))).collect();
    let part_share = shares(&question.terms, &part_words);
    let passage_share = shares(&question.terms, &passage_words);
    let naming = naming(&question.text, passages.iter().map(|&(_, path)| path));
    let named: Vec<bool> = passages.iter().map(|(_, path)| naming.iter().any(|(p, _)| p == path)).collect();
    // How plainly each passage's file is named: a name the other passages
    // do not say ("subtle") names its file plainly, a word they say too
    // ("files", "manual") may just be a word.
    let plainness: Vec<f32> = passages
        .iter()
        .map(|(_, path)| naming.iter().find(|(p, _)| p == path).map_or(0.0, |(_, names)| distinctness(names, passages, &named)))
        .collect();
    let plainest = plainness.iter().copied().fold(0.0, f32::max);

    let text = |i: usize| units[i].text(passages[units[i].passage].0);
    let fit = |i: usize| question.fits(text(i), units[i].kind == UnitKind::Code);
    let question_words = content_words(&question.text);
    let question_pairs = pairs(&question_words);
    let closest = meaning.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let beside = |i: usize, j: Option<usize>| j.filter(|&j| j < units.len() && units[j].passage == units[i].passage).map_or(0.0, |j| piece_share[j]);
    let mut scores: Vec<PieceScore> = units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let start = span_start(question, passages, units, i);
            let end = span_end(question, passages, units, i);
            let span_kind = (start..=end).map(fit).fold(0.0, f32::max);
            let features = Features {
                meaning: meaning[i],
                behind: meaning[i] - closest,
                words: piece_share[i],
                pairs: pair_share(&question_pairs, &piece_words[i]),
                nearby: beside(i, i.checked_sub(1)).max(beside(i, Some(i + 1))),
                novel: novelty(&piece_words[i], &question_words),
                parts: part_share[i],
                passage: passage_share[unit.passage],
                kind: fit(i),
                span_kind,
                heading: (unit.kind == UnitKind::Heading) as u8 as f32,
                code: (unit.kind == UnitKind::Code) as u8 as f32,
                short: (piece_words[i].len() < 4) as u8 as f32,
                retrieved: 1.0 / (1 + unit.passage) as f32,
                early: (unit.line_start <= EARLY_LINES) as u8 as f32,
                named: plainness[unit.passage],
                elsewhere: if named[unit.passage] { 0.0 } else { plainest },
                // An answer holds the kind of thing asked for — a number for
                // "how many", something to type for "how do I install" — in
                // its piece or in what the piece leads into.
                lacks: (matches!(question.expect, Expect::Number | Expect::Code) && span_kind < 0.5) as u8 as f32,
            };
            PieceScore { unit: i, score: features.dot(&weights.per), start, end, features }
        })
        .collect();
    scores.sort_by(|a, b| b.score.total_cmp(&a.score));
    // A file named plainly — by a name no other file's passage says — is
    // answered from or not at all: asked about subtle, another crate's
    // MSRV is no answer, however well it matches the words.
    let answer = scores.iter().find(|s| s.features.elsewhere < 1.0).filter(|s| s.score >= weights.min_score).copied();
    Extraction { scores, answer, named }
}

/// How plainly `names` name a file: the share of the passages of other files
/// that say none of the names as a word of its own ("tower" in "tower-http"
/// is part of another name; 1 when there are none). A file whose own name
/// holds the name (`tower-http` for "tower") is a relative, whose mentions
/// do not make the name a common word.
fn distinctness(names: &[String], passages: &[(&str, &str)], named: &[bool]) -> f32 {
    let relative = |path: &str| file_names(path).iter().any(|own| names.iter().any(|name| own.replace('_', "-").contains(name.as_str())));
    let others: Vec<String> = passages
        .iter()
        .zip(named)
        .filter(|&(&(_, path), &n)| !n && !relative(path))
        .map(|((text, _), _)| text.to_lowercase().replace('_', "-"))
        .collect();
    if others.is_empty() {
        return 1.0;
    }
    let silent = others.iter().filter(|text| !names.iter().any(|name| says(text, name))).count();
    silent as f32 / others.len() as f32
}

/// Words a term over its description may have (`--trace-mem=<no|yes>
/// [default: no]`, `'SOURCE_DATE_EPOCH'`, `exsltRegisterAll () void`).
const TERM_WORDS: usize = 6;

/// Where the span of an answer whose best piece is `best` starts. In a list
/// of terms and their descriptions (options, environment variables,
/// functions), a question that asks for the name often matches the
/// description best, and the name is the term above it: when the question
/// asks for a name or something to type and `best` holds none but the
/// piece just above it (the line before, in its passage) is a short line
/// holding one and ending no sentence, the span starts at that term.
pub fn span_start(question: &Question, passages: &[(&str, &str)], units: &[Unit], best: usize) -> usize {
    let text = |i: usize| units[i].text(passages[units[i].passage].0);
    let fit = |i: usize| question.fits(text(i), units[i].kind == UnitKind::Code);
    if !matches!(question.expect, Expect::Name | Expect::Code) || fit(best) >= 1.0 {
        return best;
    }
    let Some(term) = best.checked_sub(1) else { return best };
    let above = units[term].passage == units[best].passage && units[term].line_end + 1 >= units[best].line_start;
    let short = text(term).split_whitespace().count() <= TERM_WORDS && !text(term).trim_end().ends_with(['.', '!', '?']);
    if above && short && fit(term) >= 1.0 {
        term
    } else {
        best
    }
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
    let fit = |i: usize| question.fits(text(i), units[i].kind == UnitKind::Code);
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
    // A sentence that mostly says again what was asked, without the kind of
    // answer asked for, leaves the answer to the sentence after it ("Specify
    // the default line-wrap length for the l command. If not specified, it
    // is taken to be 70.").
    let restates = |i: usize| novelty(&content_words(text(i)), &content_words(&question.text)) < RESTATES;
    if last == best && !found(best) && restates(best) && in_paragraph(best, best + 1) {
        last = best + 1;
    }
    last
}

/// The share of new words under which a sentence restates the question.
const RESTATES: f32 = 0.6;

/// How far the line of `text` that `at` begins is indented, when `at`
/// begins it (only spaces or tabs before it on its line).
fn line_indent(text: &str, at: usize) -> Option<usize> {
    let line_start = text[..at].rfind('\n').map_or(0, |nl| nl + 1);
    let before = &text[line_start..at];
    before.chars().all(|c| c == ' ' || c == '\t').then_some(before.len())
}

/// The share of `words` that are not among `asked`.
fn novelty(words: &[String], asked: &[String]) -> f32 {
    if words.is_empty() {
        return 0.0;
    }
    words.iter().filter(|w| !asked.contains(w)).count() as f32 / words.len() as f32
}

/// Lines at the top of a file that say what it is.
const EARLY_LINES: u32 = 10;

/// Neighbouring words, as pairs.
fn pairs(words: &[String]) -> Vec<(&str, &str)> {
    words.windows(2).map(|w| (w[0].as_str(), w[1].as_str())).collect()
}

/// The share of `wanted` pairs that are neighbours in `words`.
fn pair_share(wanted: &[(&str, &str)], words: &[String]) -> f32 {
    if wanted.is_empty() {
        return 0.0;
    }
    let held = pairs(words);
    wanted.iter().filter(|pair| held.contains(pair)).count() as f32 / wanted.len() as f32
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
        let (first, last) = (got.answer.expect("an answer").start, got.answer.unwrap().end);
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
        assert_eq!(
            span("Where does the empty .k5login file go?", apart, "One option"),
            "One option is an empty .k5login file. It goes in each home.",
            "a sentence that restates the question runs on into the next, not past the paragraph"
        );
    }

    #[test]
    fn a_description_that_answers_a_question_for_a_name_brings_its_term() {
        // As a page lays out its terms: each on a line of its own, over its
        // description.
        let text = "Environment\n\nOCL_ICD_PLATFORM_SORT\nHow platforms are sorted when presented to programs.\nOCL_ICD_DEFAULT_PLATFORM\nNumber of the platform to choose as default platform.\n";
        assert_eq!(
            span("Which environment variable sets the number of the default platform?", text, "Number of"),
            "OCL_ICD_DEFAULT_PLATFORM\nNumber of the platform to choose as default platform."
        );
        // Asked for words, the description is the answer.
        assert_eq!(
            span("Which platform does it choose by default?", text, "Number of"),
            "Number of the platform to choose as default platform."
        );
    }

    #[test]
    fn an_answer_that_holds_what_is_asked_stands_alone() {
        let text = "It listens on port 4444 by default.\nThe native driver runs elsewhere.\n";
        assert_eq!(span("Which port does it listen on by default?", text, "listens"), "It listens on port 4444 by default.");
    }

    #[test]
    fn a_question_that_names_a_file_is_answered_from_it() {
        let tower = "# Tower\n\nTower's MSRV is 1.64.0.\n";
        let http = "# tower-http\n\ntower-http's MSRV is 1.66.\n";
        let passages = [(http, "deps/tower-http-0.6.1/README.md"), (tower, "deps/tower-0.5.2/README.md")];
        let texts: Vec<(&str, u32)> = passages.iter().map(|(t, _)| (*t, 1)).collect();
        let pieces = units(&texts);
        // tower-http's sentence holds as many of the question's words, and
        // is as close in meaning…
        let meaning = vec![0.7; pieces.len()];
        let got = extract(&read("What's tower's MSRV?"), &passages, &pieces, &meaning, &Weights::default());
        let msrv = |passage: usize| got.scores.iter().find(|s| pieces[s.unit].passage == passage && pieces[s.unit].kind == UnitKind::Prose).unwrap();
        assert!(msrv(0).features.words >= msrv(1).features.words);
        // …but the question names tower, and tower-http's passage says
        // "tower" only inside its own name.
        assert_eq!((msrv(1).features.named, msrv(0).features.elsewhere), (1.0, 1.0));
        let best = got.answer.expect("an answer");
        assert_eq!(pieces[best.unit].text(tower), "Tower's MSRV is 1.64.0.");
        assert_eq!(rank_passages(&got, &pieces, 2), [1, 0]);

        // When tower's passage does not say, tower-http's (a relative: its
        // name holds "tower") does not answer for it.
        let silent = "# Tower\n\nModular components for clients and servers.\n";
        let passages = [(http, "deps/tower-http-0.6.1/README.md"), (silent, "deps/tower-0.5.2/README.md")];
        let texts: Vec<(&str, u32)> = passages.iter().map(|(t, _)| (*t, 1)).collect();
        let pieces = units(&texts);
        let meaning: Vec<f32> = pieces.iter().map(|p| if p.passage == 0 { 0.8 } else { 0.3 }).collect();
        let got = extract(&read("What's tower's MSRV?"), &passages, &pieces, &meaning, &Weights::default());
        assert_eq!(got.answer, None);

        // A file seems named by a common word ("files"), yet another file
        // answers plainly: the seeming name weighs, it does not wall out.
        let files = "# Files\n\nThe files of the manual, listed by chapter.\n";
        let tmp = "# Options\n\nTemporary files are written to /var/tmp unless TMPDIR is set.\n";
        let passages = [(files, "doc/files.html"), (tmp, "doc/options.html")];
        let texts: Vec<(&str, u32)> = passages.iter().map(|(t, _)| (*t, 1)).collect();
        let pieces = units(&texts);
        let meaning: Vec<f32> = pieces.iter().map(|p| if p.passage == 1 { 0.7 } else { 0.4 }).collect();
        let got = extract(&read("Where are temporary files written?"), &passages, &pieces, &meaning, &Weights::default());
        assert_eq!(got.named, [true, false]);
        let best = got.answer.expect("an answer");
        assert_eq!(pieces[best.unit].text(tmp), "Temporary files are written to /var/tmp unless TMPDIR is set.");
    }

    #[test]
    fn a_question_for_a_number_prefers_a_span_that_holds_one() {
        let q = read("Which Rust version does blake2 need at minimum?");
        let text = "The minimum Rust version of blake2 is in its changelog.\n\nIt hashes.\n\nIt is fast.\n\nThe minimum Rust version of blake2 is 1.41.\n";
        let pieces = units(&[(text, 1)]);
        // The sentence without a version is the closer in meaning, as close
        // in words…
        let got = extract(&q, &[(text, "x/README.md")], &pieces, &[0.9, 0.1, 0.1, 0.8], &Weights::default());
        let of = |i: usize| got.scores.iter().find(|s| s.unit == i).unwrap().features;
        assert_eq!((of(0).lacks, of(3).lacks), (1.0, 0.0));
        // …but the one that holds a version answers.
        assert_eq!(pieces[got.answer.expect("an answer").unit].text(text), "The minimum Rust version of blake2 is 1.41.");

        let with = "Pure Rust implementation of the BLAKE2 hash function family.\n\nRust **1.41** or higher.\n";
        let pieces = units(&[(with, 1)]);
        let got = extract(&q, &[(with, "x/README.md")], &pieces, &[0.9, 0.5], &Weights::default());
        let (first, last) = (got.answer.expect("an answer").start, got.answer.unwrap().end);
        assert!(with[pieces[first].start..pieces[last].end].ends_with("Rust **1.41** or higher."), "the span runs on to the version");
    }

    #[test]
    fn a_pieces_features_say_what_it_shares_with_the_question_and_its_neighbours() {
        let text = "# server\n\nThe default port of the server is 8080.\nIt can be changed.\nSee SERVER_PORT.\n";
        let pieces = units(&[(text, 1)]);
        let meaning: Vec<f32> = pieces.iter().map(|p| if p.text(text).contains("changed") { 0.5 } else { 0.1 }).collect();
        let got = extract(&read("What is the default port of the server?"), &[(text, "x/README.md")], &pieces, &meaning, &Weights::default());
        let of = |needle: &str| got.scores.iter().find(|s| pieces[s.unit].text(text).contains(needle)).unwrap().features;
        let port = of("8080");
        // "default port" and "port server" (stop words left out), both.
        assert_eq!(port.pairs, 1.0);
        assert_eq!((port.kind, port.span_kind, port.early, port.retrieved), (1.0, 1.0, 1.0, 1.0));
        let after = of("changed");
        assert_eq!((after.words, after.pairs), (0.0, 0.0));
        assert_eq!(after.nearby, port.words, "its neighbour holds the question's words");
        assert_eq!(after.behind, 0.0, "the closest in meaning");
        assert!(port.behind < 0.0);
        assert_eq!(of("# server").heading, 1.0);
        // "default port server 8080": one word in four is new; "changed",
        // all of it.
        assert_eq!((port.novel, after.novel), (0.25, 1.0));
        assert!(of("SERVER_PORT").parts > 0.0 && port.parts == 0.0, "the question's words inside an identifier");
        assert!(got.scores.iter().all(|s| (s.score - s.features.dot(&Weights::default().per)).abs() < 1e-6));
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
