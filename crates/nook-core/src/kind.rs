//! What kind of file something is, decided from its name.
//!
//! The kind drives which extractor reads a file and is what `--kind` filters
//! on. A name Nook does not recognise is not rejected here: the ingest crate
//! sniffs its content and indexes it as plain text when it is text.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Plain prose: `.txt`, `README`, files of unknown type that are text.
    Text,
    Markdown,
    /// Source code and configuration files.
    Code,
    Html,
    /// Tabular or structured data read as text: CSV, TSV, JSON.
    Data,
    Pdf,
    /// Word processor documents and books: DOCX, ODT, RTF, EPUB.
    Document,
    /// XLSX, ODS.
    Spreadsheet,
    /// PPTX, ODP.
    Presentation,
    /// Saved e-mail messages (`.eml`).
    Email,
    /// Photos and pictures, found by name and metadata.
    Image,
    /// Films and clips, found by name, size and dates only.
    Video,
    /// Music and recordings, found by name, size and dates only.
    Audio,
    /// ZIP files, tarballs, disk images and installers, found by name, size
    /// and dates only.
    Archive,
}

impl FileKind {
    pub const ALL: [FileKind; 14] = [
        FileKind::Text,
        FileKind::Markdown,
        FileKind::Code,
        FileKind::Html,
        FileKind::Data,
        FileKind::Pdf,
        FileKind::Document,
        FileKind::Spreadsheet,
        FileKind::Presentation,
        FileKind::Email,
        FileKind::Image,
        FileKind::Video,
        FileKind::Audio,
        FileKind::Archive,
    ];

    /// The stable name used in the index, on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Text => "text",
            FileKind::Markdown => "markdown",
            FileKind::Code => "code",
            FileKind::Html => "html",
            FileKind::Data => "data",
            FileKind::Pdf => "pdf",
            FileKind::Document => "document",
            FileKind::Spreadsheet => "spreadsheet",
            FileKind::Presentation => "presentation",
            FileKind::Email => "email",
            FileKind::Image => "image",
            FileKind::Video => "video",
            FileKind::Audio => "audio",
            FileKind::Archive => "archive",
        }
    }

    /// Whether files of this kind are text Nook decodes itself; the others
    /// are documents read by the extraction worker.
    pub fn is_text(self) -> bool {
        matches!(self, FileKind::Text | FileKind::Markdown | FileKind::Code | FileKind::Html | FileKind::Data)
    }

    /// Whether Nook knows files of this kind only by their name, size and
    /// dates: their content is never read.
    pub fn is_listed_only(self) -> bool {
        matches!(self, FileKind::Video | FileKind::Audio | FileKind::Archive)
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
        "pdf" => FileKind::Pdf,
        "docx" | "docm" | "dotx" | "odt" | "ott" | "rtf" | "epub" => FileKind::Document,
        "xlsx" | "xlsm" | "ods" | "ots" => FileKind::Spreadsheet,
        "pptx" | "pptm" | "ppsx" | "odp" | "otp" => FileKind::Presentation,
        "eml" => FileKind::Email,
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "tif" | "tiff" | "heic" | "heif" | "avif" | "bmp" => FileKind::Image,
        "mp4" | "m4v" | "mkv" | "webm" | "mov" | "avi" | "wmv" | "flv" | "mpg" | "mpeg" | "3gp" | "ogv" => FileKind::Video,
        "mp3" | "m4a" | "aac" | "flac" | "ogg" | "oga" | "opus" | "wav" | "wma" | "aiff" | "aif" | "mid" | "midi" => {
            FileKind::Audio
        }
        "zip" | "tar" | "tgz" | "gz" | "bz2" | "xz" | "zst" | "7z" | "rar" | "iso" | "img" | "dmg" | "deb" | "rpm" | "appimage" | "snap"
        | "flatpak" | "msi" | "pkg" | "apk" => FileKind::Archive,
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
#[error("unknown file kind `{name}`; expected one of: {}", FileKind::ALL.map(FileKind::as_str).join(", "), name = .0)]
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
        check("photo.jpeg", Some(FileKind::Image));
        check("Report.PDF", Some(FileKind::Pdf));
        check("budget.xlsx", Some(FileKind::Spreadsheet));
        check("talk.odp", Some(FileKind::Presentation));
        check("letter.rtf", Some(FileKind::Document));
        check("song.mp3", Some(FileKind::Audio));
        check("trip.MOV", Some(FileKind::Video));
        check("backup.tar.gz", Some(FileKind::Archive));
        check("zoom_amd64.deb", Some(FileKind::Archive));
        check("Obsidian-1.7.7.AppImage", Some(FileKind::Archive));
        check("program.exe", None);
        check("no_extension", None);
    }

    #[test]
    fn names_round_trip_and_unknown_names_say_what_is_accepted() {
        for kind in FileKind::ALL {
            assert_eq!(kind.as_str().parse::<FileKind>(), Ok(kind));
        }
        assert_eq!(" Markdown ".parse::<FileKind>(), Ok(FileKind::Markdown));
        let err = "pdfs".parse::<FileKind>().unwrap_err().to_string();
        assert!(err.contains("`pdfs`") && err.contains("markdown") && err.contains("spreadsheet"), "{err}");
    }
}
