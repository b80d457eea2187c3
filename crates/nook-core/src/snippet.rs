//! The part of a chunk shown as a result's snippet: the few lines that share
//! the most words with the query, with the line range they cover.

/// A snippet and the lines of the file it spans (1-based, inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub line_start: u32,
    pub line_end: u32,
}

/// Picks up to `max_lines` consecutive non-blank lines of `chunk` (which
/// starts at line `first_line` of its file) that contain the most query
/// words, and shortens the result to about `max_chars` characters. With no
/// word in common (a purely semantic match), the chunk's first lines.
pub fn focus(chunk: &str, first_line: u32, query: &str, max_lines: usize, max_chars: usize) -> Snippet {
    let terms: Vec<String> = words(query).filter(|w| w.chars().count() > 2).collect();
    let lines: Vec<(u32, &str)> = chunk
        .lines()
        .enumerate()
        .map(|(i, l)| (first_line + i as u32, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Snippet { text: String::new(), line_start: first_line, line_end: first_line };
    }
    let hits = |line: &str| -> usize {
        let lower = line.to_lowercase();
        terms.iter().filter(|t| lower.contains(t.as_str())).count()
    };
    let window = max_lines.max(1).min(lines.len());
    let best = (0..=lines.len() - window)
        .max_by_key(|&start| {
            let score: usize = lines[start..start + window].iter().map(|(_, l)| hits(l)).sum();
            // Prefer the earliest window among equals.
            (score, std::cmp::Reverse(start))
        })
        .unwrap_or(0);
    let chosen = &lines[best..best + window];
    let joined = chosen.iter().map(|(_, l)| *l).collect::<Vec<_>>().join(" ⏎ ");
    Snippet {
        text: shorten(&joined, max_chars),
        line_start: chosen[0].0,
        line_end: chosen[window - 1].0,
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHUNK: &str = "# Garden\n\nPlant the tomato seedlings after frost.\nWater at the base.\n\nBasil grows between tomatoes.";

    #[test]
    fn the_lines_sharing_most_words_with_the_query_are_chosen() {
        let s = focus(CHUNK, 10, "when to water tomato", 2, 200);
        assert_eq!(s.text, "Plant the tomato seedlings after frost. ⏎ Water at the base.");
        assert_eq!((s.line_start, s.line_end), (12, 13));
    }

    #[test]
    fn a_semantic_match_shows_the_start_of_the_chunk() {
        let s = focus(CHUNK, 1, "horticulture", 2, 200);
        assert_eq!(s.text, "# Garden ⏎ Plant the tomato seedlings after frost.");
        assert_eq!((s.line_start, s.line_end), (1, 3));
    }

    #[test]
    fn long_snippets_are_cut_at_a_word() {
        let s = focus("alpha beta gamma delta epsilon", 1, "beta", 1, 17);
        assert_eq!(s.text, "alpha beta gamma…");
    }

    #[test]
    fn an_empty_chunk_gives_an_empty_snippet() {
        assert_eq!(focus("\n \n", 4, "x", 2, 10).text, "");
    }
}
