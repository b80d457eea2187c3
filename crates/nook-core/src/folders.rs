//! The watched folders: which folder may join the list and what leaving it
//! means. Paths are compared component by component, so `/a/bc` is not inside
//! `/a/b`. Callers pass canonical paths.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FolderError {
    #[error("{0} is already watched")]
    AlreadyWatched(PathBuf),
    #[error("{folder} is already watched as part of {parent}; remove {parent} first to watch it on its own")]
    InsideWatched { folder: PathBuf, parent: PathBuf },
    #[error("{0} is not a watched folder")]
    NotWatched(PathBuf),
}

/// What adding a folder does to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub folders: Vec<PathBuf>,
    /// Watched folders inside the new one: they are now covered by it.
    pub absorbed: Vec<PathBuf>,
}

/// The list with `folder` added. A folder inside a watched one is refused (it
/// is indexed already); watched folders inside the new one are absorbed.
pub fn add(folders: &[PathBuf], folder: &Path) -> Result<Added, FolderError> {
    if folders.iter().any(|f| f == folder) {
        return Err(FolderError::AlreadyWatched(folder.to_path_buf()));
    }
    if let Some(parent) = folders.iter().find(|f| folder.starts_with(f)) {
        return Err(FolderError::InsideWatched { folder: folder.to_path_buf(), parent: parent.clone() });
    }
    let (absorbed, mut kept): (Vec<PathBuf>, Vec<PathBuf>) =
        folders.iter().cloned().partition(|f| f.starts_with(folder));
    kept.push(folder.to_path_buf());
    Ok(Added { folders: kept, absorbed })
}

/// The list without `folder`.
pub fn remove(folders: &[PathBuf], folder: &Path) -> Result<Vec<PathBuf>, FolderError> {
    if !folders.iter().any(|f| f == folder) {
        return Err(FolderError::NotWatched(folder.to_path_buf()));
    }
    Ok(folders.iter().filter(|f| *f != folder).cloned().collect())
}

/// The watched folder that holds `path`, if any.
pub fn containing<'a>(folders: &'a [PathBuf], path: &Path) -> Option<&'a PathBuf> {
    folders.iter().find(|f| path.starts_with(f))
}

/// The prefix that selects a folder's files in the index: its path with one
/// trailing slash.
pub fn index_prefix(folder: &Path) -> String {
    format!("{}/", folder.to_string_lossy().trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn a_new_folder_joins_the_list() {
        let added = add(&paths(&["/home/a/docs"]), Path::new("/home/a/code")).unwrap();
        assert_eq!(added.folders, paths(&["/home/a/docs", "/home/a/code"]));
        assert!(added.absorbed.is_empty());
    }

    #[test]
    fn the_same_folder_twice_is_refused() {
        let err = add(&paths(&["/home/a/docs"]), Path::new("/home/a/docs")).unwrap_err();
        assert_eq!(err, FolderError::AlreadyWatched(PathBuf::from("/home/a/docs")));
    }

    #[test]
    fn a_folder_inside_a_watched_one_is_refused_with_the_parent_named() {
        let err = add(&paths(&["/home/a"]), Path::new("/home/a/docs/2026")).unwrap_err();
        assert!(err.to_string().contains("already watched as part of /home/a"), "{err}");
    }

    #[test]
    fn a_parent_folder_absorbs_the_watched_folders_inside_it() {
        let added = add(&paths(&["/home/a/docs", "/srv", "/home/a/code"]), Path::new("/home/a")).unwrap();
        assert_eq!(added.folders, paths(&["/srv", "/home/a"]));
        assert_eq!(added.absorbed, paths(&["/home/a/docs", "/home/a/code"]));
    }

    #[test]
    fn a_sibling_sharing_a_name_prefix_is_not_inside() {
        let added = add(&paths(&["/home/a/b"]), Path::new("/home/a/bc")).unwrap();
        assert_eq!(added.folders.len(), 2);
        assert_eq!(containing(&added.folders, Path::new("/home/a/bc/x.txt")), Some(&PathBuf::from("/home/a/bc")));
        assert_eq!(index_prefix(Path::new("/home/a/b")), "/home/a/b/");
    }

    #[test]
    fn removing_needs_a_watched_folder() {
        assert_eq!(remove(&paths(&["/x", "/y"]), Path::new("/x")).unwrap(), paths(&["/y"]));
        assert_eq!(remove(&paths(&["/x"]), Path::new("/z")), Err(FolderError::NotWatched(PathBuf::from("/z"))));
    }
}
