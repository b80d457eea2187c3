//! Cutting text into chunks measured in embedding tokens.
//!
//! The chunker is given the byte spans of the tokens the embedding model will
//! see, so a chunk never outgrows the model's window and its length is
//! measured the way the model measures it. Chunks end at a blank line when
//! one is near, else at the end of a line that ends a sentence, else at a
//! line break; they overlap their neighbours by a few tokens, starting at a
//! line that starts a sentence when one is in reach, so a sentence is whole
//! in at least one chunk even in text wrapped at a fixed width (manuals,
//! mail); and they keep the range of lines they cover.

use std::ops::Range;

use nook_core::Chunk;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkParams {
    /// Most tokens in one chunk.
    pub max_tokens: usize,
    /// Tokens a chunk repeats from the end of the one before it.
    pub overlap_tokens: usize,
}

impl Default for ChunkParams {
    fn default() -> Self {
        ChunkParams { max_tokens: 200, overlap_tokens: 40 }
    }
}

/// Splits `text` into chunks. `tokens` are the byte spans of its tokens, in
/// order (what the embedding tokenizer reports as offsets).
pub fn chunk_text(text: &str, tokens: &[Range<usize>], params: &ChunkParams) -> Vec<Chunk> {
    // Keep only spans that are in order, inside the text and on character
    // boundaries: a tokenizer that reports anything else cannot make the
    // chunker slice outside a character.
    let mut last_end = 0;
    let tokens: Vec<Range<usize>> = tokens
        .iter()
        .filter(|t| {
            let ok = t.start >= last_end
                && t.start < t.end
                && t.end <= text.len()
                && text.is_char_boundary(t.start)
                && text.is_char_boundary(t.end);
            if ok {
                last_end = t.end;
            }
            ok
        })
        .cloned()
        .collect();
    let n = tokens.len();
    if n == 0 {
        return Vec::new();
    }
    let max = params.max_tokens.max(1);
    let overlap = params.overlap_tokens.min(max / 2);
    let lines = LineIndex::new(text);
    // How good a place to cut between token i-1 and token i is: a blank
    // line (3), a line break after the end of a sentence (2), another line
    // break (1), or none (0).
    let gap = |i: usize| -> u8 {
        let between = &text[tokens[i - 1].end..tokens[i].start];
        match between.matches('\n').count() {
            0 => 0,
            1 if ends_sentence(&text[tokens[i - 1].clone()]) => 2,
            1 => 1,
            _ => 3,
        }
    };

    let mut chunks = Vec::new();
    let mut start = 0;
    loop {
        let hard_end = (start + max).min(n);
        let end = if hard_end == n {
            n
        } else {
            let earliest = start + max / 2 + 1;
            let best_break = |strength: u8| (earliest..=hard_end).rev().find(|&e| gap(e) >= strength);
            best_break(3).or_else(|| best_break(2)).or_else(|| best_break(1)).unwrap_or(hard_end)
        };
        let bytes = tokens[start].start..tokens[end - 1].end;
        chunks.push(Chunk {
            text: text[bytes.clone()].to_string(),
            line_start: lines.line_of(bytes.start),
            line_end: lines.line_of(bytes.end.saturating_sub(1).max(bytes.start)),
            section: None,
        });
        if end == n {
            return chunks;
        }
        let target = (end - overlap).max(start + 1);
        let line_start = |strength: u8| (target..end).find(|&s| gap(s) >= strength);
        start = line_start(2).or_else(|| line_start(1)).unwrap_or(target);
    }
}

