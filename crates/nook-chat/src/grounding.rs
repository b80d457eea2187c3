//! Answers grounded in the user's files: the question goes to the model
//! with numbered passages, the model is told to answer only from them and to
//! cite them as `[n]`, and the citations are read back out of the answer.

/// A passage of a file given to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    /// First and last line of the passage (1-based).
    pub lines: (u32, u32),
    pub text: String,
}

/// The system message for grounded answers. Short and plain: the default
/// 135M model follows this better than longer instructions (tried by hand
/// with `cargo run -p nook-llm --example chat`).
pub const GROUNDED_SYSTEM: &str = "Answer in one short sentence, using only the passages from the user's files. \
Cite the passage you used, like [1]. If the passages do not tell, say that the files do not tell.";

/// What Nook answers, without asking the model, when no passage matched.
pub const NOTHING_FOUND: &str = "I found nothing about this in your files, so I cannot answer from them. \
Try other words, or add the folder that holds the answer in the Library.";

/// The system message for summaries of a file: plain, like
/// [`GROUNDED_SYSTEM`].
pub const SUMMARY_SYSTEM: &str = "Summarize the text from the user's file in a few short sentences, \
using only what the text says. Keep names, numbers and commands exactly as written.";

/// The user message asking for the summary of `text` (a file or one part
/// of it) from the file `file`.
pub fn summarize_text(file: &str, text: &str) -> String {
    format!("Text from {file}:\n{}\n\nSummarize this text in one or two sentences.", text.trim())
}

/// The user message asking for the summary of a whole file from the
/// summaries of its parts, in order.
pub fn summarize_parts(file: &str, summaries: &[String]) -> String {
    let mut text = format!("Summaries of the parts of {file}, in order:\n");
    for (i, summary) in summaries.iter().enumerate() {
        text.push_str(&format!("Part {}: {}\n", i + 1, summary.trim()));
    }
    text.push_str("\nSummarize the whole file in three sentences.");
    text
}

/// The user message: one line per numbered passage (its file, then its
/// text with line breaks folded), a blank line, then the question.
pub fn grounded_question(question: &str, sources: &[Source]) -> String {
    let mut text = String::new();
    for (i, source) in sources.iter().enumerate() {
        let passage = source.text.split_whitespace().collect::<Vec<_>>().join(" ");
        text.push_str(&format!("[{}] {}: {passage}\n", i + 1, source.path));
    }
    text.push('\n');
    text.push_str(question.trim());
    text
}

/// The source numbers an answer cites (`[2]`, `[1, 3]`, `[1][3]`), each
/// once, in the order first cited; numbers with no source are left out.
pub fn citations(answer: &str, sources: usize) -> Vec<usize> {
    let mut cited = Vec::new();
    let mut rest = answer;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { break };
        let inside = &rest[..close];
        let numbers: Option<Vec<usize>> = inside.split(',').map(|n| n.trim().parse().ok()).collect();
        if let Some(numbers) = numbers {
            for n in numbers {
                if (1..=sources).contains(&n) && !cited.contains(&n) {
                    cited.push(n);
                }
            }
        }
        rest = &rest[close + 1..];
    }
    cited
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> Source {
        Source { path: path.into(), lines: (3, 7), text: text.into() }
    }

    #[test]
    fn passages_are_numbered_one_per_line_with_their_file_before_the_question() {
        let sources = [source("notes/bread.md", "Feed the starter\ntwice a day.\n"), source("tax/2025.txt", "Receipts go in the blue folder.")];
        assert_eq!(
            grounded_question(" How often do I feed the starter? ", &sources),
            "[1] notes/bread.md: Feed the starter twice a day.\n\
             [2] tax/2025.txt: Receipts go in the blue folder.\n\nHow often do I feed the starter?"
        );
    }

    #[test]
    fn citations_are_read_in_the_order_first_cited() {
        assert_eq!(citations("Twice a day [2]. See also [1, 3] and [2][3].", 3), [2, 1, 3]);
    }

    #[test]
    fn only_real_sources_count_as_citations() {
        assert_eq!(citations("As [4] and [0] say, [x] or [1.5], but [1]", 3), [1]);
        assert!(citations("no brackets at all", 3).is_empty());
        assert!(citations("an open [1 bracket", 3).is_empty());
    }
}
