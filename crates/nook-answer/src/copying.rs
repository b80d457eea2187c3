//! Numbers copied, not made up: while the model writes, a token that would
//! write a number is allowed only when the number it makes so far begins a
//! number of the passages (or the question, or a source's number in a
//! citation). "It listens on port 444…" can go on to 4444 when the passage
//! says 4444; it cannot end up as 4445.

/// The numbers a generated answer may write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copying {
    numbers: Vec<String>,
}

impl Copying {
    /// The numbers written in `texts` (the passages the model reads, the
    /// question), and the source numbers 1 to `sources` for citations.
    pub fn new(texts: &[&str], sources: usize) -> Copying {
        let mut numbers: Vec<String> = texts.iter().flat_map(|t| number_runs(t)).map(|n| n.trim_end_matches('.').to_string()).collect();
        numbers.extend((1..=sources).map(|n| n.to_string()));
        numbers.sort();
        numbers.dedup();
        Copying { numbers }
    }

    /// Whether the model may write `piece` after `before`: yes when it
    /// has no digit; otherwise every number it makes or goes on with must
    /// begin a known number (the last one may still grow; the ones it
    /// closes must be whole).
    pub fn allows(&self, before: &str, piece: &str) -> bool {
        // The number the text ends in goes on when the piece starts with a
        // digit or a dot, right after it; any other piece closes it, so it
        // must be whole ("port 444" may not be followed by " by default").
        let continues = piece.starts_with(|c: char| c.is_ascii_digit() || c == '.');
        if !piece.bytes().any(|b| b.is_ascii_digit()) {
            let open = trailing_number(before);
            return continues || open.is_empty() || self.is_number(open);
        }
        let carried = if continues { trailing_number(before) } else { "" };
        let joined = format!("{carried}{piece}");
        let runs: Vec<(usize, &str)> = number_runs_at(&joined).into_iter().collect();
        let Some(((_, last), closed)) = runs.split_last() else { return true };
        let open_at_end = joined.ends_with(|c: char| c.is_ascii_digit() || c == '.');
        closed.iter().all(|(_, run)| self.is_number(run))
            && if open_at_end { self.begins_number(last) } else { self.is_number(last) }
    }

    fn is_number(&self, run: &str) -> bool {
        let run = run.trim_end_matches('.');
        self.numbers.binary_search_by(|n| n.as_str().cmp(run)).is_ok()
    }

    /// Whether `run` is how a known number begins, or a whole one before
    /// a full stop ("4444.").
    fn begins_number(&self, run: &str) -> bool {
        self.numbers.iter().any(|n| n.starts_with(run)) || (run.ends_with('.') && self.is_number(run))
    }
}

/// The number `text` ends in (digits, with dots between them), if any.
fn trailing_number(text: &str) -> &str {
    let start = text.rfind(|c: char| !(c.is_ascii_digit() || c == '.')).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let tail = &text[start..];
    // A run is a number only from its first digit: ". 4" is not ".4".
    match tail.find(|c: char| c.is_ascii_digit()) {
        Some(first) => &tail[first..],
        None => "",
    }
}

/// The numbers in `text`: runs of digits, with single dots between digits
/// ("4444", "1.45.1", "0.5").
fn number_runs(text: &str) -> Vec<&str> {
    number_runs_at(text).into_iter().map(|(_, run)| run).collect()
}

fn number_runs_at(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))) {
            i += 1;
        }
        // A dot right after a run with no digit behind it ends the run but
        // is kept for a number still being written ("4." may become "4.5").
        let end = if bytes.get(i) == Some(&b'.') && i + 1 == bytes.len() { i + 1 } else { i };
        runs.push((start, &text[start..end]));
        i = end.max(i + 1);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copying() -> Copying {
        Copying::new(&["tauri-driver listens on port 4444 by default; version 1.45.1 needs Rust 1.70.", "What port?"], 2)
    }

    #[test]
    fn a_number_of_the_passages_may_be_written_digit_by_digit_or_in_one_piece() {
        let c = copying();
        let mut text = String::from("It listens on port");
        for piece in [" 4", "4", "4", "4", "."] {
            assert!(c.allows(&text, piece), "{text:?} + {piece:?}");
            text.push_str(piece);
        }
        assert!(c.allows("It listens on port", " 4444"));
        assert!(c.allows("Version", " 1.45.1"));
        assert!(c.allows("Version 1", ".45"));
        assert!(c.allows("Version 1.", "45"));
        assert!(c.allows("It listens on port 444", "4."), "a whole number before a full stop");
    }

    #[test]
    fn a_number_the_passages_do_not_hold_cannot_be_written() {
        let c = copying();
        assert!(!c.allows("It listens on port 444", "5"), "4445 begins no number of the passages");
        assert!(!c.allows("It listens on port", " 8080"));
        assert!(!c.allows("Version 1.45", ".2"));
        assert!(!c.allows("It listens on port", " 44 and 5"), "a number the piece closes must be whole");
        assert!(!c.allows("It listens on port 444", " by default"), "nor one a word closes");
        assert!(!c.allows("It listens on port 444", "\n"));
        assert!(!c.allows("Version 1.45", " is"));
        assert!(c.allows("Version 1.45", ".1"), "it may still grow");
    }

    #[test]
    fn words_citations_and_numbers_elsewhere_are_left_alone() {
        let c = copying();
        assert!(c.allows("It listens on port 4444", " by default"));
        assert!(c.allows("It listens on port 4444 [", "2"), "a source's number");
        assert!(!c.allows("It listens on port 4444 [", "7"), "no source 7");
        assert!(c.allows("", "The"));
        // A piece after a word starts a number of its own.
        assert!(c.allows("Rust", " 1.70"));
    }
}
