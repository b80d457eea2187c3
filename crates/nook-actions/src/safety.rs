//! Where actions may touch. A path is checked twice: as written, when the
//! plan is made (absolute, no `..`, inside a granted folder, not a system
//! location, not hidden), and resolved, just before the action runs (the
//! real path of its folder, the file itself not a symbolic link), so a
//! link or a folder swapped in between cannot carry an action elsewhere.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Places no action ever touches, nor anything below them.
const SYSTEM: &[&str] = &[
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/proc", "/root", "/run", "/sbin",
    "/snap", "/sys", "/usr", "/var",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SafetyError {
    #[error("{0} is not an absolute path; name files by their full path")]
    Relative(PathBuf),
    #[error("{0} climbs out of its folder with `..`; name the place directly")]
    Climbs(PathBuf),
    #[error("{0} is a system location; Nook does not change anything there")]
    System(PathBuf),
    #[error("{0} is hidden; Nook leaves hidden files and folders alone")]
    Hidden(PathBuf),
    #[error("{0} is outside the folders you allowed Nook to change; add its folder in the Library first")]
    Outside(PathBuf),
    #[error("{0} is a folder you allowed Nook to change, not something inside it; Nook does not move or remove it")]
    GrantedFolder(PathBuf),
    #[error("{0} is a symbolic link; Nook acts only on real files and folders")]
    Link(PathBuf),
    #[error("{path} has changed since it was checked: it now leads to {now}; nothing was done")]
    Moved { path: PathBuf, now: PathBuf },
    #[error("cannot check {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
}

/// The folders the user allowed actions in.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    roots: Vec<PathBuf>,
}

impl Grants {
    /// `roots` as given (absolute); their real paths are looked up when an
    /// action runs.
    pub fn new(roots: impl IntoIterator<Item = PathBuf>) -> Grants {
        Grants { roots: roots.into_iter().collect() }
    }

    /// Checks `path` as written. `itself` allows a granted folder itself
    /// (opening it, a terminal in it), not only what is inside.
    pub fn check_written(&self, path: &Path, itself: bool) -> Result<(), SafetyError> {
        if !path.is_absolute() {
            return Err(SafetyError::Relative(path.to_path_buf()));
        }
        for component in path.components() {
            match component {
                Component::ParentDir | Component::CurDir => return Err(SafetyError::Climbs(path.to_path_buf())),
                Component::Normal(name) if name.to_string_lossy().starts_with('.') => {
                    return Err(SafetyError::Hidden(path.to_path_buf()))
                }
                _ => {}
            }
        }
        if path == Path::new("/") || SYSTEM.iter().any(|s| path.starts_with(s)) {
            return Err(SafetyError::System(path.to_path_buf()));
        }
        self.inside(path, &self.roots, itself)
    }

    fn inside(&self, path: &Path, roots: &[PathBuf], itself: bool) -> Result<(), SafetyError> {
        match roots.iter().find(|root| path.starts_with(root)) {
            None => Err(SafetyError::Outside(path.to_path_buf())),
            Some(root) if root == path && !itself => Err(SafetyError::GrantedFolder(path.to_path_buf())),
            Some(_) => Ok(()),
        }
    }

