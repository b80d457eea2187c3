//! The evidence side of answers: the passages cut into pieces, each piece's
//! similarity in meaning to the question (the embedding model), the piece
//! that answers (`nook-answer`), the passages reranked by their best piece,
//! and later the generated answer checked against the same pieces.

use std::sync::atomic::{AtomicBool, Ordering};

use nook_answer::{check_answer, extract, key_points, question, rank_passages, sentences, units, CheckedSentence, Extraction, PieceScore, Unit, Weights};
use nook_core::ChunkHit;
use nook_embed::Embedder;
use serde::{Deserialize, Serialize};

use crate::Result;

/// Characters of the passage kept on each side of the extracted span, to
/// show it in place.
const CONTEXT_CHARS: usize = 400;

/// The span of a passage that answers the question, shown before any
/// generated text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extract {
    /// The number of its passage among the sources.
    pub source: usize,
    pub path: String,
    /// The lines of the file the span is on.
    pub line_start: u32,
    pub line_end: u32,
    /// The page, sheet or slide, for documents that have them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The span itself.
    pub text: String,
    /// The passage around it, to show it highlighted in place.
    pub before: String,
    pub after: String,
    /// How well it answers (0 to about 1); shown spans score at least the
    /// extractor's threshold.
    pub score: f32,
}

/// A piece of the passages as the extractor scored it, for `nook ask
/// --explain` and for fitting the extractor's weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredPiece {
    pub path: String,
    pub line_start: u32,
    pub line_end: u32,
    /// The span it would answer with: the piece and what it leads into.
    pub span: String,
    pub score: f32,
    /// What was measured of it, by name (see `nook_answer::Features`).
    pub features: Vec<(String, f32)>,
}

/// The candidates read: their pieces and each piece's vector.
pub(crate) struct Evidence {
    /// The candidate passages, best first after reranking.
    pub passages: Vec<ChunkHit>,
    /// Pieces of those passages (`Unit::passage` indexes `passages`).
    units: Vec<Unit>,
    vectors: Vec<Vec<f32>>,
    /// The answer's first and last piece and its score, if any.
    answer: Option<(usize, usize, f32)>,
    /// Each passage's best piece (an index into `units`).
    best: Vec<Option<usize>>,
    /// Every piece as scored, best first, when asked to explain.
    pub scored: Vec<ScoredPiece>,
    /// The best spans of the kept passages, each once, best first: first
    /// and last piece and score; what the chat model weighs.
    spans: Vec<(usize, usize, f32)>,
}

/// Spans the chat model weighs at most.
pub(crate) const CHOICES: usize = 8;

