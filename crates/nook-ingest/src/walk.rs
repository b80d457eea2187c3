//! Walking a folder with Nook's rules: every file found is reported once,
//! either to be read or skipped with its reason; a folder that is left out is
//! reported once and not descended into.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use nook_core::FileKind;
use walkdir::WalkDir;

use crate::rules::{self, SkipReason};

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Text files larger than this are skipped without being read.
    pub max_file_size: u64,
    /// The same for documents (PDF, Office, e-mail, images), which hold
    /// far less text per byte.
    pub max_document_size: u64,
}

impl WalkOptions {
    /// The size limit for the file at `path`, by its kind. Videos, audio
    /// and archives are never read, so any size is listed.
    pub fn size_limit(&self, path: &Path) -> u64 {
        match FileKind::from_path(path) {
            Some(kind) if kind.is_listed_only() => u64::MAX,
            Some(kind) if !kind.is_text() => self.max_document_size,
            _ => self.max_file_size,
        }
    }
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions { max_file_size: 10 * 1024 * 1024, max_document_size: 100 * 1024 * 1024 }
    }
}

/// What the walk found at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file to read.
    File { path: PathBuf, size: u64, modified_ms: i64 },
    /// Left out by a rule. For a folder, its content is not walked.
    Skipped { path: PathBuf, is_dir: bool, size: u64, modified_ms: i64, reason: SkipReason },
    /// Could not be looked at: permission denied, vanished, a broken link.
    /// For a folder, nothing below it is known this time.
    Unreadable { path: PathBuf, is_dir: bool, reason: String },
}

impl Entry {
    pub fn path(&self) -> &Path {
        match self {
            Entry::File { path, .. } | Entry::Skipped { path, .. } | Entry::Unreadable { path, .. } => path,
        }
    }
}

/// Walks `root` (a folder) in file-name order. Symbolic links are followed
/// only when they lead to a place inside `root` that the rules would read
/// under its own name: a link cannot carry a hidden or secret file, or a
/// folder elsewhere on the disk, into the index.
///
/// Editors' and downloads' short-lived files ([`rules::is_transient`]) are
/// passed over without a word: they are gone a moment later.
pub fn walk(root: &Path, options: &WalkOptions) -> Walk {
    Walk {
        inner: WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter(),
        root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        ignores: Vec::new(),
        options: options.clone(),
        scope: None,
    }
}

/// [`walk`], reporting only what lies at or below the `scope` paths (files or
/// folders inside `root`). The folders on the way down from `root` are
/// entered under the same rules, and their `.gitignore` files apply, so an
/// entry gets the verdict a walk of the whole of `root` would give it; a
/// scope path below a folder the rules leave out yields nothing.
pub fn walk_within(root: &Path, scope: &[PathBuf], options: &WalkOptions) -> Walk {
    Walk { scope: Some(scope.to_vec()), ..walk(root, options) }
}

pub struct Walk {
    inner: walkdir::IntoIter,
    /// The canonical root, which followed links must stay inside.
    root: PathBuf,
    /// `.gitignore` matchers of the folders above the current entry, with the
    /// depth of the folder that holds each.
    ignores: Vec<(usize, Gitignore)>,
    options: WalkOptions,
    /// Only entries at or below these paths are reported.
    scope: Option<Vec<PathBuf>>,
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let entry = match self.inner.next()? {
                Ok(entry) => entry,
                Err(err) => return Some(walk_error(err)),
            };
            let depth = entry.depth();
            while self.ignores.last().is_some_and(|(d, _)| *d >= depth) {
                self.ignores.pop();
            }
            let path = entry.path().to_path_buf();
            let is_dir = entry.file_type().is_dir();
            if depth > 0 && !is_dir && path.file_name().and_then(|n| n.to_str()).is_some_and(rules::is_transient) {
                continue;
            }
            let in_scope = self.scope.as_ref().is_none_or(|scope| scope.iter().any(|s| path.starts_with(s)));
            if !in_scope {
                let on_the_way = is_dir && self.scope.iter().flatten().any(|s| s.starts_with(&path));
                if !on_the_way {
                    if is_dir {
                        self.inner.skip_current_dir();
                    }
                    continue;
                }
                let rule = self.rule_for(&path, depth, true, 0).or_else(|| {
                    entry.path_is_symlink().then(|| self.rule_for_link_target(&path)).flatten()
                });
                if rule.is_some() {
                    self.inner.skip_current_dir();
                } else {
                    self.push_gitignore(&path, depth);
                }
                continue;
            }
            let metadata = match entry.metadata() {
                Ok(m) => m,
                Err(err) => {
                    if is_dir {
                        self.inner.skip_current_dir();
                    }
                    return Some(Entry::Unreadable { path, is_dir, reason: describe_io(&err.to_string()) });
                }
            };
            let modified_ms = metadata
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis() as i64);
            let size = if is_dir { 0 } else { metadata.len() };

            let rule = self.rule_for(&path, depth, is_dir, size).or_else(|| {
                entry.path_is_symlink().then(|| self.rule_for_link_target(&path)).flatten()
            });
            if let Some(reason) = rule {
                if is_dir {
                    self.inner.skip_current_dir();
                }
                return Some(Entry::Skipped { path, is_dir, size, modified_ms, reason });
            }
            if is_dir {
                self.push_gitignore(&path, depth);
                continue;
            }
            if !metadata.is_file() {
                // Sockets, FIFOs, devices: nothing to read, nothing to report.
                continue;
            }
            return Some(Entry::File { path, size, modified_ms });
        }
    }
}

