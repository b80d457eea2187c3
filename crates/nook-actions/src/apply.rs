//! Applying the actions that change files, and taking them back. Every path
//! is resolved again right before acting (`Grants::resolve`), an existing
//! target is never overwritten, and each applied action returns how to undo
//! it, for the journal.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::journal::Undo;
use crate::safety::{Grants, SafetyError};
use crate::trash::Trash;
use crate::Action;

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("{0}")]
    Unsafe(#[from] SafetyError),
    #[error("{0} already exists; Nook does not overwrite files; choose another name or move it away first")]
    Exists(PathBuf),
    #[error("{0} is not there any more; nothing was done")]
    Missing(PathBuf),
    #[error("{action} failed: {source}")]
    Io { action: String, source: io::Error },
    #[error("{0} is not a file change; it runs through the desktop")]
    NotAFileChange(String),
}

fn io_error(action: &Action) -> impl FnOnce(io::Error) -> ApplyError + '_ {
    move |source| ApplyError::Io { action: action.effect().detail, source }
}

/// What the plan may touch, and where trashed files go.
pub struct Applier<'a> {
    pub grants: &'a Grants,
    pub trash: &'a Trash,
    /// `YYYY-MM-DDThh:mm:ss`, local time, for the trash.
    pub now: String,
}

