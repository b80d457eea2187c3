//! One Nook per user: the first instance listens on a Unix socket in the
//! config folder; a later `nook-desktop` (or `nook --quick-ask`) hands its
//! request over and exits. A line-based protocol: the client sends a request
//! word, the instance answers `ok`.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a second launch asks of the running instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Show the main window.
    Show,
    /// Show the quick-ask window.
    QuickAsk,
    /// Quit, as the tray's Quit does.
    Quit,
}

impl Request {
    fn word(self) -> &'static str {
        match self {
            Request::Show => "show",
            Request::QuickAsk => "quick-ask",
            Request::Quit => "quit",
        }
    }

    fn from_word(word: &str) -> Option<Request> {
        match word {
            "show" => Some(Request::Show),
            "quick-ask" => Some(Request::QuickAsk),
            "quit" => Some(Request::Quit),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HandOverError {
    #[error("no Nook is running")]
    NotRunning,
    #[error("the running Nook did not answer at {path}: {reason}")]
    NoAnswer { path: PathBuf, reason: String },
}

/// The socket of the instance that keeps its settings in `config_dir`.
pub fn socket_path(config_dir: &Path) -> PathBuf {
    config_dir.join("desktop.sock")
}

/// Passes `request` to the running instance.
pub fn hand_over(socket: &Path, request: Request) -> Result<(), HandOverError> {
    let mut stream = UnixStream::connect(socket).map_err(|_| HandOverError::NotRunning)?;
    let no_answer = |e: std::io::Error| HandOverError::NoAnswer { path: socket.to_path_buf(), reason: e.to_string() };
    stream.set_read_timeout(Some(Duration::from_secs(5))).map_err(no_answer)?;
    stream.write_all(format!("{}\n", request.word()).as_bytes()).map_err(no_answer)?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).map_err(no_answer)?;
    match answer.trim() {
        "ok" => Ok(()),
        other => Err(HandOverError::NoAnswer { path: socket.to_path_buf(), reason: format!("it said {other:?}") }),
    }
}

/// Makes this process the running instance: binds the socket, replacing one
/// left by an instance that died. Fails with `AddrInUse` when another
/// instance holds it.
pub fn claim(socket: &Path) -> std::io::Result<UnixListener> {
    if let Some(parent) = socket.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match UnixListener::bind(socket) {
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && UnixStream::connect(socket).is_err() => {
            std::fs::remove_file(socket)?;
            UnixListener::bind(socket)
        }
        bound => bound,
    }
}

/// Serves requests of later launches on a thread of its own, passing each
/// to `on_request`.
pub fn serve(listener: UnixListener, on_request: impl Fn(Request) + Send + 'static) -> std::io::Result<()> {
    std::thread::Builder::new().name("nook-instance".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let mut reader = BufReader::new(&stream);
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            match Request::from_word(line.trim()) {
                Some(request) => {
                    // Answer first: a quit may end this process.
                    let _ = (&stream).write_all(b"ok\n");
                    on_request(request);
                }
                None => {
                    let _ = (&stream).write_all(b"unknown request\n");
                }
            }
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_launch_hands_its_request_to_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let socket = socket_path(dir.path());
        assert!(matches!(hand_over(&socket, Request::QuickAsk), Err(HandOverError::NotRunning)));
        let (tx, rx) = mpsc::channel();
        serve(claim(&socket).unwrap(), move |r| tx.send(r).unwrap()).unwrap();
        assert_eq!(claim(&socket).unwrap_err().kind(), std::io::ErrorKind::AddrInUse, "one instance only");
        hand_over(&socket, Request::QuickAsk).unwrap();
        hand_over(&socket, Request::Show).unwrap();
        assert_eq!(rx.recv().unwrap(), Request::QuickAsk);
        assert_eq!(rx.recv().unwrap(), Request::Show);
    }

    #[test]
    fn a_socket_left_by_a_dead_instance_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let socket = socket_path(dir.path());
        drop(UnixListener::bind(&socket).unwrap());
        assert!(socket.exists());
        let (tx, rx) = mpsc::channel();
        serve(claim(&socket).unwrap(), move |r| tx.send(r).unwrap()).unwrap();
        hand_over(&socket, Request::Show).unwrap();
        assert_eq!(rx.recv().unwrap(), Request::Show);
    }
}