/// Every piece of `extraction`, best first, with its span and features.
fn scored_pieces(extraction: &Extraction, passages: &[ChunkHit], units: &[Unit]) -> Vec<ScoredPiece> {
    let piece = |s: &PieceScore| {
        let (first, last) = (&units[s.start], &units[s.end]);
        let passage = &passages[first.passage];
        ScoredPiece {
            path: passage.path.clone(),
            line_start: first.line_start,
            line_end: last.line_end,
            span: passage.text[first.start..last.end].to_string(),
            score: s.score,
            features: s.features.named().iter().map(|&(name, value)| (name.to_string(), value)).collect(),
        }
    };
    extraction.scores.iter().map(piece).collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Evidence {
    /// Reads `candidates` for `question`: embeds every piece in its
    /// passage, scores them,
    /// reorders the candidates by their best piece and keeps the first
    /// `keep`. With `explain`, every piece's score is kept too.
    pub(crate) fn read(embedder: &Embedder, question: &str, question_vector: &[f32], candidates: Vec<ChunkHit>, keep: usize, explain: bool) -> Result<Evidence> {
        let (pieces, vectors) = embed_pieces(embedder, &candidates, &AtomicBool::new(false), &mut |_| {})?;
        let meaning: Vec<f32> = vectors.iter().map(|v| dot(v, question_vector)).collect();
        let with_paths: Vec<(&str, &str)> = candidates.iter().map(|c| (c.text.as_str(), c.path.as_str())).collect();
        let extraction = extract(&question::read(question), &with_paths, &pieces, &meaning, &Weights::default());
        let scored = if explain { scored_pieces(&extraction, &candidates, &pieces) } else { Vec::new() };
        // The best piece's passage comes first, so it is always kept.
        let order: Vec<usize> = rank_passages(&extraction, &pieces, candidates.len()).into_iter().take(keep).collect();
        let mut new_place = vec![None; candidates.len()];
        for (new, &old) in order.iter().enumerate() {
            new_place[old] = Some(new);
        }
        let mut kept_units = Vec::new();
        let mut kept_vectors = Vec::new();
        let mut kept_index = vec![None; pieces.len()];
        for (i, (unit, vector)) in pieces.into_iter().zip(vectors).enumerate() {
            let Some(passage) = new_place[unit.passage] else { continue };
            kept_index[i] = Some(kept_units.len());
            kept_units.push(Unit { passage, ..unit });
            kept_vectors.push(vector);
        }
        // The answer's passage comes first, so it is kept.
        let answer = extraction.answer.and_then(|a| {
            let first = kept_index[a.start]?;
            let last = kept_index[a.end].unwrap_or(first);
            Some((first, last, a.score))
        });
        // Scores come best first: the first seen of a passage is its best.
        let mut best = vec![None; order.len()];
        for score in &extraction.scores {
            if let Some(k) = kept_index[score.unit] {
                best[kept_units[k].passage].get_or_insert(k);
            }
        }
        let mut spans: Vec<(usize, usize, f32)> = Vec::new();
        for score in &extraction.scores {
            let Some(first) = kept_index[score.start] else { continue };
            let last = kept_index[score.end].unwrap_or(first);
            if spans.len() < CHOICES && !spans.iter().any(|&(f, l, _)| (f, l) == (first, last)) {
                spans.push((first, last, score.score));
            }
        }
        let mut slots: Vec<Option<ChunkHit>> = candidates.into_iter().map(Some).collect();
        let passages = order.iter().filter_map(|&old| slots[old].take()).collect();
        Ok(Evidence { passages, units: kept_units, vectors: kept_vectors, answer, best, scored, spans })
    }

    /// Reads all of `passages` (a whole file's parts, in order) with no
    /// question: every piece embedded (until `cancel` is set), the passages
    /// kept as they are.
    /// `on_passage` hears how many passages are read so far.
    pub(crate) fn whole(embedder: &Embedder, passages: Vec<ChunkHit>, cancel: &AtomicBool, on_passage: &mut dyn FnMut(usize)) -> Result<Evidence> {
        let (units, vectors) = embed_pieces(embedder, &passages, cancel, on_passage)?;
        let best = vec![None; passages.len()];
        Ok(Evidence { passages, units, vectors, answer: None, best, scored: Vec::new(), spans: Vec::new() })
    }

    /// The `k` key points of the passages (see [`key_points`]), numbered
    /// as the sources are, in the text's order.
    pub(crate) fn key_points(&self, k: usize) -> Vec<Extract> {
        let texts: Vec<&str> = self.passages.iter().map(|p| p.text.as_str()).collect();
        key_points(&self.units, &texts, &self.vectors, k).into_iter().map(|(u, score)| self.span(u, u, score)).collect()
    }

    /// What the model reads of passage `p`: at most `chars` characters
    /// around its best piece, cut at line breaks where one is near, so a
    /// short prompt still holds what answers.
    pub(crate) fn excerpt(&self, p: usize, chars: usize) -> &str {
        let text = &self.passages[p].text;
        if text.chars().count() <= chars {
            return text;
        }
        let (start, end) = match self.best[p] {
            Some(u) => (self.units[u].start, self.units[u].end),
            None => (0, 0),
        };
        // Centre the window on the piece, a third before and the rest after.
        let budget = chars.saturating_sub(text[start..end].chars().count());
        let before = tail_chars(&text[..start], budget / 3);
        let after_budget = budget - before.chars().count();
        let after = head_chars(&text[end..], after_budget);
        let mut from = start - before.len();
        let mut to = end + after.len();
        // Whole lines where that loses little.
        if let Some(nl) = text[from..start].find('\n') {
            if nl < before.len() / 2 {
                from += nl + 1;
            }
        }
        if let Some(nl) = text[end..to].rfind('\n') {
            if to - (end + nl) < after.len() / 2 {
                to = end + nl;
            }
        }
        &text[from..to]
    }

    /// The extractive answer, numbered as the sources are (1-based, in the
    /// order of `passages`).
    pub(crate) fn extract(&self) -> Option<Extract> {
        let (first, last, score) = self.answer?;
        Some(self.span(first, last, score))
    }

    /// The best spans of the sources, each once, best first, numbered as
    /// the sources are: what the chat model weighs.
    pub(crate) fn choices(&self) -> Vec<Extract> {
        self.spans.iter().map(|&(first, last, score)| self.span(first, last, score)).collect()
    }

    /// The text from piece `first` to piece `last` (of one passage), in
    /// its passage.
    fn span(&self, first: usize, last: usize, score: f32) -> Extract {
        let (first, last) = (&self.units[first], &self.units[last]);
        let passage = &self.passages[first.passage];
        let text = &passage.text;
        let before = tail_chars(&text[..first.start], CONTEXT_CHARS);
        let after = head_chars(&text[last.end..], CONTEXT_CHARS);
        Extract {
            source: first.passage + 1,
            path: passage.path.clone(),
            line_start: first.line_start,
            line_end: last.line_end,
            section: passage.section.clone(),
            text: text[first.start..last.end].to_string(),
            before: before.to_string(),
            after: after.to_string(),
            score,
        }
    }

    /// Checks a generated answer against the passages: each sentence is
    /// supported (by which passages) or not found in the files.
    pub(crate) fn check(&self, embedder: &Embedder, answer: &str) -> Result<Vec<CheckedSentence>> {
        let sentences = sentences(answer);
        if sentences.is_empty() {
            return Ok(Vec::new());
        }
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        let sentence_vectors = embedder.embed(&texts)?;
        let passages: Vec<&str> = self.passages.iter().map(|p| p.text.as_str()).collect();
        let meaning = |s: usize, p: usize| -> f32 {
            self.units
                .iter()
                .zip(&self.vectors)
                .filter(|(u, _)| u.passage == p)
                .map(|(_, v)| dot(v, &sentence_vectors[s]))
                .fold(0.0, f32::max)
        };
        Ok(check_answer(&sentences, &passages, &meaning))
    }
}

/// The pieces of `passages` and each one's vector. Each piece is read in
/// the context of its passage: one pass of the model per passage, not one
/// per piece (pieces cut mid-sentence keep their sense, and the time to the
/// answer halves at p90). `on_passage` hears how many passages are read;
/// once `cancel` is set, the passages not read yet give no pieces.
fn embed_pieces(embedder: &Embedder, passages: &[ChunkHit], cancel: &AtomicBool, on_passage: &mut dyn FnMut(usize)) -> Result<(Vec<Unit>, Vec<Vec<f32>>)> {
    let texts: Vec<(&str, u32)> = passages.iter().map(|c| (c.text.as_str(), c.line_start)).collect();
    let mut pieces = units(&texts);
    let mut spans = vec![Vec::new(); passages.len()];
    for unit in &pieces {
        spans[unit.passage].push(unit.start..unit.end);
    }
    // In groups, read together (the model batches texts of like length),
    // with word after each.
    const GROUP: usize = 8;
    let texts: Vec<&str> = passages.iter().map(|c| c.text.as_str()).collect();
    let mut by_passage = Vec::with_capacity(passages.len());
    for (texts, spans) in texts.chunks(GROUP).zip(spans.chunks(GROUP)) {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        by_passage.extend(embedder.embed_spans(texts, spans)?.into_iter().map(Vec::into_iter));
        on_passage(by_passage.len());
    }
    pieces.retain(|unit| unit.passage < by_passage.len());
    let vectors = pieces.iter().map(|unit| by_passage[unit.passage].next().expect("one vector per piece")).collect();
    Ok((pieces, vectors))
}

fn tail_chars(text: &str, n: usize) -> &str {
    let start = text.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &text[start..]
}

fn head_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}
