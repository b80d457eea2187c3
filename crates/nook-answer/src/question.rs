//! What a question asks about and what kind of answer it expects, read from
//! its words: the question word and the noun it asks for ("which *port*",
//! "what *command*", "how many"), not from whole phrases.

use crate::words::{content_words, tokens};

/// The kind of text that answers a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A quantity: "how many", "which version", "what port", "default size".
    Number,
    /// Something to type: "how do I install", "what command", "which line".
    Code,
    /// A name in code: a function, type, macro, feature, flag, variable.
    Name,
    /// Anything else: a fact in words.
    Words,
}

/// A question as the extractor reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The question as asked.
    pub text: String,
    /// Its content words, normalised, each once.
    pub terms: Vec<String>,
    pub expect: Expect,
}

/// Nouns whose value is a quantity.
const QUANTITIES: &[&str] = &[
    "version", "versions", "msrv", "port", "size", "sizes", "limit", "limits", "number", "count", "capacity", "timeout",
    "length", "year", "percent", "percentage", "bytes", "threshold", "depth", "maximum", "minimum", "max", "min",
    "interval", "duration", "seconds", "milliseconds", "bits", "level", "width", "height", "rate", "factor", "ratio",
    "amount",
];
/// Numbers written as words ("one" is left out: "the one", "one of").
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "hundred",
    "thousand", "million", "billion", "twice", "dozen",
];
/// Nouns whose value is a name in code.
const NAMES: &[&str] = &[
    "function", "functions", "method", "methods", "macro", "macros", "type", "types", "trait", "traits", "struct",
    "structs", "enum", "feature", "features", "flag", "flags", "option", "options", "attribute", "attributes",
    "variable", "variables", "var", "crate", "crates", "module", "modules", "field", "constant", "derive", "keyword",
    "argument", "arguments", "parameter", "parameters", "setting", "settings", "called", "named", "name", "api",
    "backend", "backends", "format", "formats", "algorithm", "algorithms", "library", "libraries", "tool", "attribute",
    "env", "environment", "error", "file", "extension", "endpoint", "header", "license", "licence",
];
/// Verbs whose answer is something to type, after "how do I …".
const ACTIONS: &[&str] = &[
    "install", "add", "run", "enable", "import", "build", "use", "compile", "test", "create", "start", "invoke", "call",
    "depend", "include", "turn", "switch", "configure", "set", "disable", "launch", "generate", "initialize", "initialise",
    "write", "declare", "register", "open", "get",
];

/// Words that point back to something said before.
const POINTING_BACK: &[&str] = &[
    "it", "its", "they", "them", "their", "that", "this", "those", "these", "there", "he", "she", "his", "her", "one",
    "ones", "same", "also", "too", "else", "instead", "former", "latter",
];
/// Words that open a question leaning on the one before ("and which
/// flour?", "what about rye?").
const CONTINUING: &[&str] = &["and", "but", "or", "also", "then", "so"];

/// What to search for `question` when it is asked after `previous` (the
/// conversation's earlier questions, oldest first). A question that leans
/// on the one before — it opens with "and", "what about", "how about", has
/// two content words or fewer, or points back with "it", "that", "they" … —
/// is searched together with the last question; any other on its own.
pub fn search_text(question: &str, previous: &[&str]) -> String {
    let Some(last) = previous.last() else { return question.to_string() };
    let words: Vec<String> = tokens(question).collect();
    let first_two = (words.first().map(String::as_str), words.get(1).map(String::as_str));
    let continuing = matches!(first_two, (Some(w), _) if CONTINUING.contains(&w))
        || matches!(first_two, (Some("what" | "how"), Some("about")));
    let few = content_words(question).len() <= 2;
    let pointing = words.iter().any(|w| POINTING_BACK.contains(&w.as_str()));
    if continuing || few || pointing {
        format!("{} {}", last.trim(), question.trim())
    } else {
        question.to_string()
    }
}

