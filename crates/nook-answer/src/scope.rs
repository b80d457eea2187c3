//! The files a question names. "What's the deposit in lease.pdf?", "what
//! is tower's MSRV?": a question that says a file's name, or the name of
//! the folder it is in, is about that file, and its passages come before
//! those of files that merely share its words ("tower-http"). When many
//! files share the name ("README"), the question names none of them.

use crate::words::is_stop_word;

/// Names shorter than this are too common to pick a file by.
const MIN_NAME_CHARS: usize = 3;
/// Most files a question is taken to name at once: a name that more files
/// share ("README", "notes") picks none of them.
const MAX_NAMED: usize = 3;

/// Whether `question` names the file at `path`: its file name ("lease.pdf"),
/// the name without its extension ("lease"), or the name of the folder it
/// is in, without a trailing version ("tower" for `tower-0.5.2/README.md`).
/// A name counts only as a whole word of the question: "tower" is not
/// named by "tower-http".
pub fn names_file(question: &str, path: &str) -> bool {
    names_said(question, path) > 0
}

/// How many of the names of the file at `path` `question` says (see
/// [`names_file`]): "the dirs README" says two of `dirs-7.0.0/README.md`'s
/// ("dirs", "readme") and one of every other README's, so the file it
/// means is the one it names most.
pub fn names_said(question: &str, path: &str) -> usize {
    said_names(question, path).len()
}

/// The names of the file at `path` that `question` says.
fn said_names(question: &str, path: &str) -> Vec<String> {
    let question = same_dashes(&question.to_lowercase());
    file_names(path).into_iter().map(|name| same_dashes(&name)).filter(|name| says(&question, name)).collect()
}

/// The files of `paths` that `question` names: those whose names it says
/// most of (see [`names_said`]), in the order given, each once; none when
/// it names none, or when more than [`MAX_NAMED`] tie. A file named only
/// by a part of another's name is not named: "tower-layer's Tower Service"
/// names `tower-layer`, not `tower`.
pub fn named_among<'a>(question: &str, paths: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    naming(question, paths).into_iter().map(|(path, _)| path).collect()
}

/// The files `question` names, as [`named_among`], each with the names it
/// is named by (lower case, `-` for `_`).
pub fn naming<'a>(question: &str, paths: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, Vec<String>)> {
    let mut most = 0;
    let mut named: Vec<(&str, Vec<String>)> = Vec::new();
    for path in paths {
        let said = said_names(question, path);
        if said.len() > most {
            most = said.len();
            named.clear();
        }
        if said.len() == most && most > 0 && !named.iter().any(|(p, _)| *p == path) {
            named.push((path, said));
        }
    }
    let part_of_longer = |names: &[String]| {
        names.iter().all(|name| named.iter().flat_map(|(_, other)| other).any(|longer| longer.len() > name.len() && longer.contains(name.as_str())))
    };
    let named: Vec<(&str, Vec<String>)> = named.iter().filter(|(_, names)| !part_of_longer(names)).cloned().collect();
    if named.len() > MAX_NAMED {
        return Vec::new();
    }
    named
}

/// What to look for in paths to find the files `question` may name (see
/// [`names_file`]): each word it could name a file or folder by, lower
/// case, after a `/` as a name begins there, with `_` and `-` both ways.
pub fn name_probes(question: &str) -> Vec<String> {
    let question = question.to_lowercase();
    let mut probes = Vec::new();
    let words = question.split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))).map(|w| w.trim_matches(['.', '-', '_']));
    for word in words.filter(|w| w.chars().count() >= MIN_NAME_CHARS && !is_stop_word(w)) {
        for form in [word.to_string(), word.replace('_', "-"), word.replace('-', "_")] {
            let probe = format!("/{form}");
            if !probes.contains(&probe) {
                probes.push(probe);
            }
        }
    }
    probes
}

/// `_` and `-` join the parts of a name alike: `async_channel` names
/// `async-channel`.
fn same_dashes(text: &str) -> String {
    text.replace('_', "-")
}

/// The names `path` can be asked about by, lower case.
pub(crate) fn file_names(path: &str) -> Vec<String> {
    let mut parts = path.trim_end_matches('/').rsplit('/');
    let file = parts.next().unwrap_or("").to_lowercase();
    let folder = parts.next().unwrap_or("").to_lowercase();
    let stem = match file.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => file.clone(),
    };
    let mut names = vec![file, stem, without_version(&folder).to_string()];
    names.retain(|n| n.chars().count() >= MIN_NAME_CHARS && !is_stop_word(n));
    names.dedup();
    names
}

