//! Cutting a request into words: whitespace separates them, quotes keep a
//! phrase together, and punctuation around a word is dropped.

/// One word of a request (or a quoted phrase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// As typed, without the punctuation around it.
    pub text: String,
    /// Lower case, for matching.
    pub lower: String,
    /// Written in quotes: taken literally, never read as a date or a kind.
    pub quoted: bool,
}

impl Word {
    fn new(text: &str, quoted: bool) -> Word {
        let mut lower = text.to_lowercase();
        // "yesterday's", "summer's", "what's": matched as the word itself.
        if !quoted {
            for possessive in ["'s", "’s"] {
                if lower.len() > possessive.len() + 1 && lower.ends_with(possessive) {
                    lower.truncate(lower.len() - possessive.len());
                }
            }
        }
        Word { text: text.to_string(), lower, quoted }
    }

    /// Whether the word begins with a capital letter, as names of folders
    /// and companies do.
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// The word as an unsigned number, written in digits or in English up
    /// to twenty.
    pub fn number(&self) -> Option<u32> {
        if let Ok(n) = self.lower.parse() {
            return Some(n);
        }
        const WORDS: [&str; 21] = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
        ];
        match self.lower.as_str() {
            "a" | "an" => Some(1),
            "couple" => Some(2),
            w => WORDS.iter().position(|n| *n == w).map(|n| n as u32),
        }
    }

    pub fn is(&self, lower: &str) -> bool {
        !self.quoted && self.lower == lower
    }

    pub fn is_any(&self, options: &[&str]) -> bool {
        !self.quoted && options.contains(&self.lower.as_str())
    }
}

const OPENING: &[char] = &['(', '[', '{', '"', '\'', '“', '‘', '«', '¿', '¡'];
const CLOSING: &[char] = &[',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '”', '’', '»', '.', '…'];

/// The words of `request`, in order.
pub(crate) fn words(request: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut rest = request;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else { break };
        if let Some(close) = closing_quote(first) {
            let body = &rest[first.len_utf8()..];
            if let Some(end) = body.find(close) {
                let phrase = body[..end].trim();
                if !phrase.is_empty() {
                    words.push(Word::new(phrase, true));
                }
                rest = &body[end + close.len_utf8()..];
                continue;
            }
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = rest[..end].trim_start_matches(OPENING);
        // A leading dot is part of a file extension (".pdf"); a trailing one
        // ends a sentence.
        let token = token.trim_end_matches(CLOSING);
        if !token.is_empty() {
            words.push(Word::new(token, false));
        }
        rest = &rest[end..];
    }
    words
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '«' => Some('»'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(request: &str) -> Vec<String> {
        words(request).into_iter().map(|w| if w.quoted { format!("<{}>", w.text) } else { w.text }).collect()
    }

    #[test]
    fn punctuation_around_words_goes_and_quotes_keep_phrases() {
        assert_eq!(texts("Reports, from this quarter?"), ["Reports", "from", "this", "quarter"]);
        assert_eq!(texts(r#"files named "Q3 plan" in ~/work."#), ["files", "named", "<Q3 plan>", "in", "~/work"]);
        assert_eq!(texts("“budget 2024” .pdf files"), ["<budget 2024>", ".pdf", "files"]);
        assert_eq!(texts("starting with IMG_"), ["starting", "with", "IMG_"]);
        assert_eq!(texts("  "), Vec::<String>::new());
        assert_eq!(texts(r#"an "unclosed quote"#), ["an", "unclosed", "quote"]);
    }

    #[test]
    fn numbers_read_in_digits_and_words() {
        let n = |w: &str| words(w)[0].number();
        assert_eq!(n("10"), Some(10));
        assert_eq!(n("ten"), Some(10));
        assert_eq!(n("Two"), Some(2));
        assert_eq!(words("yesterday's")[0].lower, "yesterday");
        assert_eq!(n("ten-ish"), None);
    }
}
