//! What kind of file something is, decided from its name.
//!
//! The kind drives which extractor reads a file and is what `--kind` filters
//! on. A name Nook does not recognise is not rejected here: the ingest crate
//! sniffs its content and indexes it as plain text when it is text.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// Plain prose: `.txt`, `README`, files of unknown type that are text.
    Text,
    Markdown,
    /// Source code and configuration files.
    Code,
    Html,
    /// Tabular or structured data read as text: CSV, TSV, JSON.
    Data,
}

impl FileKind {
    pub const ALL: [FileKind; 5] =
        [FileKind::Text, FileKind::Markdown, FileKind::Code, FileKind::Html, FileKind::Data];

    /// The stable name used in the index, on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Text => "text",
            FileKind::Markdown => "markdown",
            FileKind::Code => "code",
            FileKind::Html => "html",
            FileKind::Data => "data",
        }
    }

    /// The kind a file's name announces, or `None` when the name says nothing
    /// Nook knows (the content decides then).
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if let Some(kind) = kind_of_file_name(name) {
            return Some(kind);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        kind_of_extension(&ext)
    }
}

fn kind_of_file_name(name: &str) -> Option<FileKind> {
    let kind = match name {
        "Makefile" | "makefile" | "GNUmakefile" | "Dockerfile" | "Containerfile" | "Justfile"
        | "CMakeLists.txt" | "Cargo.lock" | "Gemfile" | "Rakefile" | "Vagrantfile" => FileKind::Code,
        "README" | "LICENSE" | "COPYING" | "AUTHORS" | "CHANGELOG" | "NOTICE" | "TODO" => FileKind::Text,
        _ => return None,
    };
    Some(kind)
}

fn kind_of_extension(ext: &str) -> Option<FileKind> {
    let kind = match ext {
        "txt" | "text" | "log" | "rst" | "adoc" | "asciidoc" | "org" | "tex" => FileKind::Text,
        "md" | "markdown" | "mdown" | "mkd" => FileKind::Markdown,
        "html" | "htm" | "xhtml" => FileKind::Html,
        "csv" | "tsv" | "json" | "jsonl" | "ndjson" | "geojson" => FileKind::Data,
        "rs" | "py" | "pyi" | "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "go" | "c" | "h" | "cc"
        | "cpp" | "cxx" | "hpp" | "hh" | "java" | "kt" | "kts" | "scala" | "swift" | "m" | "mm"
        | "rb" | "php" | "pl" | "pm" | "lua" | "r" | "jl" | "hs" | "ml" | "mli" | "fs" | "fsx"
        | "cs" | "vb" | "dart" | "ex" | "exs" | "erl" | "hrl" | "clj" | "cljs" | "el" | "lisp"
        | "scm" | "sh" | "bash" | "zsh" | "fish" | "ps1" | "bat" | "cmd" | "sql" | "css"
        | "scss" | "sass" | "less" | "vue" | "svelte" | "toml" | "yaml" | "yml" | "ini" | "cfg"
        | "conf" | "xml" | "xsd" | "xsl" | "proto" | "graphql" | "gql" | "cmake" | "gradle"
        | "nix" | "zig" | "nim" | "v" | "sv" | "vhd" | "vhdl" | "asm" | "s" | "f" | "f90"
        | "for" | "pas" | "d" | "tf" | "hcl" | "dockerfile" | "mk" | "ipynb" => FileKind::Code,
        _ => return None,
    };
    Some(kind)
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind name that Nook does not know; the message lists the ones it does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown file kind `{0}`; expected one of: text, markdown, code, html, data")]
pub struct UnknownKind(pub String);

impl FromStr for FileKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        FileKind::ALL
            .into_iter()
            .find(|k| k.as_str() == lower)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expected: Option<FileKind>) {
        assert_eq!(FileKind::from_path(Path::new(path)), expected, "{path}");
    }

    #[test]
    fn kinds_come_from_names_and_extensions() {
        check("notes/plan.md", Some(FileKind::Markdown));
        check("src/main.RS", Some(FileKind::Code));
        check("Makefile", Some(FileKind::Code));
        check("report.TXT", Some(FileKind::Text));
        check("page.htm", Some(FileKind::Html));
        check("table.csv", Some(FileKind::Data));
        check("photo.jpeg", None);
        check("no_extension", None);
    }

    #[test]
    fn names_round_trip_and_unknown_names_say_what_is_accepted() {
        for kind in FileKind::ALL {
            assert_eq!(kind.as_str().parse::<FileKind>(), Ok(kind));
        }
        assert_eq!(" Markdown ".parse::<FileKind>(), Ok(FileKind::Markdown));
        let err = "pdfs".parse::<FileKind>().unwrap_err().to_string();
        assert!(err.contains("`pdfs`") && err.contains("markdown"), "{err}");
    }
}