/// `name` without a trailing `-1.2.3` or `_v2` (an unpacked release).
fn without_version(name: &str) -> &str {
    match name.rfind(['-', '_']) {
        Some(at) if is_version(&name[at + 1..]) => &name[..at],
        _ => name,
    }
}

fn is_version(text: &str) -> bool {
    let digits = text.strip_prefix('v').unwrap_or(text);
    digits.starts_with(|c: char| c.is_ascii_digit()) && digits.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Whether `text` holds `name` as a whole word: neither letter, digit, `_`
/// nor `-` on either side (a `.` may follow: the end of a sentence).
pub(crate) fn says(text: &str, name: &str) -> bool {
    let part_of_name = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(part_of_name) && !after.is_some_and(part_of_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_by_its_name_its_stem_or_its_folder() {
        assert!(names_file("What is the deposit in lease.pdf?", "/home/ann/Documents/lease.pdf"));
        assert!(names_file("What does the lease say about pets?", "/home/ann/Documents/lease.pdf"));
        assert!(names_file("What's tower's MSRV?", "/deps/tower-0.5.2/README.md"));
        assert!(names_file("What is the MSRV of rustc_version?", "/deps/rustc_version-0.4.1/README.md"));
        assert!(names_file("Which recipes are in Baking?", "/home/ann/Baking/bread.md"));
        assert!(names_file("What does async_channel::bounded take?", "/deps/async-channel-2.5.0/README.md"));
    }

    #[test]
    fn the_file_a_question_means_is_the_one_it_names_most() {
        let question = "summarize the dirs README";
        assert_eq!(names_said(question, "/deps/dirs-7.0.0/README.md"), 2);
        assert_eq!(names_said(question, "/deps/dirs-sys-0.5.0/README.md"), 1, "only its file name");
        assert_eq!(names_said(question, "/deps/tokio-1.0.0/CHANGELOG.md"), 0);
    }

    #[test]
    fn of_many_files_those_named_most_are_named_and_a_name_all_share_names_none() {
        let readmes = ["/deps/dirs-7.0.0/README.md", "/deps/dirs-sys-0.5.0/README.md", "/deps/tokio-1.0.0/README.md", "/deps/serde-1.0.0/README.md"];
        assert_eq!(named_among("summarize the dirs README", readmes), vec!["/deps/dirs-7.0.0/README.md"]);
        assert_eq!(named_among("what do tokio and serde say about MSRV?", readmes), vec!["/deps/tokio-1.0.0/README.md", "/deps/serde-1.0.0/README.md"]);
        assert!(named_among("what does the README say about MSRV?", readmes).is_empty(), "four READMEs tie");
        assert!(named_among("what is the MSRV?", readmes).is_empty());
        let towers = ["/deps/tower-0.5.3/README.md", "/deps/tower-layer-0.3.3/README.md", "/deps/bytes-1.0.0/README.md"];
        let layer = "What does decorating a Tower Service change, according to tower-layer?";
        assert_eq!(named_among(layer, towers), vec!["/deps/tower-layer-0.3.3/README.md"], "tower only as part of tower-layer");
        assert_eq!(named_among("tower's MSRV, and reading bytes", towers), vec!["/deps/tower-0.5.3/README.md", "/deps/bytes-1.0.0/README.md"]);
        let twice = ["/deps/tokio-1.0.0/README.md", "/deps/tokio-1.0.0/README.md"];
        assert_eq!(named_among("tokio's MSRV", twice).len(), 1, "a path given twice is named once");
    }

    #[test]
    fn the_probes_for_named_files_are_the_words_as_names_begin() {
        let probes = name_probes("What's tower's MSRV, and async_channel's? In lease.pdf.");
        for probe in ["/tower", "/msrv", "/async_channel", "/async-channel", "/lease.pdf"] {
            assert!(probes.contains(&probe.to_string()), "{probe} in {probes:?}");
        }
        assert!(!probes.iter().any(|p| p == "/and" || p == "/in" || p == "/s"), "{probes:?}");
        for path in ["/deps/tower-0.5.2/README.md", "/deps/async-channel-2.5.0/README.md", "/home/ann/lease.pdf"] {
            assert!(probes.iter().any(|p| path.to_lowercase().contains(p.as_str())), "{path}");
        }
    }

    #[test]
    fn a_name_inside_a_longer_name_or_a_common_word_names_nothing() {
        assert!(!names_file("What's tower-http's MSRV?", "/deps/tower-0.5.2/README.md"));
        assert!(!names_file("What is the MSRV of rustc?", "/deps/rustc_version-0.4.1/README.md"));
        assert!(!names_file("Where is it?", "/home/ann/it/a.md"), "too short to pick a file by");
        assert!(!names_file("What about the others?", "/home/ann/about/x.md"), "a stop word");
    }
}
