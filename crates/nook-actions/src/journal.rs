//! The journal of applied actions, written ahead: before an action changes
//! anything, a line says what it is and how to undo it (`begun`); after, a
//! line says it is done (or that it failed, and nothing happened); an undo
//! adds one more. Each line is synced before the step it announces, so
//! after `kill -9` the journal knows every action that may have happened:
//! one begun and never done is `unfinished`, and its undo first checks
//! whether it happened. A line torn by a crash while it was written is
//! skipped when reading.

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::trash::Trashed;
use crate::Action;

/// How to take an applied action back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Undo {
    /// Move (or rename) back from `from` to `to`.
    MoveBack { from: PathBuf, to: PathBuf },
    /// Remove a folder Nook created, if it is still empty.
    RemoveIfEmpty { path: PathBuf },
    /// Move a copy Nook made to the trash.
    TrashCopy { path: PathBuf },
    /// Put a trashed file back.
    Restore { trashed: Trashed },
    /// Nothing can take it back (a program that ran), and why.
    Impossible { why: String },
}

/// One applied action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub plan_id: String,
    pub request: String,
    pub action: Action,
    pub undo: Undo,
    pub applied_ms: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
enum Line {
    Begun(Entry),
    Done { id: String },
    /// Begun, then refused or failed before changing anything.
    Failed { id: String },
    Undone { id: String, undone_ms: i64 },
}

/// An entry and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub entry: Entry,
    pub undone: bool,
    /// Begun and never done: Nook stopped while it ran, so it may or may
    /// not have happened.
    #[serde(default)]
    pub unfinished: bool,
}

impl Undo {
    /// Whether the action this undoes left its mark: the moved file at its
    /// new place, the created folder, the copy, the trashed file. False
    /// for an unfinished action that never happened.
    pub fn applies(&self) -> bool {
        let exists = |p: &Path| p.symlink_metadata().is_ok();
        match self {
            Undo::MoveBack { from, .. } => exists(from),
            Undo::RemoveIfEmpty { path } | Undo::TrashCopy { path } => exists(path),
            Undo::Restore { trashed } => exists(&trashed.file),
            Undo::Impossible { .. } => true,
        }
    }
}

pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn at(path: &Path) -> Journal {
        Journal { path: path.to_path_buf() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Before the action: what it is and how to undo it.
    pub fn begun(&self, entry: &Entry) -> io::Result<()> {
        self.append(&Line::Begun(entry.clone()))
    }

    /// After the action.
    pub fn done(&self, id: &str) -> io::Result<()> {
        self.append(&Line::Done { id: id.to_string() })
    }

    /// After an action that was begun and then failed: nothing happened.
    pub fn failed(&self, id: &str) -> io::Result<()> {
        self.append(&Line::Failed { id: id.to_string() })
    }

    pub fn undone(&self, id: &str, undone_ms: i64) -> io::Result<()> {
        self.append(&Line::Undone { id: id.to_string(), undone_ms })
    }

    fn append(&self, line: &Line) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut file = fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
        let mut text = serde_json::to_string(line).map_err(io::Error::other)?;
        text.push('\n');
        file.write_all(text.as_bytes())?;
        file.sync_data()
    }

    /// Every applied action, oldest first, with whether it was undone.
    pub fn entries(&self) -> io::Result<Vec<Recorded>> {
        let file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut recorded: Vec<Recorded> = Vec::new();
        for line in io::BufReader::new(file).lines() {
            // A line cut short by a crash does not parse: skipped.
            match serde_json::from_str::<Line>(&line?) {
                Ok(Line::Begun(entry)) => recorded.push(Recorded { entry, undone: false, unfinished: true }),
                Ok(Line::Failed { id }) => recorded.retain(|r| r.entry.id != id),
                Ok(Line::Done { id }) => {
                    if let Some(r) = recorded.iter_mut().find(|r| r.entry.id == id) {
                        r.unfinished = false;
                    }
                }
                Ok(Line::Undone { id, .. }) => {
                    if let Some(r) = recorded.iter_mut().find(|r| r.entry.id == id) {
                        r.undone = true;
                    }
                }
                Err(_) => {}
            }
        }
        Ok(recorded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Entry {
        Entry {
            id: id.into(),
            plan_id: "p1".into(),
            request: "move the report".into(),
            action: Action::Move { from: "/h/a.pdf".into(), to: "/h/r/a.pdf".into() },
            undo: Undo::MoveBack { from: "/h/r/a.pdf".into(), to: "/h/a.pdf".into() },
            applied_ms: 1,
        }
    }

    #[test]
    fn applied_and_undone_actions_read_back_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::at(&dir.path().join("actions/journal.jsonl"));
        assert!(journal.entries().unwrap().is_empty());
        journal.begun(&entry("a1")).unwrap();
        journal.done("a1").unwrap();
        journal.begun(&entry("a2")).unwrap();
        journal.undone("a1", 2).unwrap();
        // A crash in the middle of writing a line.
        let mut file = fs::OpenOptions::new().append(true).open(dir.path().join("actions/journal.jsonl")).unwrap();
        file.write_all(br#"{"record":"begun","id":"a3","plan"#).unwrap();
        drop(file);

        let read = journal.entries().unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!((read[0].entry.id.as_str(), read[0].undone, read[0].unfinished), ("a1", true, false));
        assert_eq!((read[1].entry.id.as_str(), read[1].undone, read[1].unfinished), ("a2", false, true), "begun, never done");
        assert_eq!(read[1].entry, entry("a2"));
    }
}