/// Whether a token ends a sentence (or a line that leads into what
/// follows): `.`, `!`, `?` or `:`, maybe before a closing quote or bracket.
fn ends_sentence(token: &str) -> bool {
    token.trim_end_matches(['"', '\'', ')', ']', '’', '”']).ends_with(['.', '!', '?', ':'])
}

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line_of(&self, byte: usize) -> u32 {
        self.starts.partition_point(|&s| s <= byte) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whitespace-separated words as tokens: enough to specify the chunker.
    fn words(text: &str) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    spans.push(s..i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push(s..text.len());
        }
        spans
    }

    fn chunks(text: &str, max_tokens: usize, overlap_tokens: usize) -> Vec<(String, u32, u32)> {
        chunk_text(text, &words(text), &ChunkParams { max_tokens, overlap_tokens })
            .into_iter()
            .map(|c| (c.text, c.line_start, c.line_end))
            .collect()
    }

    fn owned(expected: &[(&str, u32, u32)]) -> Vec<(String, u32, u32)> {
        expected.iter().map(|(t, a, b)| (t.to_string(), *a, *b)).collect()
    }

    #[test]
    fn short_text_is_one_chunk_with_its_line_range() {
        assert_eq!(chunks("\n  hello world\n\n", 10, 2), owned(&[("hello world", 2, 2)]));
    }

    #[test]
    fn empty_and_blank_text_has_no_chunks() {
        assert!(chunks("", 10, 2).is_empty());
        assert!(chunks(" \n\t\n", 10, 2).is_empty());
    }

    #[test]
    fn chunks_prefer_to_end_at_a_blank_line() {
        let text = "a b c\nd e\n\nf g h\ni j k";
        assert_eq!(
            chunks(text, 8, 0),
            owned(&[("a b c\nd e", 1, 2), ("f g h\ni j k", 4, 5)])
        );
    }

    #[test]
    fn wrapped_prose_is_cut_where_a_sentence_ends() {
        let text = "a b c d e.\nf g\nh i\nj k";
        assert_eq!(chunks(text, 8, 0), owned(&[("a b c d e.", 1, 1), ("f g\nh i\nj k", 2, 4)]));
    }

    #[test]
    fn overlap_starts_at_a_sentence_when_one_is_in_reach() {
        let text = "p1 p2 p3\np4 p5\np6.\nq1 q2\nq3 q4.\nr1 r2 r3";
        assert_eq!(
            chunks(text, 10, 5),
            owned(&[("p1 p2 p3\np4 p5\np6.\nq1 q2\nq3 q4.", 1, 5), ("q1 q2\nq3 q4.\nr1 r2 r3", 4, 6)])
        );
    }

    #[test]
    fn long_lines_are_cut_by_token_count_with_overlap() {
        let text = "w1 w2 w3 w4 w5 w6 w7";
        assert_eq!(
            chunks(text, 4, 1),
            owned(&[("w1 w2 w3 w4", 1, 1), ("w4 w5 w6 w7", 1, 1)])
        );
    }

    #[test]
    fn overlap_starts_at_a_line_when_one_is_in_reach() {
        let text = "a1 a2 a3\nb1 b2 b3\nc1 c2 c3";
        assert_eq!(
            chunks(text, 6, 4),
            owned(&[("a1 a2 a3\nb1 b2 b3", 1, 2), ("b1 b2 b3\nc1 c2 c3", 2, 3)])
        );
    }

    #[test]
    fn spans_out_of_order_or_off_character_boundaries_are_ignored() {
        let text = "héllo world again";
        let bad = vec![0..6, 2..3, 3..4, 7..12, 40..50, 13..18];
        assert_eq!(chunk_text(text, &bad, &ChunkParams::default())[0].text, "héllo world again");
    }

    #[test]
    fn every_token_is_in_some_chunk_and_no_chunk_is_too_long() {
        let text: String = (0..1000).map(|i| if i % 13 == 0 { format!("t{i}\n") } else { format!("t{i} ") }).collect();
        let spans = words(&text);
        let params = ChunkParams { max_tokens: 50, overlap_tokens: 10 };
        let produced = chunk_text(&text, &spans, &params);
        let mut covered = vec![false; spans.len()];
        for chunk in &produced {
            let n = words(&chunk.text).len();
            assert!(n <= 50, "chunk of {n} tokens");
            let first: usize = chunk.text.split_whitespace().next().unwrap()[1..].parse().unwrap();
            for (k, _) in chunk.text.split_whitespace().enumerate() {
                covered[first + k] = true;
            }
        }
        assert!(covered.iter().all(|&c| c));
        assert_eq!(produced.last().unwrap().line_end as usize, text.lines().count());
    }
}
