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
    #[error(transparent)]
    Unsafe(#[from] SafetyError),
    #[error("{0} already exists; Nook does not overwrite files; choose another name or move it away first")]
    Exists(PathBuf),
    #[error("{0} is not there any more; nothing was done")]
    Missing(PathBuf),
    #[error("{action} failed: {source}")]
    Io { action: String, source: io::Error },
    #[error("{0} is not a file change; it runs through the desktop")]
    NotAFileChange(String),
    /// The journal could not be written ahead: nothing was changed.
    #[error("cannot write the activity journal ({0}); nothing was changed")]
    Journal(io::Error),
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
        self.apply_with(action, |_| Ok(()))
    }

    /// [`Applier::apply`], calling `before` with the undo once every check
    /// has passed and right before anything changes (the journal's write
    /// ahead); when `before` fails, nothing changes.
    pub fn apply_with(&self, action: &Action, before: impl FnOnce(&Undo) -> io::Result<()>) -> Result<Undo, ApplyError> {
        // Each arm announces once, when its checks have passed.
        match action {
            Action::CreateFolder { path } => {
                let path = self.grants.resolve(path, false)?;
                if path.symlink_metadata().is_ok() {
                    return Err(ApplyError::Exists(path));
                }
                let undo = Undo::RemoveIfEmpty { path: path.clone() };
                before(&undo).map_err(ApplyError::Journal)?;
                fs::create_dir(&path).map_err(io_error(action))?;
                Ok(undo)
            }
            Action::Move { from, to } => {
                let (from, to) = self.source_and_target(from, to)?;
                let undo = Undo::MoveBack { from: to.clone(), to: from.clone() };
                before(&undo).map_err(ApplyError::Journal)?;
                fs::rename(&from, &to).map_err(io_error(action))?;
                Ok(undo)
            }
            Action::Rename { path, name } => {
                if name.contains('/') || name.starts_with('.') || name.is_empty() {
                    return Err(SafetyError::Hidden(path.with_file_name(name)).into());
                }
                let (from, to) = self.source_and_target(path, &path.with_file_name(name))?;
                let undo = Undo::MoveBack { from: to.clone(), to: from.clone() };
                before(&undo).map_err(ApplyError::Journal)?;
                fs::rename(&from, &to).map_err(io_error(action))?;
                Ok(undo)
            }
            Action::Copy { from, to } => {
                let (from, to) = self.source_and_target(from, to)?;
                if from.is_dir() {
                    return Err(ApplyError::NotAFileChange(format!("copying the folder {}", from.display())));
                }
                let undo = Undo::TrashCopy { path: to.clone() };
                before(&undo).map_err(ApplyError::Journal)?;
                if let Err(e) = fs::copy(&from, &to) {
                    // A copy cut short is taken away: it was not there before.
                    let _ = fs::remove_file(&to);
                    return Err(io_error(action)(e));
                }
                Ok(undo)
            }
            Action::Trash { path } => {
                let path = self.grants.resolve(path, false)?;
                if path.symlink_metadata().is_err() {
                    return Err(ApplyError::Missing(path));
                }
                let trashed = self.trash.reserve(&path, &self.now).map_err(io_error(action))?;
                let undo = Undo::Restore { trashed: trashed.clone() };
                if let Err(err) = before(&undo).map_err(ApplyError::Journal) {
                    let _ = self.trash.release(&trashed);
                    return Err(err);
                }
                self.trash.commit(&trashed).map_err(io_error(action))?;
                Ok(undo)
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

    /// Takes an action back. For an unfinished one (begun, never done)
    /// that never happened, there is nothing to take back: only a reserved
    /// trash slot is given back.
    pub fn undo_unfinished(&self, undo: &Undo) -> Result<(), ApplyError> {
        if undo.applies() {
            return self.undo(undo);
        }
        if let Undo::Restore { trashed } = undo {
            self.trash.release(trashed).map_err(|source| ApplyError::Io { action: "giving back a trash slot".into(), source })?;
        }
        Ok(())
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

    #[test]
    fn the_undo_is_known_before_anything_changes_and_a_failed_announcement_changes_nothing() {
        let s = setup();
        let home = s.root.join("home");
        let applier = Applier { grants: &s.grants, trash: &s.trash, now: "2025-08-13T10:00:00".into() };
        let mut seen = None;
        let undo = applier
            .apply_with(&Action::Trash { path: home.join("shot.png") }, |undo| {
                assert!(home.join("shot.png").exists(), "announced before the change");
                seen = Some(undo.clone());
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, Some(undo.clone()));
        applier.undo(&undo).unwrap();

        let refused = applier.apply_with(&Action::Trash { path: home.join("shot.png") }, |_| Err(io::Error::other("disk full")));
        assert!(refused.is_err());
        assert!(home.join("shot.png").exists());
        assert_eq!(fs::read_dir(s.root.join("data/Trash/info")).unwrap().count(), 0, "the reserved slot is given back");

        // Begun, then stopped before the change: nothing to take back.
        let never = Undo::MoveBack { from: home.join("Pictures/shot.png"), to: home.join("shot.png") };
        assert!(!never.applies());
        applier.undo_unfinished(&never).unwrap();
        assert!(home.join("shot.png").exists());
    }
}
