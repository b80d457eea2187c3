//! Handing things to the desktop: a file to its default application, a file
//! to the file manager, an application or a terminal started, an allowed
//! program run. Every program starts from an argument vector, never
//! through a shell, with no input and its output discarded, and is reaped
//! on a thread so nothing is left behind.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::apps::App;

#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error("could not start {program}: {reason}")]
    Start { program: String, reason: String },
    #[error("{name} cannot be started: {reason}")]
    BadEntry { name: String, reason: String },
}

/// Opens `path` with the desktop's default application (`xdg-open`).
pub fn open(path: &Path) -> Result<(), DesktopError> {
    spawn(&["xdg-open".into(), path.display().to_string()], None)
}

/// Shows `path` selected in the file manager (org.freedesktop.FileManager1
/// over the session bus); where no file manager answers, opens its folder.
pub fn reveal(path: &Path) -> Result<(), DesktopError> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        let uri = file_uri(path);
        let status = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--reply-timeout=2000",
                "--dest=org.freedesktop.FileManager1",
                "/org/freedesktop/FileManager1",
                "org.freedesktop.FileManager1.ShowItems",
                &format!("array:string:{uri}"),
                "string:",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|s| s.success()) {
            return Ok(());
        }
    }
    open(path.parent().unwrap_or(path))
}

/// Starts `app` with no file.
pub fn launch(app: &App) -> Result<(), DesktopError> {
    let argv = app.argv().map_err(|reason| DesktopError::BadEntry { name: app.name.clone(), reason })?;
    spawn(&argv, None)
}

/// Starts the terminal emulator `app` in `folder`.
pub fn terminal(app: &App, folder: &Path) -> Result<(), DesktopError> {
    let argv = app.argv().map_err(|reason| DesktopError::BadEntry { name: app.name.clone(), reason })?;
    spawn(&argv, Some(folder))
}

/// Runs `program` with `args` in `folder`.
pub fn run(program: &Path, args: &[String], folder: &Path) -> Result<(), DesktopError> {
    let mut argv = vec![program.display().to_string()];
    argv.extend(args.iter().cloned());
    spawn(&argv, Some(folder))
}

fn spawn(argv: &[String], folder: Option<&Path>) -> Result<(), DesktopError> {
    let (program, args) = argv.split_first().ok_or_else(|| DesktopError::Start { program: String::new(), reason: "no program".into() })?;
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    if let Some(folder) = folder {
        command.current_dir(folder);
    }
    let mut child = command.spawn().map_err(|e| DesktopError::Start { program: program.clone(), reason: reason(&e) })?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

fn reason(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        "it is not installed (not found on PATH)".into()
    } else {
        e.to_string()
    }
}

/// `file:///home/ann/My%20file.txt`.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(*byte as char),
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri
}

/// Finds `name` (a bare program name or an absolute path) among the allowed
/// programs: a bare name matches an allowed program's file name.
pub fn allowed_program(name: &str, allowed: &[PathBuf]) -> Option<PathBuf> {
    let wanted = Path::new(name);
    allowed
        .iter()
        .find(|p| if wanted.is_absolute() { *p == wanted } else { p.file_name() == Some(wanted.as_os_str()) && !name.contains('/') })
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_everything_but_plain_characters() {
        assert_eq!(file_uri(Path::new("/home/ann/My file#1.txt")), "file:///home/ann/My%20file%231.txt");
    }

    #[test]
    fn only_allowed_programs_run_named_by_file_name_or_exact_path() {
        let allowed = vec![PathBuf::from("/usr/bin/convert"), PathBuf::from("/usr/local/bin/pandoc")];
        assert_eq!(allowed_program("convert", &allowed), Some(PathBuf::from("/usr/bin/convert")));
        assert_eq!(allowed_program("/usr/local/bin/pandoc", &allowed), Some(PathBuf::from("/usr/local/bin/pandoc")));
        assert_eq!(allowed_program("/tmp/convert", &allowed), None);
        assert_eq!(allowed_program("bin/convert", &allowed), None);
        assert_eq!(allowed_program("rm", &allowed), None);
    }

    #[test]
    fn a_started_program_runs_in_its_folder() {
        let dir = tempfile::Builder::new().prefix("nook-desktop").tempdir().unwrap();
        run(Path::new("/bin/sh"), &["-c".into(), "pwd > where.txt".into()], dir.path()).unwrap();
        let out = dir.path().join("where.txt");
        for _ in 0..100 {
            if std::fs::read_to_string(&out).is_ok_and(|t| !t.is_empty()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(std::fs::read_to_string(&out).unwrap().trim(), dir.path().display().to_string());
        let err = run(Path::new("/nonexistent/program"), &[], dir.path()).unwrap_err();
        assert!(err.to_string().contains("not installed"), "{err}");
    }
}
