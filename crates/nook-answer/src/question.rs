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
    /// Every token it says, lower-cased (what it gives is no answer to it).
    pub said: Vec<String>,
    pub expect: Expect,
}

/// Nouns whose value is a quantity.
const QUANTITIES: &[&str] = &[
    "version", "versions", "msrv", "port", "size", "sizes", "limit", "limits", "number", "count", "capacity", "timeout",
    "length", "year", "percent", "percentage", "bytes", "threshold", "depth", "maximum", "minimum", "max", "min",
    "interval", "duration", "seconds", "milliseconds", "bits", "level", "width", "height", "rate", "factor", "ratio",
    "amount", "precision", "delay", "frequency", "speed", "priority", "offset", "resolution", "status", "price", "cost",
    "date",
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
    Question { text: question.to_string(), terms, said: tokens(question).collect(), expect: expect(question) }
}

fn expect(question: &str) -> Expect {
    let words: Vec<String> = tokens(question).collect();
    let at = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
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
            // The noun nearest the question word says what is asked for:
            // "which environment variable sets the number of …" asks for a
            // name, "what is the maximum number of …" for a number.
            "which" | "what" | "whats" => {
                for v in words.iter().skip(i + 1).take(6).map(String::as_str) {
                    if QUANTITIES.contains(&v) {
                        return Expect::Number;
                    }
                    if NAMES.contains(&v) {
                        return Expect::Name;
                    }
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

impl Question {
    /// How well a piece of text is the kind of answer this question asks
    /// for, from 0 to 1. What the question itself says is no answer to it:
    /// asked what xargs returns "when the command exits with status 255",
    /// the 255 of a sentence that repeats it is not the number asked for,
    /// nor `EXTRA_PROGRAMS` the name asked for when the question names it.
    pub fn fits(&self, text: &str, is_code: bool) -> f32 {
        // Given: every word of it is a word of the question (`rand` is not
        // given by "rand_core").
        let new = |thing: &str| !tokens(thing).all(|t| self.said.contains(&t));
        match self.expect {
            // A version is asked for as a number but written with dots
            // (`1.81`, `3.22.30`, `v2.1`): a bare number fits it half.
            Expect::Number => {
                let wants_version = self.terms.iter().any(|t| matches!(t.as_str(), "version" | "versions" | "msrv" | "release"));
                let numbers = tokens(text).filter(|t| is_number(t) && !self.said.contains(t));
                numbers.map(|t| if !wants_version || t.contains('.') { 1.0 } else { 0.5 }).fold(0.0, f32::max)
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
                if is_code || identifiers(text).any(new) {
                    1.0
                } else {
                    0.2
                }
            }
            Expect::Words => 0.5,
        }
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
/// (`a::b`), a call (`f()`), an option (`--all`), `snake_case`,
/// `CamelCase` or `ALL_CAPS`.
pub(crate) fn has_identifier(text: &str) -> bool {
    identifiers(text).next().is_some()
}

/// The names in code `text` holds: backticked spans, paths (`a::b`), calls
/// (`f()`), options (`--all`), `snake_case`, `CamelCase` and `ALL_CAPS`
/// words.
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    let marked = text.split_whitespace().filter(|w| w.contains("::") || w.contains("()") || w.starts_with("--"));
    let words = text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| {
        let inner_upper = w.chars().skip(1).any(|c| c.is_ascii_uppercase()) && w.chars().any(|c| c.is_ascii_lowercase());
        let all_caps = w.len() >= 3 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()) && w.contains('_');
        (w.contains('_') && w.len() > 2) || inner_upper || all_caps
    });
    backticked(text).chain(marked).chain(words)
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
        check("Which environment variable sets the number of the default platform?", Expect::Name);
        check("What is the maximum number of options a function takes?", Expect::Number);
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
        let port = read("Which port does it listen on?");
        assert_eq!(port.fits("It listens on port 4444.", false), 1.0);
        assert_eq!(port.fits("It listens on a port.", false), 0.0);
        assert_eq!(port.fits("It holds just four macros.", false), 1.0);
        assert_eq!(port.fits("Needs v2 of the API.", false), 1.0);
        assert_eq!(port.fits("A BLAKE2 and SHA-256 library for x86_64.", false), 1.0, "256 is a number");
        assert_eq!(port.fits("A pure BLAKE2 library for x86_64.", false), 0.0);
    }

    #[test]
    fn a_version_is_a_number_with_dots() {
        let msrv = read("What Rust version does it need at minimum?");
        assert_eq!(msrv.fits("This library requires Rust 1.81 or higher.", false), 1.0);
        assert_eq!(msrv.fits("derive_more = { version = \"2\" }", false), 0.5);
        assert_eq!(msrv.fits("It needs a recent Rust.", false), 0.0);
    }

    #[test]
    fn what_the_question_says_is_not_its_answer() {
        let status = read("How many does xargs return when the command exits with status 255?");
        assert_eq!(status.fits("When a command run by xargs exits with status 255, xargs stops.", false), 0.0);
        assert_eq!(status.fits("124 if the command exited with status 255", false), 1.0);
        let renamed = read("What was the variable called that was renamed to EXTRA_PROGRAMS?");
        assert_eq!(renamed.fits("Use EXTRA_PROGRAMS for programs built only on demand.", false), 0.2);
        assert_eq!(renamed.fits("AM_PROGRAMS has since been renamed to EXTRA_PROGRAMS.", false), 1.0);
        let instead = read("Which crate does rand_core say most users should use instead?");
        assert_eq!(instead.fits("Most users should prefer the `rand` crate.", false), 1.0, "rand is not rand_core");
    }

    #[test]
    fn something_to_type_is_code_a_shell_line_or_a_command_in_backticks() {
        let install = read("What command installs it?");
        assert_eq!(install.fits("cargo install cpuid", true), 1.0);
        assert_eq!(install.fits("Run `cargo add serde` first.", false), 1.0);
        assert_eq!(install.fits("$ make install", false), 1.0);
        assert_eq!(install.fits("`cpuid` ships a binary that can be installed.", false), 0.5);
        assert_eq!(install.fits("It ships a binary.", false), 0.0);
    }
}