    /// Checks `path` again as it is on disk right before acting: its folder
    /// resolved to its real path must still be where it was written and
    /// inside a granted folder's real path, and the path itself, when it
    /// exists, must not be a symbolic link. Returns the path to act on.
    pub fn resolve(&self, path: &Path, itself: bool) -> Result<PathBuf, SafetyError> {
        self.check_written(path, itself)?;
        let unreadable = |p: &Path, e: io::Error| SafetyError::Unreadable { path: p.to_path_buf(), reason: e.to_string() };
        let (parent, name) = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => (parent, name),
            _ => return Err(SafetyError::System(path.to_path_buf())),
        };
        let real_parent = parent.canonicalize().map_err(|e| unreadable(parent, e))?;
        let real = real_parent.join(name);
        if real != path {
            return Err(SafetyError::Moved { path: path.to_path_buf(), now: real });
        }
        match std::fs::symlink_metadata(&real) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(SafetyError::Link(path.to_path_buf())),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(unreadable(&real, e)),
        }
        let real_roots: Vec<PathBuf> = self.roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
        self.inside(&real, &real_roots, itself)?;
        Ok(real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants() -> Grants {
        Grants::new([PathBuf::from("/home/ann/Documents"), PathBuf::from("/home/ann/Pictures")])
    }

    #[test]
    fn written_paths_must_be_absolute_direct_visible_and_inside_a_grant() {
        let g = grants();
        assert_eq!(g.check_written(Path::new("/home/ann/Documents/a.pdf"), false), Ok(()));
        assert!(matches!(g.check_written(Path::new("Documents/a.pdf"), false), Err(SafetyError::Relative(_))));
        assert!(matches!(g.check_written(Path::new("/home/ann/Documents/../.ssh/id_rsa"), false), Err(SafetyError::Climbs(_))));
        assert!(matches!(g.check_written(Path::new("/home/ann/Documents/.git/config"), false), Err(SafetyError::Hidden(_))));
        assert!(matches!(g.check_written(Path::new("/etc/passwd"), false), Err(SafetyError::System(_))));
        assert!(matches!(g.check_written(Path::new("/usr/bin"), true), Err(SafetyError::System(_))));
        assert!(matches!(g.check_written(Path::new("/"), true), Err(SafetyError::System(_))));
        assert!(matches!(g.check_written(Path::new("/home/ann/Downloads/x"), false), Err(SafetyError::Outside(_))));
        assert!(matches!(g.check_written(Path::new("/home/ann/Documents2/x"), false), Err(SafetyError::Outside(_))));
        assert!(matches!(g.check_written(Path::new("/home/ann/Documents"), false), Err(SafetyError::GrantedFolder(_))));
        assert_eq!(g.check_written(Path::new("/home/ann/Documents"), true), Ok(()));
    }

    #[test]
    fn at_execution_links_and_swapped_folders_are_refused() {
        let dir = tempfile::Builder::new().prefix("nook-actions").tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let granted = root.join("granted");
        let elsewhere = root.join("elsewhere");
        std::fs::create_dir_all(granted.join("inbox")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(granted.join("inbox/a.txt"), "a").unwrap();
        let g = Grants::new([granted.clone()]);

        let file = granted.join("inbox/a.txt");
        assert_eq!(g.resolve(&file, false), Ok(file.clone()));
        assert_eq!(g.resolve(&granted.join("inbox/new-folder"), false), Ok(granted.join("inbox/new-folder")));

        // The file swapped for a link to something outside.
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("secret"), &file).unwrap();
        assert!(matches!(g.resolve(&file, false), Err(SafetyError::Link(_))));

        // The folder swapped for a link: the written path now leads elsewhere.
        std::fs::remove_dir_all(granted.join("inbox")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, granted.join("inbox")).unwrap();
        let err = g.resolve(&granted.join("inbox/b.txt"), false).unwrap_err();
        assert!(matches!(err, SafetyError::Moved { .. }), "{err}");
    }
}

/// Extensions of files that install or run programs when opened:
/// launchers, installers and app images.
const RUNS: &[&str] = &["desktop", "appimage", "deb", "rpm", "msi", "exe", "flatpak", "flatpakref", "snap", "apk", "pkg", "run", "bin"];

/// Whether opening `path` would run or install a program: a launcher, an
/// installer, an app image or any executable file. Nook opens none of them
/// (showing one in its folder runs nothing).
pub fn runs_when_opened(path: &Path, meta: &std::fs::Metadata) -> bool {
    let by_name = path.extension().is_some_and(|e| RUNS.iter().any(|r| e.eq_ignore_ascii_case(r)));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        by_name || (meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        by_name
    }
}