/// Reads `question`.
pub fn read(question: &str) -> Question {
    let mut terms: Vec<String> = Vec::new();
    for term in content_words(question) {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    Question { text: question.to_string(), terms, expect: expect(question) }
}

fn expect(question: &str) -> Expect {
    let words: Vec<String> = tokens(question).collect();
    let at = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let has = |list: &[&str], from: usize| words.iter().skip(from).take(6).any(|w| list.contains(&w.as_str()));
    for (i, w) in words.iter().enumerate() {
        match w.as_str() {
            "how" if matches!(at(i + 1), "many" | "much" | "long" | "big" | "large" | "old" | "often" | "fast" | "far" | "small") => {
                return Expect::Number
            }
            "how" if matches!(at(i + 1), "do" | "can" | "should" | "would" | "to" | "does") => {
                let verbs = words.iter().skip(i + 2).take(4).any(|v| ACTIONS.contains(&v.as_str()));
                if verbs {
                    return Expect::Code;
                }
            }
            "command" | "commands" | "cli" | "invocation" | "snippet" | "line" => return Expect::Code,
            "which" | "what" | "whats" => {
                if has(QUANTITIES, i + 1) {
                    return Expect::Number;
                }
                if has(NAMES, i + 1) {
                    return Expect::Name;
                }
                if words.iter().skip(i + 1).take(6).any(|v| matches!(v.as_str(), "type" | "run" | "write" | "put" | "add")) {
                    return Expect::Code;
                }
            }
            _ => {}
        }
    }
    if words.iter().any(|w| QUANTITIES.contains(&w.as_str()) && matches!(w.as_str(), "version" | "msrv" | "port" | "timeout" | "limit")) {
        return Expect::Number;
    }
    Expect::Words
}

/// How well a piece of text is the kind of answer `expect` asks for, from 0
/// to 1.
pub fn fits(expect: Expect, text: &str, is_code: bool) -> f32 {
    match expect {
        Expect::Number => {
            if tokens(text).any(|t| is_number(&t)) {
                1.0
            } else {
                0.0
            }
        }
        // Something to type is a line of code, a shell line or a command in
        // backticks (more than one word); a single name in backticks is
        // half of one, as likely the thing asked about as its answer.
        Expect::Code => {
            if is_code || text.contains("$ ") || backticked(text).any(|span| span.trim().contains(' ')) {
                1.0
            } else if text.contains('`') {
                0.5
            } else {
                0.0
            }
        }
        Expect::Name => {
            if has_identifier(text) || is_code {
                1.0
            } else {
                0.2
            }
        }
        Expect::Words => 0.5,
    }
}

/// Whether a token is a number: `4444`, `1.41`, `64` (of "64-bit"), `v2`,
/// "four"; not a name with a digit in it (`blake2`, `x86_64`).
fn is_number(token: &str) -> bool {
    let digits = token.strip_prefix('v').unwrap_or(token);
    digits.starts_with(|c: char| c.is_ascii_digit()) || NUMBER_WORDS.contains(&token)
}

/// The spans of `text` between backticks.
fn backticked(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// Whether `text` names something in code: a backticked span, a path
/// (`a::b`), a call (`f()`), `snake_case`, `CamelCase` or `ALL_CAPS`.
pub(crate) fn has_identifier(text: &str) -> bool {
    if text.contains('`') || text.contains("::") || text.contains("()") || text.contains("--") {
        return true;
    }
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| {
        let inner_upper = w.chars().skip(1).any(|c| c.is_ascii_uppercase()) && w.chars().any(|c| c.is_ascii_lowercase());
        let all_caps = w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()) && w.contains('_');
        (w.contains('_') && w.len() > 2) || inner_upper || all_caps
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(question: &str, expected: Expect) {
        assert_eq!(read(question).expect, expected, "{question}");
    }

    #[test]
    fn the_question_word_and_its_noun_say_what_kind_of_answer_is_wanted() {
        check("Which port does tauri-driver listen on by default?", Expect::Number);
        check("How many threads does rayon start?", Expect::Number);
        check("What is the minimum supported Rust version of tokio?", Expect::Number);
        check("How do I add serde to my project?", Expect::Code);
        check("What command installs tauri-driver?", Expect::Code);
        check("Which macro derives the Serialize trait?", Expect::Name);
        check("What environment variable makes env_logger log more?", Expect::Name);
        check("Why was this crate written?", Expect::Words);
    }

    #[test]
    fn a_question_that_leans_on_the_one_before_is_searched_with_it() {
        let before = ["How often do I feed my sourdough starter?"];
        let both = |q: &str| format!("{} {q}", before[0]);
        assert_eq!(search_text("and which flour?", &before), both("and which flour?"));
        assert_eq!(search_text("What about rye?", &before), both("What about rye?"));
        assert_eq!(search_text("How warm should it be kept?", &before), both("How warm should it be kept?"));
        assert_eq!(search_text("Which port does tauri-driver listen on?", &before), "Which port does tauri-driver listen on?");
        assert_eq!(search_text("and which flour?", &[]), "and which flour?");
    }

    #[test]
    fn identifiers_are_told_from_words() {
        for text in ["set `RUST_LOG`", "call Builder::new", "use HashMap", "the serde_json crate", "pass --release", "MAX_SIZE"] {
            assert!(has_identifier(text), "{text}");
        }
        for text in ["A fast and small library.", "Licensed under MIT or Apache"] {
            assert!(!has_identifier(text), "{text}");
        }
    }

    #[test]
    fn a_number_fits_a_question_for_a_quantity() {
        assert_eq!(fits(Expect::Number, "It listens on port 4444.", false), 1.0);
        assert_eq!(fits(Expect::Number, "It listens on a port.", false), 0.0);
        assert_eq!(fits(Expect::Number, "It holds just four macros.", false), 1.0);
        assert_eq!(fits(Expect::Number, "Needs v2 of the API.", false), 1.0);
        assert_eq!(fits(Expect::Number, "A BLAKE2 and SHA-256 library for x86_64.", false), 1.0, "256 is a number");
        assert_eq!(fits(Expect::Number, "A pure BLAKE2 library for x86_64.", false), 0.0);
    }

    #[test]
    fn something_to_type_is_code_a_shell_line_or_a_command_in_backticks() {
        assert_eq!(fits(Expect::Code, "cargo install cpuid", true), 1.0);
        assert_eq!(fits(Expect::Code, "Run `cargo add serde` first.", false), 1.0);
        assert_eq!(fits(Expect::Code, "$ make install", false), 1.0);
        assert_eq!(fits(Expect::Code, "`cpuid` ships a binary that can be installed.", false), 0.5);
        assert_eq!(fits(Expect::Code, "It ships a binary.", false), 0.0);
    }
}
