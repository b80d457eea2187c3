//! The rows Nook keeps: one [`FileRecord`] per file it has seen, and the
//! [`Chunk`]s of text cut from the files it indexed.

use std::fmt;
use std::str::FromStr;

use crate::FileKind;

/// What became of a file the last time Nook looked at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileStatus {
    /// Its chunks are in the index and it can be found.
    Indexed,
    /// A rule kept it out on purpose (hidden, secret, binary, too large…).
    Skipped,
    /// Nook tried to read it and could not.
    Failed,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Indexed => "indexed",
            FileStatus::Skipped => "skipped",
            FileStatus::Failed => "failed",
        }
    }
}

impl fmt::Display for FileStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown file status `{0}`")]
pub struct UnknownStatus(pub String);

impl FromStr for FileStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "indexed" => Ok(FileStatus::Indexed),
            "skipped" => Ok(FileStatus::Skipped),
            "failed" => Ok(FileStatus::Failed),
            other => Err(UnknownStatus(other.to_string())),
        }
    }
}

/// One file as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Absolute path, the file's identity in the index.
    pub path: String,
    pub size: u64,
    /// Modification time, milliseconds since the Unix epoch.
    pub modified_ms: i64,
    /// blake3 of the content, hex; empty when the content was never read.
    pub content_hash: String,
    pub kind: Option<FileKind>,
    pub status: FileStatus,
    /// Why the file was skipped or failed, in words a person can act on.
    pub reason: Option<String>,
    /// How many chunks of this file are in the index.
    pub chunk_count: u32,
    /// For documents: the version of the readers whose verdict this is. A
    /// document that failed or was refused for its content is not read
    /// again until its content or the readers change.
    pub reader: Option<String>,
}

impl FileRecord {
    /// The folder part of the path, with a trailing slash, as filters see it.
    pub fn folder(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[..=i],
            None => "",
        }
    }
}

/// A piece of a file's text small enough to embed, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub text: String,
    /// First line of the chunk, 1-based.
    pub line_start: u32,
    /// Last line of the chunk, 1-based, inclusive.
    pub line_end: u32,
    /// The place in a document the chunk comes from ("page 3", "sheet
    /// Budget", "slide 4"); its lines count from that place's start.
    /// `None` for text files and documents without such places.
    pub section: Option<String>,
}
