//! Why a file is or is not found: the answer to "I saved it, why doesn't
//! Nook find it?", from the same rules the index follows.

use std::path::{Path, PathBuf};

use nook_core::{FileRecord, FileStatus};
use nook_ingest::{walk_within, Entry, WalkOptions};
use serde::Serialize;
use tokio::task::block_in_place;

use crate::{Engine, Result};

/// Where a file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// In the index: search finds it.
    Indexed,
    /// Left out by a rule, or for what its content is.
    Skipped,
    /// Nook tried and could not read it.
    Failed,
    /// Nook will read it but has not yet (or it changed since).
    Pending,
    /// Not inside any folder Nook indexes.
    Outside,
    /// There is no such file.
    Missing,
}

/// The answer to `nook why PATH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    pub path: PathBuf,
    pub state: FileState,
    /// One sentence, for a person.
    pub reason: String,
    /// The indexed folder the file belongs to, when it belongs to one.
    pub folder: Option<PathBuf>,
    /// Passages of the file in the index.
    pub chunks: u32,
    /// Its kind, as `--kind` filters name it.
    pub kind: Option<String>,
}

impl Engine {
    /// Explains why `path` is or is not found. `folders` are the folders
    /// the user chose to index.
    pub async fn why(&self, path: &Path, folders: &[PathBuf]) -> Result<Why> {
        let absolute = std::path::absolute(crate::expand_user(path)).unwrap_or_else(|_| path.to_path_buf());
        let path = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        let path_str = path.to_string_lossy().into_owned();
        let record = self.store().file_records_within(&[path_str.as_str()]).await?.into_iter().find(|r| r.path == path_str);
        let folder = folders.iter().find(|f| path.starts_with(f)).cloned();
        let answer = |state, reason: String| Why {
            path: path.clone(),
            state,
            reason,
            folder: folder.clone(),
            chunks: record.as_ref().map_or(0, |r| r.chunk_count),
            kind: record.as_ref().and_then(|r| r.kind).or_else(|| nook_core::FileKind::from_path(&path)).map(|k| k.to_string()),
        };
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            return Ok(match record {
                Some(_) => answer(FileState::Pending, "it is gone from disk; Nook drops it from the index at the next update".into()),
                None => answer(FileState::Missing, "there is no such file".into()),
            });
        };
        let Some(root) = folder.clone() else {
            // Indexed from the command line: the record is all there is.
            return Ok(match &record {
                Some(r) => explain(r, &answer),
                None => answer(
                    FileState::Outside,
                    "it is not inside any folder Nook indexes; add its folder in the Library, or run `nook index FOLDER`".into(),
                ),
            });
        };
        // The walk's verdict on the path, or on the first folder above it
        // that the rules leave out (a walk does not enter such a folder).
        let verdict = block_in_place(|| {
            let mut chain: Vec<&Path> = path.ancestors().take_while(|a| a.starts_with(&root) && *a != root).collect();
            chain.reverse();
            for at in chain {
                let scope = [at.to_path_buf()];
                // In file-name order, a folder's own verdict comes before
                // anything below it: the first entry at or below `at` tells.
                match walk_within(&root, &scope, &WalkOptions::default()).find(|e| e.path().starts_with(at)) {
                    Some(entry) if entry.path() == at => return Some(entry),
                    Some(_) => continue,
                    None => return None,
                }
            }
            None
        });
        match &verdict {
            Some(Entry::Skipped { path: at, reason, .. }) => {
                let reason = if *at == path { reason.to_string() } else { format!("it is inside {}, which is skipped: {reason}", at.display()) };
                return Ok(answer(FileState::Skipped, reason));
            }
            Some(Entry::Unreadable { path: at, reason, .. }) => {
                let reason = if *at == path { reason.clone() } else { format!("it is inside {}, which cannot be read: {reason}", at.display()) };
                return Ok(answer(FileState::Failed, reason));
            }
            Some(Entry::File { .. }) | None => {}
        }
        if metadata.is_dir() {
            let files = self.store().file_records(Some(&format!("{}/", path_str.trim_end_matches('/')))).await?;
            let indexed = files.iter().filter(|r| r.status == FileStatus::Indexed).count();
            return Ok(answer(
                FileState::Indexed,
                format!("a folder Nook reads; {indexed} of the {} files known under it are indexed", files.len()),
            ));
        }
        let modified_ms = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as i64);
        Ok(match &record {
            Some(r) if r.size != metadata.len() || r.modified_ms != modified_ms => answer(
                FileState::Pending,
                "it changed since Nook last read it; the new version is indexed at the next update".into(),
            ),
            Some(r) => explain(r, &answer),
            None => answer(FileState::Pending, "Nook has not read it yet; it is indexed at the next update".into()),
        })
    }
}

fn explain(record: &FileRecord, answer: &dyn Fn(FileState, String) -> Why) -> Why {
    let reason = record.reason.clone().unwrap_or_default();
    match record.status {
        FileStatus::Indexed => {
            let passages = if record.chunk_count == 1 { "1 passage".to_string() } else { format!("{} passages", record.chunk_count) };
            let note = if reason.is_empty() { String::new() } else { format!(" ({reason})") };
            answer(FileState::Indexed, format!("indexed as {passages}{note}; search finds it by its words and meaning"))
        }
        FileStatus::Skipped => answer(FileState::Skipped, reason),
        FileStatus::Failed => answer(FileState::Failed, reason),
    }
}