impl Applier<'_> {
    /// Applies one action that changes files; how to undo it.
    pub fn apply(&self, action: &Action) -> Result<Undo, ApplyError> {
        match action {
            Action::CreateFolder { path } => {
                let path = self.grants.resolve(path, false)?;
                if path.symlink_metadata().is_ok() {
                    return Err(ApplyError::Exists(path));
                }
                fs::create_dir(&path).map_err(io_error(action))?;
                Ok(Undo::RemoveIfEmpty { path })
            }
            Action::Move { from, to } => {
                let (from, to) = self.source_and_target(from, to)?;
                fs::rename(&from, &to).map_err(io_error(action))?;
                Ok(Undo::MoveBack { from: to, to: from })
            }
            Action::Rename { path, name } => {
                if name.contains('/') || name.starts_with('.') || name.is_empty() {
                    return Err(SafetyError::Hidden(path.with_file_name(name)).into());
                }
                let (from, to) = self.source_and_target(path, &path.with_file_name(name))?;
                fs::rename(&from, &to).map_err(io_error(action))?;
                Ok(Undo::MoveBack { from: to, to: from })
            }
            Action::Copy { from, to } => {
                let (from, to) = self.source_and_target(from, to)?;
                if from.is_dir() {
                    return Err(ApplyError::NotAFileChange(format!("copying the folder {}", from.display())));
                }
                fs::copy(&from, &to).map_err(io_error(action))?;
                Ok(Undo::TrashCopy { path: to })
            }
            Action::Trash { path } => {
                let path = self.grants.resolve(path, false)?;
                if path.symlink_metadata().is_err() {
                    return Err(ApplyError::Missing(path));
                }
                let trashed = self.trash.put(&path, &self.now).map_err(io_error(action))?;
                Ok(Undo::Restore { trashed })
            }
            other => Err(ApplyError::NotAFileChange(other.effect().verb)),
        }
    }

    fn source_and_target(&self, from: &Path, to: &Path) -> Result<(PathBuf, PathBuf), ApplyError> {
        let from = self.grants.resolve(from, false)?;
        let to = self.grants.resolve(to, false)?;
        if from.symlink_metadata().is_err() {
            return Err(ApplyError::Missing(from));
        }
        if to.symlink_metadata().is_ok() {
            return Err(ApplyError::Exists(to));
        }
        Ok((from, to))
    }

    /// Takes an applied action back.
    pub fn undo(&self, undo: &Undo) -> Result<(), ApplyError> {
        match undo {
            Undo::MoveBack { from, to } => {
                let (from, to) = self.source_and_target(from, to)?;
                fs::rename(&from, &to).map_err(|source| ApplyError::Io { action: "moving back".into(), source })
            }
            Undo::RemoveIfEmpty { path } => {
                let path = self.grants.resolve(path, false)?;
                fs::remove_dir(&path).map_err(|source| ApplyError::Io { action: format!("removing the folder {} (it must be empty)", path.display()), source })
            }
            Undo::TrashCopy { path } => self.apply(&Action::Trash { path: path.clone() }).map(|_| ()),
            Undo::Restore { trashed } => {
                self.grants.check_written(&trashed.original, false)?;
                self.trash.restore(trashed).map_err(|source| ApplyError::Io { action: "restoring from the trash".into(), source })
            }
            Undo::Impossible { why } => Err(ApplyError::NotAFileChange(why.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Setup {
        _dir: tempfile::TempDir,
        root: PathBuf,
        grants: Grants,
        trash: Trash,
    }

    fn setup() -> Setup {
        let dir = tempfile::Builder::new().prefix("nook-apply").tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let granted = root.join("home");
        fs::create_dir_all(granted.join("Pictures")).unwrap();
        fs::write(granted.join("shot.png"), "png").unwrap();
        Setup { grants: Grants::new([granted]), trash: Trash::in_data_home(&root.join("data")), root, _dir: dir }
    }

    #[test]
    fn each_change_is_applied_and_undone() {
        let s = setup();
        let home = s.root.join("home");
        let applier = Applier { grants: &s.grants, trash: &s.trash, now: "2025-08-13T10:00:00".into() };

        let moved = applier.apply(&Action::Move { from: home.join("shot.png"), to: home.join("Pictures/shot.png") }).unwrap();
        assert!(home.join("Pictures/shot.png").exists() && !home.join("shot.png").exists());
        applier.undo(&moved).unwrap();
        assert!(home.join("shot.png").exists());

        let renamed = applier.apply(&Action::Rename { path: home.join("shot.png"), name: "2025-shot.png".into() }).unwrap();
        assert!(home.join("2025-shot.png").exists());
        applier.undo(&renamed).unwrap();

        let created = applier.apply(&Action::CreateFolder { path: home.join("new-application") }).unwrap();
        assert!(home.join("new-application").is_dir());
        applier.undo(&created).unwrap();
        assert!(!home.join("new-application").exists());

        let trashed = applier.apply(&Action::Trash { path: home.join("shot.png") }).unwrap();
        assert!(!home.join("shot.png").exists());
        applier.undo(&trashed).unwrap();
        assert_eq!(fs::read_to_string(home.join("shot.png")).unwrap(), "png");

        let copied = applier.apply(&Action::Copy { from: home.join("shot.png"), to: home.join("Pictures/copy.png") }).unwrap();
        applier.undo(&copied).unwrap();
        assert!(!home.join("Pictures/copy.png").exists());
    }

    #[test]
    fn nothing_is_overwritten_and_nothing_leaves_the_granted_folders() {
        let s = setup();
        let home = s.root.join("home");
        let applier = Applier { grants: &s.grants, trash: &s.trash, now: "2025-08-13T10:00:00".into() };
        fs::write(home.join("Pictures/shot.png"), "other").unwrap();
        let err = applier.apply(&Action::Move { from: home.join("shot.png"), to: home.join("Pictures/shot.png") }).unwrap_err();
        assert!(matches!(err, ApplyError::Exists(_)), "{err}");
        assert_eq!(fs::read_to_string(home.join("Pictures/shot.png")).unwrap(), "other");

        let err = applier.apply(&Action::Move { from: home.join("shot.png"), to: s.root.join("elsewhere.png") }).unwrap_err();
        assert!(matches!(err, ApplyError::Unsafe(SafetyError::Outside(_))), "{err}");
        let err = applier.apply(&Action::Rename { path: home.join("shot.png"), name: "../../escape.png".into() }).unwrap_err();
        assert!(matches!(err, ApplyError::Unsafe(_)), "{err}");
        let err = applier.apply(&Action::Trash { path: home.clone() }).unwrap_err();
        assert!(matches!(err, ApplyError::Unsafe(SafetyError::GrantedFolder(_))), "{err}");
        assert!(home.join("shot.png").exists());
    }
}
