//! Which file-system events matter, and to which watched folder. Pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nook_ingest::rules;
use notify::event::{AccessKind, AccessMode, EventKind};

/// Whether an event can change what a file holds or where it is. Opening
/// or reading a file (Nook's own indexer does) changes nothing; closing a
/// file written to does.
pub fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether `path`, inside `folder`, can never be indexed whatever it holds:
/// it is hidden, inside a hidden or excluded folder, or an editor's
/// short-lived file. Changes there start no work.
pub fn never_indexed(folder: &Path, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(folder) else { return true };
    let names: Vec<&str> = inside.iter().filter_map(|c| c.to_str()).collect();
    let Some((last, parents)) = names.split_last() else { return false };
    parents.iter().any(|n| rules::is_hidden(n) || rules::is_excluded_folder(n))
        || rules::is_hidden(last)
        || rules::is_transient(last)
}

/// The watched folder `path` belongs to: the deepest one that holds it.
pub fn folder_of<'a>(folders: &'a [PathBuf], path: &Path) -> Option<&'a PathBuf> {
    folders.iter().filter(|f| path.starts_with(f)).max_by_key(|f| f.as_os_str().len())
}

/// Groups the paths of `events` by watched folder, leaves out what changes
/// nothing or can never be indexed, and keeps only the topmost of nested
/// paths (a folder covers what is below it). Folders and paths come out
/// sorted.
pub fn group<'a>(
    folders: &[PathBuf],
    events: impl IntoIterator<Item = (&'a EventKind, &'a [PathBuf])>,
) -> Vec<(PathBuf, Vec<PathBuf>)> {
    let mut grouped: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for (kind, paths) in events {
        if !changes_content(kind) {
            continue;
        }
        for path in paths {
            let Some(folder) = folder_of(folders, path) else { continue };
            if !never_indexed(folder, path) {
                grouped.entry(folder.clone()).or_default().push(path.clone());
            }
        }
    }
    grouped.into_iter().map(|(folder, paths)| (folder, topmost(paths))).collect()
}

/// `paths` without duplicates and without those below another of them.
pub fn topmost(mut paths: Vec<PathBuf>) -> Vec<PathBuf> {
    paths.sort();
    paths.dedup();
    let mut kept: Vec<PathBuf> = Vec::new();
    for path in paths {
        // Sorted, a path's ancestors in the list come before it; the last
        // kept path is the only ancestor candidate worth checking, since
        // anything between shares its prefix.
        if kept.last().is_some_and(|k| path.starts_with(k)) {
            continue;
        }
        kept.push(path);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn reading_a_file_changes_nothing_but_closing_it_after_writing_does() {
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_content(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn hidden_excluded_and_short_lived_paths_are_never_indexed() {
        let folder = p("/home/ann/notes");
        for path in [
            "/home/ann/notes/.git/index",
            "/home/ann/notes/app/node_modules/x/index.js",
            "/home/ann/notes/.plan.md.swp",
            "/home/ann/notes/plan.md~",
            "/home/ann/notes/.goutputstream-3QX2Z1",
            "/home/ann/notes/4913",
            "/home/ann/other/plan.md",
        ] {
            assert!(never_indexed(&folder, &p(path)), "{path}");
        }
        for path in ["/home/ann/notes/plan.md", "/home/ann/notes/app/src/main.rs", "/home/ann/notes"] {
            assert!(!never_indexed(&folder, &p(path)), "{path}");
        }
    }

    #[test]
    fn an_editors_save_comes_down_to_the_file_it_saved() {
        let folders = [p("/n")];
        // gedit: write a temporary file, then rename it over the original.
        let events = [
            (EventKind::Create(CreateKind::File), vec![p("/n/.goutputstream-AB12")]),
            (EventKind::Modify(ModifyKind::Any), vec![p("/n/.goutputstream-AB12")]),
            (EventKind::Modify(ModifyKind::Name(RenameMode::Both)), vec![p("/n/.goutputstream-AB12"), p("/n/plan.md")]),
            (EventKind::Access(AccessKind::Open(AccessMode::Any)), vec![p("/n/plan.md")]),
        ];
        let grouped = group(&folders, events.iter().map(|(k, ps)| (k, ps.as_slice())));
        assert_eq!(grouped, [(p("/n"), vec![p("/n/plan.md")])]);
    }

    #[test]
    fn a_renamed_folder_is_one_change_per_name_routed_to_its_watched_folder() {
        let folders = [p("/a"), p("/a/deep"), p("/b")];
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        let events = [
            (rename, vec![p("/b/old"), p("/b/new")]),
            (EventKind::Modify(ModifyKind::Any), vec![p("/b/new/f1.txt")]),
            (EventKind::Create(CreateKind::File), vec![p("/a/deep/x.md")]),
            (EventKind::Create(CreateKind::File), vec![p("/elsewhere/y.md")]),
        ];
        let grouped = group(&folders, events.iter().map(|(k, ps)| (k, ps.as_slice())));
        assert_eq!(
            grouped,
            [(p("/a/deep"), vec![p("/a/deep/x.md")]), (p("/b"), vec![p("/b/new"), p("/b/old")])]
        );
    }

    #[test]
    fn topmost_keeps_folders_over_what_they_hold() {
        let kept = topmost(vec![p("/n/a/b.txt"), p("/n/a"), p("/n/ab.txt"), p("/n/a"), p("/n/c/d/e")]);
        assert_eq!(kept, [p("/n/a"), p("/n/ab.txt"), p("/n/c/d/e")]);
    }
}