impl Walk {
    fn rule_for(&self, path: &Path, depth: usize, is_dir: bool, size: u64) -> Option<SkipReason> {
        if path.to_str().is_none() {
            return Some(SkipReason::NonUtf8Path);
        }
        if depth == 0 {
            return None;
        }
        let name = path.file_name()?.to_str()?;
        if rules::is_hidden(name) {
            return Some(SkipReason::Hidden);
        }
        if is_dir && rules::is_excluded_folder(name) {
            return Some(SkipReason::ExcludedFolder);
        }
        for (_, gitignore) in self.ignores.iter().rev() {
            match gitignore.matched(path, is_dir) {
                Match::Ignore(glob) => {
                    let ignore_file = glob
                        .from()
                        .map_or_else(|| ".gitignore".to_string(), |p| p.display().to_string());
                    return Some(SkipReason::GitIgnored { ignore_file });
                }
                Match::Whitelist(_) => break,
                Match::None => {}
            }
        }
        if !is_dir && rules::is_secret_name(name) {
            return Some(SkipReason::Secret);
        }
        let limit = self.options.size_limit(path);
        if !is_dir && size > limit {
            return Some(SkipReason::TooLarge { size, limit });
        }
        None
    }

    /// The rule a link's target falls under: outside the root, or hidden or
    /// secret under its real name.
    fn rule_for_link_target(&self, link: &Path) -> Option<SkipReason> {
        let Ok(target) = std::fs::canonicalize(link) else {
            return None; // a broken link is reported by walkdir itself
        };
        let Ok(inside) = target.strip_prefix(&self.root) else {
            return Some(SkipReason::LinkOutside { target: target.display().to_string() });
        };
        let names: Vec<&str> = inside.iter().filter_map(|c| c.to_str()).collect();
        if names.iter().any(|n| rules::is_hidden(n)) {
            return Some(SkipReason::Hidden);
        }
        if target.is_file() && names.last().is_some_and(|n| rules::is_secret_name(n)) {
            return Some(SkipReason::Secret);
        }
        None
    }

    fn push_gitignore(&mut self, dir: &Path, depth: usize) {
        let file = dir.join(".gitignore");
        if !file.is_file() {
            return;
        }
        let mut builder = GitignoreBuilder::new(dir);
        // A malformed line is dropped by the builder; the rest still applies.
        let _ = builder.add(&file);
        if let Ok(gitignore) = builder.build() {
            self.ignores.push((depth, gitignore));
        }
    }
}

fn walk_error(err: walkdir::Error) -> Entry {
    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        let target = ancestor.display().to_string();
        return Entry::Skipped { path, is_dir: true, size: 0, modified_ms: 0, reason: SkipReason::SymlinkLoop { target } };
    }
    let is_dir = path.is_dir();
    let reason = match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            if path.is_symlink() {
                "broken symbolic link".to_string()
            } else {
                "vanished while Nook was reading the folder".to_string()
            }
        }
        Some(io) => describe_io(&io.to_string()),
        None => describe_io(&err.to_string()),
    };
    Entry::Unreadable { path, is_dir, reason }
}

