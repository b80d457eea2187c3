//! `nook-desktop`: the desktop app. With `--quick-ask`, asks a running Nook to
//! show its quick-ask window, or starts Nook with it shown.

use std::process::ExitCode;

use nook_desktop::{instance, Launch};

fn main() -> ExitCode {
    // Nook's own lines at info; libraries only when something is wrong
    // (lance's scanner warns of a coming API change on every query).
    let default_filter = "warn,lance::dataset::scanner=error,nook_desktop=info,nook_engine=info";
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_filter)).init();
    let launch = match Launch::from_args(std::env::args().skip(1)) {
        Ok(launch) => launch,
        Err(message) => {
            eprintln!("nook-desktop: {message}");
            return ExitCode::from(2);
        }
    };
    let paths = match nook_engine::NookPaths::from_env() {
        Ok(paths) => paths,
        Err(err) => {
            eprintln!("nook-desktop: {err}");
            return ExitCode::FAILURE;
        }
    };
    // A Nook already running takes over the request and this process ends
    // before it loads any window toolkit. The socket is claimed before the
    // app starts, so two launches at once cannot both become the instance.
    let socket = instance::socket_path(&paths.config_dir);
    let mut listener = None;
    for _attempt in 0..2 {
        match instance::hand_over(&socket, launch.request()) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(err) if launch == Launch::Quit => {
                eprintln!("nook-desktop: {err}");
                return ExitCode::SUCCESS;
            }
            Err(instance::HandOverError::NotRunning) => {}
            Err(err) => log::warn!("{err}"),
        }
        match instance::claim(&socket) {
            Ok(claimed) => {
                listener = Some(claimed);
                break;
            }
            // Another launch just became the instance: hand over to it.
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(err) => {
                log::warn!("single instance unavailable ({}: {err}); a second launch starts a second Nook", socket.display());
                break;
            }
        }
    }
    match nook_desktop::run(launch, paths, listener) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nook-desktop: {err:#}");
            ExitCode::FAILURE
        }
    }
}
