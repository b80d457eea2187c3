//! `nook --quick-ask`: hands over to the desktop app, which passes the
//! request to its running instance or starts with the quick-ask window.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

const DESKTOP: &str = "nook-desktop";
/// A hand-over to a running Nook takes milliseconds; a process still there
/// after this long has become the new instance.
const HAND_OVER: Duration = Duration::from_secs(3);

pub fn quick_ask() -> Result<()> {
    let Some(desktop) = find_desktop() else {
        bail!("the desktop app `{DESKTOP}` is not installed next to `nook` or on PATH; run `bash scripts/run.sh` to build it");
    };
    // Its own process group, no terminal: a Nook started here outlives the
    // shortcut or shell that asked for it.
    let mut child = Command::new(&desktop)
        .arg("--quick-ask")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let started = Instant::now();
    while started.elapsed() < HAND_OVER {
        if let Some(status) = child.try_wait()? {
            if !status.success() {
                bail!("{} --quick-ask failed ({status})", desktop.display());
            }
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// `nook-desktop` beside this binary first (a build folder, an install
/// prefix), then on PATH.
fn find_desktop() -> Option<PathBuf> {
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(DESKTOP)));
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(DESKTOP));
    beside.into_iter().chain(on_path).find(|p| p.is_file())
}