fn describe_io(message: &str) -> String {
    if message.contains("Permission denied") {
        "permission denied: Nook's user cannot read it".to_string()
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, content) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        dir
    }

    /// The walk as `(relative path, verdict)` pairs, `read` for files to read.
    fn outcome(root: &Path, options: &WalkOptions) -> Vec<(String, String)> {
        verdicts(root, walk(root, options))
    }

    fn verdicts(root: &Path, walk: Walk) -> Vec<(String, String)> {
        walk
            .map(|entry| {
                let rel = entry.path().strip_prefix(root).unwrap().display().to_string();
                let verdict = match entry {
                    Entry::File { .. } => "read".to_string(),
                    Entry::Skipped { reason, .. } => reason.to_string(),
                    Entry::Unreadable { reason, .. } => format!("unreadable: {reason}"),
                };
                (rel, verdict)
            })
            .collect()
    }

    fn check(root: &Path, expected: &[(&str, &str)]) {
        let actual = outcome(root, &WalkOptions::default());
        let expected: Vec<(String, String)> =
            expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn rules_and_gitignore_decide_what_is_read() {
        let dir = tree(&[
            ("notes.md", "# notes"),
            (".hidden.txt", "x"),
            (".git/config", "x"),
            ("node_modules/pkg/index.js", "x"),
            ("id_rsa", "x"),
            ("proj/.gitignore", "build/\n*.log\n!keep.log\n"),
            ("proj/build/out.txt", "x"),
            ("proj/run.log", "x"),
            ("proj/keep.log", "x"),
            ("proj/src/main.rs", "fn main() {}"),
            ("other/run.log", "x"),
        ]);
        let gi = dir.path().join("proj/.gitignore").display().to_string();
        check(
            dir.path(),
            &[
                (".git", "hidden file or folder"),
                (".hidden.txt", "hidden file or folder"),
                ("id_rsa", "looks like a secret (key, key store or .env); never indexed"),
                ("node_modules", "folder of build output or dependencies (never indexed)"),
                ("notes.md", "read"),
                ("other/run.log", "read"),
                ("proj/.gitignore", "hidden file or folder"),
                ("proj/build", &format!("excluded by {gi}")),
                ("proj/keep.log", "read"),
                ("proj/run.log", &format!("excluded by {gi}")),
                ("proj/src/main.rs", "read"),
            ],
        );
    }

    #[test]
    fn a_scoped_walk_gives_the_verdicts_of_a_whole_walk_for_its_paths_only() {
        let dir = tree(&[
            ("proj/.gitignore", "*.log\n"),
            ("proj/src/main.rs", "fn main() {}"),
            ("proj/src/run.log", "x"),
            ("proj/docs/guide.md", "x"),
            ("notes.md", "x"),
            (".hidden/inside.txt", "x"),
        ]);
        let root = dir.path();
        let scope = [root.join("proj/src"), root.join(".hidden/inside.txt"), root.join("gone.txt")];
        let gi = root.join("proj/.gitignore").display().to_string();
        let found = verdicts(root, walk_within(root, &scope, &WalkOptions::default()));
        assert_eq!(
            found,
            [("proj/src/main.rs".to_string(), "read".to_string()), ("proj/src/run.log".to_string(), format!("excluded by {gi}"))]
        );
    }

    #[test]
    fn editors_short_lived_files_are_passed_over_silently() {
        let dir = tree(&[("notes.md", "x"), (".notes.md.swp", "x"), ("notes.md~", "x"), ("4913", ""), (".goutputstream-AB12", "x")]);
        check(dir.path(), &[("notes.md", "read")]);
    }

    #[test]
    fn large_files_are_skipped_without_reading() {
        let dir = tree(&[("big.txt", &"x".repeat(2048)), ("small.txt", "x")]);
        let options = WalkOptions { max_file_size: 1024, ..WalkOptions::default() };
        let found = outcome(dir.path(), &options);
        assert_eq!(found[0], ("big.txt".into(), "too large: 0.0 MiB, the limit is 0.0 MiB".into()));
        assert_eq!(found[1], ("small.txt".into(), "read".into()));
    }

    #[test]
    fn links_cannot_carry_outside_hidden_or_secret_files_in() {
        let outside = tree(&[("elsewhere.txt", "x")]);
        let dir = tree(&[("a.txt", "x"), (".ssh/config", "x"), ("keys/server.pem", "x")]);
        let link = |target: &Path, name: &str| std::os::unix::fs::symlink(target, dir.path().join(name)).unwrap();
        link(&outside.path().join("elsewhere.txt"), "out.txt");
        link(&dir.path().join(".ssh"), "ssh");
        link(&dir.path().join("keys/server.pem"), "notes.txt");
        link(&dir.path().join("a.txt"), "b.txt");
        let target = outside.path().canonicalize().unwrap().join("elsewhere.txt").display().to_string();
        check(
            dir.path(),
            &[
                (".ssh", "hidden file or folder"),
                ("a.txt", "read"),
                ("b.txt", "read"),
                ("keys/server.pem", "looks like a secret (key, key store or .env); never indexed"),
                ("notes.txt", "looks like a secret (key, key store or .env); never indexed"),
                ("out.txt", &format!("symbolic link to {target}, outside the indexed folder")),
                ("ssh", "hidden file or folder"),
            ],
        );
    }

    #[test]
    fn symlink_loops_are_reported_and_do_not_hang() {
        let dir = tree(&[("a/file.txt", "x")]);
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("a/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("broken")).unwrap();
        let found = outcome(dir.path(), &WalkOptions::default());
        let a = dir.path().join("a").display().to_string();
        assert_eq!(
            found,
            [
                ("a/file.txt".to_string(), "read".to_string()),
                ("a/loop".to_string(), format!("symbolic link loop back to {a}")),
                ("broken".to_string(), "unreadable: broken symbolic link".to_string()),
            ]
        );
    }
}
