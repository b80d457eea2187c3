//! Support for Nook's integration tests: a fresh Nook home per test, the
//! installed default models, and the `nook` binary built alongside.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use nook_engine::{Engine, IndexOptions, IndexReport, NookPaths};

pub mod manifest;

/// A Nook home in a temporary folder: its own index and configuration, the
/// models the set-up installed for this user.
pub struct Home {
    pub dir: tempfile::TempDir,
    pub paths: NookPaths,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::tempdir().expect("temporary folder");
        let installed = NookPaths::from_env().expect("HOME is set").model_dirs;
        let mut paths = NookPaths::under(dir.path(), None);
        paths.model_dirs.extend(installed);
        Home { dir, paths }
    }

    pub async fn engine(&self) -> Engine {
        Engine::open(self.paths.clone()).await.expect("the default models are installed (bash scripts/setup.sh --models)")
    }

    /// Runs the real `nook` binary with this home as `NOOK_HOME`.
    pub fn nook(&self, args: &[&str]) -> Output {
        Command::new(nook_binary())
            .args(args)
            .env("NOOK_HOME", self.dir.path())
            .output()
            .expect("the nook binary runs")
    }
}

impl Home {
    /// Runs `nook args`, which must fail with `expected` in its message.
    pub fn assert_refused(&self, args: &[&str], expected: &str) {
        let out = self.nook(args);
        assert!(!out.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

impl Default for Home {
    fn default() -> Self {
        Home::new()
    }
}

/// Indexes `root` with default options and no progress output.
pub async fn index(engine: &Engine, root: &Path) -> IndexReport {
    engine.index(root, &IndexOptions::default(), &mut |_| {}).await.expect("indexing succeeds")
}

/// The `nook` binary cargo built for this test run (next to the test's
/// `deps/` folder).
pub fn nook_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe.parent().and_then(Path::parent).expect("target profile folder");
    let nook = dir.join("nook");
    assert!(nook.is_file(), "{} is missing: build it with `cargo build -p nook-cli` (cargo test --workspace does)", nook.display());
    nook
}

/// Standard output of a command that must have succeeded.
pub fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "command failed ({}):\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Asserts that `nook status` lists `rel` (under `root`) as `status`, with a
/// reason that mentions `reason`.
pub fn assert_problem(report: &nook_engine::StatusReport, root: &Path, rel: &str, status: &str, reason: &str) {
    let path = root.join(rel).to_string_lossy().into_owned();
    let problem = report
        .problems
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("{rel} not reported: {:#?}", report.problems));
    assert_eq!(problem.status, status, "{rel}: {}", problem.reason);
    assert!(problem.reason.contains(reason), "{rel}: {:?} should mention {reason:?}", problem.reason);
}

/// Writes `bytes` to `rel` under `root`, making the folders on the way.
pub fn write_file(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders are writable");
    std::fs::write(path, bytes).expect("files are writable");
}
