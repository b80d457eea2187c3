//! The desktop's trash, as the freedesktop.org Trash specification has it:
//! a trashed file moves into `$XDG_DATA_HOME/Trash/files`, and a
//! `.trashinfo` file in `Trash/info` says where it came from and when, so
//! that Nook's Undo and the file manager's Restore both bring it back.
//! Nook never deletes.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A trash folder: `files/` and `info/` under one root.
#[derive(Debug, Clone)]
pub struct Trash {
    root: PathBuf,
}

/// Where a trashed file went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    /// The file or folder inside `Trash/files`.
    pub file: PathBuf,
    /// Its `.trashinfo`.
    pub info: PathBuf,
    /// Where it was.
    pub original: PathBuf,
}

impl Trash {
    /// The home trash: `$XDG_DATA_HOME/Trash` (`~/.local/share/Trash`).
    pub fn in_data_home(data_home: &Path) -> Trash {
        Trash { root: data_home.join("Trash") }
    }

    /// Moves `path` (absolute) into the trash, dated `deleted` (local time,
    /// `YYYY-MM-DDThh:mm:ss`). A file on another disk than the trash is
    /// refused, not copied.
    pub fn put(&self, path: &Path, deleted: &str) -> io::Result<Trashed> {
        let trashed = self.reserve(path, deleted)?;
        self.commit(&trashed)?;
        Ok(trashed)
    }

    /// The first half of [`Trash::put`]: a slot in the trash for `path`,
    /// its `.trashinfo` written (exclusively: it reserves the name) and
    /// synced; the file is not moved yet. What the journal records before
    /// the file moves.
    pub fn reserve(&self, path: &Path, deleted: &str) -> io::Result<Trashed> {
        let files = self.root.join("files");
        let info = self.root.join("info");
        for dir in [&files, &info] {
            fs::create_dir_all(dir)?;
        }
        let name = path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
        let name = name.to_string_lossy();
        for n in 1.. {
            let candidate = if n == 1 { name.to_string() } else { numbered(&name, n) };
            let info_path = info.join(format!("{candidate}.trashinfo"));
            let file_path = files.join(&candidate);
            if file_path.symlink_metadata().is_ok() {
                continue;
            }
            let mut out = match fs::OpenOptions::new().write(true).create_new(true).open(&info_path) {
                Ok(out) => out,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            };
            out.write_all(format!("[Trash Info]\nPath={}\nDeletionDate={deleted}\n", encode(path)).as_bytes())?;
            out.sync_all()?;
            return Ok(Trashed { file: file_path, info: info_path, original: path.to_path_buf() });
        }
        unreachable!("1.. never ends")
    }

    /// The second half of [`Trash::put`]: the file moves into its slot; on
    /// failure the slot is given back.
    pub fn commit(&self, trashed: &Trashed) -> io::Result<()> {
        if let Err(e) = fs::rename(&trashed.original, &trashed.file) {
            let _ = fs::remove_file(&trashed.info);
            return Err(if e.raw_os_error() == Some(18) {
                io::Error::other(format!("{} is on another disk than the trash; Nook trashes only files on the home disk", trashed.original.display()))
            } else {
                e
            });
        }
        Ok(())
    }

    /// Gives back a slot reserved for a file that never moved into it.
    pub fn release(&self, trashed: &Trashed) -> io::Result<()> {
        if trashed.file.symlink_metadata().is_ok() {
            return Ok(());
        }
        match fs::remove_file(&trashed.info) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Puts a trashed file back where it was; refused when something is
    /// there now.
    pub fn restore(&self, trashed: &Trashed) -> io::Result<()> {
        if trashed.original.symlink_metadata().is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists again; move it away to restore the trashed one", trashed.original.display()),
            ));
        }
        fs::rename(&trashed.file, &trashed.original)?;
        fs::remove_file(&trashed.info)
    }
}

/// "report.pdf" → "report.2.pdf"; "notes" → "notes.2".
fn numbered(name: &str, n: usize) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{n}.{ext}"),
        _ => format!("{name}.{n}"),
    }
}

/// A path as the trashinfo `Path=` key wants it: bytes outside the
/// unreserved set percent-encoded, `/` kept.
fn encode(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trashed_files_keep_where_they_came_from_and_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        fs::create_dir_all(&home).unwrap();
        let trash = Trash::in_data_home(&dir.path().join("data"));
        let file = home.join("old report.pdf");
        fs::write(&file, "old").unwrap();

        let trashed = trash.put(&file, "2025-08-13T10:00:00").unwrap();
        assert!(!file.exists());
        assert_eq!(fs::read_to_string(&trashed.file).unwrap(), "old");
        let info = fs::read_to_string(&trashed.info).unwrap();
        assert!(info.contains("Path=") && info.contains("/old%20report.pdf"), "{info}");
        assert!(info.contains("DeletionDate=2025-08-13T10:00:00"));

        // A second file of the same name gets its own slot.
        fs::write(&file, "new").unwrap();
        let second = trash.put(&file, "2025-08-13T10:01:00").unwrap();
        assert!(second.file.ends_with("old report.2.pdf"), "{}", second.file.display());

        // Restoring is refused while something is in the way.
        fs::write(&file, "in the way").unwrap();
        assert_eq!(trash.restore(&trashed).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        fs::remove_file(&file).unwrap();
        trash.restore(&trashed).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "old");
        assert!(!trashed.info.exists());
    }
}
