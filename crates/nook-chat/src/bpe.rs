//! Byte-level BPE merging of one pre-tokenized word, as llama.cpp's
//! `llm_tokenizer_bpe_session`: the adjacent pair with the lowest merge
//! rank (then the leftmost) merges first, until no listed pair is left.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;

use crate::symbols::{Symbol, Symbols};

/// A candidate merge: rank, then the left symbol's index, then the lengths
/// both had when it was found (a merge since makes it stale).
type Candidate = Reverse<(u32, usize, usize, usize, usize)>;

/// The byte ranges of `word`'s symbols once every merge has run.
pub(crate) fn merge(word: &str, ranks: &HashMap<(String, String), u32>) -> Vec<Range<usize>> {
    let mut symbols = Symbols::chars(word);
    let text = |s: Symbol| &word[s.start..s.start + s.len];
    let mut queue: BinaryHeap<Candidate> = BinaryHeap::new();
    let push = |queue: &mut BinaryHeap<Candidate>, symbols: &Symbols, left: Option<usize>, right: Option<usize>| {
        let (Some(left), Some(right)) = (left, right) else { return };
        let (l, r) = (symbols.get(left), symbols.get(right));
        if let Some(&rank) = ranks.get(&(text(l).to_string(), text(r).to_string())) {
            queue.push(Reverse((rank, left, right, l.len, r.len)));
        }
    };
    for (left, right) in symbols.pairs() {
        push(&mut queue, &symbols, Some(left), Some(right));
    }
    while let Some(Reverse((_, left, right, left_len, right_len))) = queue.pop() {
        let (l, r) = (symbols.get(left), symbols.get(right));
        if l.len == 0 || r.len == 0 || l.len != left_len || r.len != right_len || l.next != Some(right) {
            continue;
        }
        symbols.merge(left, right);
        push(&mut queue, &symbols, l.prev, Some(left));
        push(&mut queue, &symbols, Some(left), symbols.get(left).next);
    }
    symbols.ranges().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranks(merges: &[(&str, &str)]) -> HashMap<(String, String), u32> {
        merges.iter().enumerate().map(|(rank, (l, r))| ((l.to_string(), r.to_string()), rank as u32)).collect()
    }

    fn pieces<'a>(word: &'a str, merges: &[(&str, &str)]) -> Vec<&'a str> {
        merge(word, &ranks(merges)).into_iter().map(|r| &word[r]).collect()
    }

    #[test]
    fn the_lowest_rank_merges_first() {
        assert_eq!(pieces("abc", &[("b", "c"), ("a", "b")]), ["a", "bc"]);
        assert_eq!(pieces("abc", &[("a", "b"), ("b", "c"), ("ab", "c")]), ["abc"]);
    }

    #[test]
    fn equal_ranks_merge_leftmost_first() {
        // "aaa": both pairs are ("a","a"); the left one merges, then "aa"+"a"
        // has no rank.
        assert_eq!(pieces("aaa", &[("a", "a")]), ["aa", "a"]);
        assert_eq!(pieces("aaaa", &[("a", "a"), ("aa", "aa")]), ["aaaa"]);
    }

    #[test]
    fn symbols_are_whole_characters() {
        assert_eq!(pieces("Ġé", &[]), ["Ġ", "é"]);
        assert_eq!(pieces("Ġé", &[("Ġ", "é")]), ["Ġé"]);
        assert!(pieces("", &[]).is_empty());
    }
}
