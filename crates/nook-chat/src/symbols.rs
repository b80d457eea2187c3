//! A word as a chain of symbols that merge pairwise: what BPE and
//! SentencePiece share. Each symbol starts as one character; merging joins a
//! symbol with its right neighbour, which leaves the chain.

use std::ops::Range;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Symbol {
    pub start: usize,
    /// Bytes; 0 once merged into its left neighbour.
    pub len: usize,
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

#[derive(Debug)]
pub(crate) struct Symbols(Vec<Symbol>);

impl Symbols {
    /// One symbol per character of `text`.
    pub fn chars(text: &str) -> Symbols {
        let mut list: Vec<Symbol> = Vec::with_capacity(text.len());
        for (start, c) in text.char_indices() {
            let index = list.len();
            list.push(Symbol { start, len: c.len_utf8(), prev: index.checked_sub(1), next: None });
            if index > 0 {
                list[index - 1].next = Some(index);
            }
        }
        Symbols(list)
    }

    pub fn get(&self, index: usize) -> Symbol {
        self.0[index]
    }

    /// Adjacent pairs of the fresh chain, left to right.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> {
        (1..self.0.len()).map(|i| (i - 1, i))
    }

    /// Joins `right` into `left`, its left neighbour.
    pub fn merge(&mut self, left: usize, right: usize) {
        let r = self.0[right];
        self.0[left].len += r.len;
        self.0[left].next = r.next;
        self.0[right].len = 0;
        if let Some(after) = r.next {
            self.0[after].prev = Some(left);
        }
    }

    /// The byte ranges of the symbols still in the chain, in order.
    pub fn ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.0.iter().filter(|s| s.len > 0).map(|s| s.start..s.start + s.len)
    }
}
