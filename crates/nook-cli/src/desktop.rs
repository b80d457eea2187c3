//! `nook --quick-ask`: hands over to the desktop app, which passes the
//! request to its running instance or starts with the quick-ask window.

use std::path::PathBuf;

use anyhow::{bail, Result};

const DESKTOP: &str = "nook-desktop";

pub fn quick_ask() -> Result<()> {
    let Some(desktop) = find_desktop() else {
        bail!("the desktop app `{DESKTOP}` is not installed next to `nook` or on PATH; run `bash scripts/run.sh` to build it");
    };
    let status = std::process::Command::new(&desktop).arg("--quick-ask").status()?;
    if !status.success() {
        bail!("{} --quick-ask failed ({status})", desktop.display());
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
