//! Handing files to the desktop: open with the default application, show in
//! the file manager. Done here, in Rust, never by the webview.

use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum OsError {
    #[error("could not start {program} to open {path}: {reason}")]
    Launch { program: &'static str, path: String, reason: String },
}

/// Opens `path` with the system's default application.
pub fn open(path: &Path) -> Result<(), OsError> {
    launch(opener(), path)
}

/// Shows `path` selected in the file manager; where the file manager does
/// not offer that, opens the folder that holds it.
pub fn reveal(path: &Path) -> Result<(), OsError> {
    #[cfg(target_os = "linux")]
    if show_items(path) {
        return Ok(());
    }
    #[cfg(target_os = "macos")]
    {
        return spawn_detached(Command::new("open").arg("-R").arg(path), "open", path);
    }
    #[allow(unreachable_code)]
    launch(opener(), path.parent().unwrap_or(path))
}

fn opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    }
}

fn launch(program: &'static str, path: &Path) -> Result<(), OsError> {
    spawn_detached(Command::new(program).arg(path), program, path)
}

/// Starts the program and reaps it on a thread, so no zombie is left.
fn spawn_detached(command: &mut Command, program: &'static str, path: &Path) -> Result<(), OsError> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| OsError::Launch { program, path: path.display().to_string(), reason: e.to_string() })?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// Asks the file manager over D-Bus (org.freedesktop.FileManager1) to show
/// the file. False when no bus or no file manager answers.
#[cfg(target_os = "linux")]
fn show_items(path: &Path) -> bool {
    use gio::prelude::*;

    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return false;
    }
    let Ok(connection) = gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE) else {
        return false;
    };
    let uri = gio::File::for_path(path).uri().to_string();
    connection
        .call_sync(
            Some("org.freedesktop.FileManager1"),
            "/org/freedesktop/FileManager1",
            "org.freedesktop.FileManager1",
            "ShowItems",
            Some(&(vec![uri], "").to_variant()),
            None,
            gio::DBusCallFlags::NONE,
            2000,
            gio::Cancellable::NONE,
        )
        .is_ok()
}
