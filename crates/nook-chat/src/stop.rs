//! Stop sequences on streamed text: the text is passed on as it comes,
//! except a tail that could still become a stop sequence, which waits for
//! the next piece; at a stop sequence the stream ends before it.

/// What a piece of streamed text gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Streamed {
    /// Text that can be shown now (may be empty).
    Text(String),
    /// A stop sequence was reached: the last text before it, then stop.
    Stopped(String),
}

#[derive(Debug, Clone, Default)]
pub struct StopSequences {
    stops: Vec<String>,
    held: String,
}

impl StopSequences {
    pub fn new(stops: impl IntoIterator<Item = impl Into<String>>) -> StopSequences {
        let stops = stops.into_iter().map(Into::into).filter(|s: &String| !s.is_empty()).collect();
        StopSequences { stops, held: String::new() }
    }

    pub fn push(&mut self, text: &str) -> Streamed {
        self.held.push_str(text);
        if let Some(at) = self.stops.iter().filter_map(|s| self.held.find(s.as_str())).min() {
            let before = self.held[..at].to_string();
            self.held.clear();
            return Streamed::Stopped(before);
        }
        // Hold back the longest tail that starts some stop sequence.
        let hold = self
            .stops
            .iter()
            .flat_map(|stop| (1..stop.len()).filter(|&n| stop.is_char_boundary(n)).map(move |n| &stop[..n]))
            .filter(|prefix| self.held.ends_with(prefix))
            .map(str::len)
            .max()
            .unwrap_or(0);
        let ready = self.held.len() - hold;
        Streamed::Text(self.held.drain(..ready).collect())
    }

    /// The held-back tail, when the stream ends without a stop sequence.
    pub fn finish(&mut self) -> String {
        std::mem::take(&mut self.held)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stops: &[&str], pieces: &[&str]) -> (Vec<Streamed>, String) {
        let mut s = StopSequences::new(stops.iter().copied());
        let out = pieces.iter().map(|p| s.push(p)).collect();
        (out, s.finish())
    }

    #[test]
    fn text_passes_through_when_nothing_could_stop_it() {
        let (out, rest) = run(&["\nUser:"], &["Hello", " there"]);
        assert_eq!(out, [Streamed::Text("Hello".into()), Streamed::Text(" there".into())]);
        assert_eq!(rest, "");
    }

    #[test]
    fn a_stop_split_across_pieces_is_caught_and_never_shown() {
        let (out, _) = run(&["\nUser:"], &["Paris.", "\nUs", "er: next"]);
        assert_eq!(out, [Streamed::Text("Paris.".into()), Streamed::Text("".into()), Streamed::Stopped("".into())]);
    }

    #[test]
    fn a_false_start_is_released_once_it_cannot_be_a_stop() {
        let (out, rest) = run(&["\nUser:"], &["a\nU", "nless"]);
        assert_eq!(out, [Streamed::Text("a".into()), Streamed::Text("\nUnless".into())]);
        assert_eq!(rest, "");
        let (_, rest) = run(&["###"], &["end ##"]);
        assert_eq!(rest, "##", "held back at the end, then handed over");
    }

    #[test]
    fn the_earliest_stop_wins() {
        let (out, _) = run(&["B", "A"], &["xxAyyB"]);
        assert_eq!(out, [Streamed::Stopped("xx".into())]);
    }
}
