//! SentencePiece merging, as llama.cpp's `llm_tokenizer_spm_session`: start
//! from single characters and keep merging the adjacent pair whose joined
//! text is the token with the highest score (then the leftmost pair);
//! what never becomes a token is spelled as byte tokens (`<0xE2>`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::symbols::Symbols;

#[derive(Debug)]
struct Candidate {
    score: f32,
    left: usize,
    right: usize,
    len: usize,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// The greatest pops first: the higher score, then the smaller left.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then_with(|| other.left.cmp(&self.left))
    }
}

/// What a symbol became: a token, or bytes the vocabulary must spell.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Token(u32),
    Bytes(&'a [u8]),
}

/// Merges `text` (spaces already `▁`); `token` finds a text's id and
/// `score` an id's score.
pub(crate) fn merge<'a>(text: &'a str, token: impl Fn(&str) -> Option<u32>, score: impl Fn(u32) -> f32) -> Vec<Piece<'a>> {
    let mut symbols = Symbols::chars(text);
    let mut queue = BinaryHeap::new();
    let push = |queue: &mut BinaryHeap<Candidate>, symbols: &Symbols, left: Option<usize>, right: Option<usize>| {
        let (Some(left), Some(right)) = (left, right) else { return };
        let (l, r) = (symbols.get(left), symbols.get(right));
        let len = l.len + r.len;
        if let Some(id) = token(&text[l.start..l.start + len]) {
            queue.push(Candidate { score: score(id), left, right, len });
        }
    };
    for (left, right) in symbols.pairs() {
        push(&mut queue, &symbols, Some(left), Some(right));
    }
    while let Some(Candidate { left, right, len, .. }) = queue.pop() {
        let (l, r) = (symbols.get(left), symbols.get(right));
        if l.len == 0 || r.len == 0 || l.len + r.len != len {
            continue;
        }
        symbols.merge(left, right);
        push(&mut queue, &symbols, l.prev, Some(left));
        push(&mut queue, &symbols, Some(left), symbols.get(left).next);
    }
    symbols
        .ranges()
        .map(|range| {
            let piece = &text[range];
            token(piece).map_or(Piece::Bytes(piece.as_bytes()), Piece::Token)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, score) by id.
    fn run<'a>(text: &'a str, vocab: &[(&str, f32)]) -> Vec<Piece<'a>> {
        let vocab: Vec<(String, f32)> = vocab.iter().map(|(t, s)| (t.to_string(), *s)).collect();
        merge(text, |t| vocab.iter().position(|(v, _)| v == t).map(|i| i as u32), |id| vocab[id as usize].1)
    }

    #[test]
    fn the_best_scored_token_forms_first() {
        let vocab = [("▁", 0.0), ("a", 0.0), ("b", 0.0), ("▁a", -1.0), ("ab", -2.0), ("▁ab", -3.0)];
        assert_eq!(run("▁ab", &vocab), [Piece::Token(5)]);
        // Without "▁ab", "▁a" (better score than "ab") wins and "b" stays.
        assert_eq!(run("▁ab", &vocab[..5]), [Piece::Token(3), Piece::Token(2)]);
    }

    #[test]
    fn equal_scores_merge_leftmost_first() {
        let vocab = [("a", 0.0), ("aa", -1.0)];
        assert_eq!(run("aaa", &vocab), [Piece::Token(1), Piece::Token(0)]);
    }

    #[test]
    fn characters_that_are_no_token_come_out_as_bytes() {
        assert_eq!(run("a€", &[("a", 0.0)]), [Piece::Token(0), Piece::Bytes("€".as_bytes())]);
    }
}
