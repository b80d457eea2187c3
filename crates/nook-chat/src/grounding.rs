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

/// The system message for grounded answers.
pub const GROUNDED_SYSTEM: &str = "You answer questions using only the numbered sources from the user's own files. \
Cite the sources you use with their numbers in square brackets, like [1]. \
If the sources do not contain the answer, say that the files do not say.";

/// What Nook answers, without asking the model, when no passage matched.
pub const NOTHING_FOUND: &str = "I found nothing about this in your files, so I cannot answer from them. \
Try other words, or add the folder that holds the answer in the Library.";

/// The user message: the numbered sources, then the question.
pub fn grounded_question(question: &str, sources: &[Source]) -> String {
    let mut text = String::from("Sources:\n");
    for (i, source) in sources.iter().enumerate() {
        let (first, last) = source.lines;
        text.push_str(&format!("[{}] {} (lines {first}-{last}):\n{}\n\n", i + 1, source.path, source.text.trim()));
    }
    text.push_str("Question: ");
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
    fn sources_are_numbered_with_file_and_lines_before_the_question() {
        let sources = [source("notes/bread.md", "Feed the starter twice a day.\n"), source("tax/2025.txt", "Receipts go in the blue folder.")];
        assert_eq!(
            grounded_question(" How often do I feed the starter? ", &sources),
            "Sources:\n[1] notes/bread.md (lines 3-7):\nFeed the starter twice a day.\n\n\
             [2] tax/2025.txt (lines 3-7):\nReceipts go in the blue folder.\n\nQuestion: How often do I feed the starter?"
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
