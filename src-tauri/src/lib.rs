//! Nook's desktop shell: windows, tray, global shortcut and single instance
//! around [`nook_engine`]. This crate adapts; the engine decides. Nothing here
//! indexes, ranks or stores.
//!
//! Start-up order matters for speed: the window is shown first, then the
//! engine opens on the async runtime and the window hears `engine` when it is
//! ready.

mod backend;
mod commands;
pub mod instance;
mod os;
pub mod session;
mod shortcut;
mod tray;
mod windows;

use std::os::unix::net::UnixListener;

use nook_engine::NookPaths;
use tauri::{Emitter, Manager, WindowEvent};

use backend::Backend;
use instance::Request;
use session::Session;

/// What this process was started for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Launch {
    /// Show the main window.
    #[default]
    Main,
    /// Show the quick-ask window (`--quick-ask`).
    QuickAsk,
    /// Ask the running Nook to quit (`--quit`).
    Quit,
}

impl Launch {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Launch, String> {
        let mut launch = Launch::Main;
        for arg in args {
            launch = match arg.as_str() {
                "--quick-ask" => Launch::QuickAsk,
                "--quit" => Launch::Quit,
                other => {
                    return Err(format!(
                        "unknown argument {other:?}; use `nook-desktop`, `nook-desktop --quick-ask` or `nook-desktop --quit`"
                    ))
                }
            };
        }
        Ok(launch)
    }

    /// The request handed to an instance already running.
    pub fn request(self) -> Request {
        match self {
            Launch::Main => Request::Show,
            Launch::QuickAsk => Request::QuickAsk,
            Launch::Quit => Request::Quit,
        }
    }
}

/// Runs the app until it quits. `listener`: the single-instance socket this
/// process claimed, if it could.
pub fn run(launch: Launch, paths: NookPaths, listener: Option<UnixListener>) -> anyhow::Result<()> {
    let session = Session::detect();
    for line in session.log_lines() {
        log::warn!("{line}");
    }
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(session)
        .manage(backend::Answering::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::search,
            commands::route,
            commands::refine_search,
            commands::open_file,
            commands::reveal_file,
            commands::library_overview,
            commands::add_folder,
            commands::pick_folder,
            commands::remove_folder,
            commands::folder_files,
            commands::why,
            commands::set_indexing_paused,
            commands::settings_info,
            commands::set_shortcut,
            commands::set_fiscal_year_start,
            commands::warm_up,
            commands::hide_quick_ask,
            commands::show_main,
            commands::use_model,
            commands::add_model,
            commands::remove_model,
            commands::ask,
            commands::cancel_answer,
            commands::conversations,
            commands::conversation,
            commands::rename_conversation,
            commands::delete_conversation,
            commands::propose_action,
            commands::execute_action,
            commands::cancel_action,
            commands::activity,
            commands::undo_action,
            commands::set_run_programs,
        ])
        .on_window_event(|window, event| match event {
            WindowEvent::CloseRequested { api, .. } => {
                // Asked now, not at start: a tray host may have come since.
                if window.label() == windows::QUICK_ASK || Session::detect().tray().available {
                    api.prevent_close();
                    let _ = window.hide();
                } else {
                    log::info!("no tray to keep Nook in: quitting");
                    window.app_handle().exit(0);
                }
            }
            _ => {}
        })
        .setup(move |app| {
            let handle = app.handle().clone();
            windows::create_quick_ask(&handle);
            match launch {
                Launch::QuickAsk => windows::show_quick_ask(&handle),
                Launch::Main | Launch::Quit => windows::show_main(&handle),
            }
            log::info!("window shown");

            // Saved settings, read (not loaded: the library does that and
            // reports a bad file) before the engine opens, so the shortcut
            // and tray do not wait for the index.
            let saved = nook_engine::Settings::peek(&paths.config_dir).unwrap_or_default();
            let session = *app.state::<Session>();
            let shortcuts = shortcut::Shortcuts::install(&handle, &session, saved.shortcut.clone());
            app.manage(shortcuts);
            if session.bus {
                if let Err(err) = tray::install(&handle, saved.indexing_paused) {
                    log::warn!("tray unavailable: {err}");
                }
            }

            let (for_state, for_events) = (handle.clone(), handle.clone());
            let backend = Backend::start(
                paths.clone(),
                move |state| {
                    let _ = for_state.emit("engine", state);
                },
                move |event| {
                    log_event(&event);
                    match &event {
                        nook_engine::LibraryEvent::Paused => tray::show_paused(&for_events, true),
                        nook_engine::LibraryEvent::Resumed => tray::show_paused(&for_events, false),
                        _ => {}
                    }
                    let _ = for_events.emit("library", event);
                },
            );
            app.manage(backend);

            let for_requests = handle.clone();
            let serving = listener.map(|listener| instance::serve(listener, move |request| match request {
                Request::Show => windows::show_main(&for_requests),
                Request::QuickAsk => windows::show_quick_ask(&for_requests),
                Request::Quit => {
                    log::info!("quitting on request");
                    for_requests.exit(0);
                }
            }));
            if let Some(Err(err)) = serving {
                log::warn!("single instance unavailable: {err}");
            }
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

/// The library's outcomes, in the log too.
fn log_event(event: &nook_engine::LibraryEvent) {
    use nook_engine::LibraryEvent::*;
    match event {
        Indexed { folder, report } => log::info!(
            "indexed {}: {} read, {} unchanged, {} skipped, {} failed in {} ms",
            folder.display(),
            report.indexed,
            report.unchanged,
            report.skipped,
            report.failed,
            report.elapsed_ms
        ),
        Updated { folder, report } => log::info!(
            "updated {}: {} read, {} moved, {} removed, {} failed in {} ms",
            folder.display(),
            report.indexed,
            report.reused,
            report.removed,
            report.failed,
            report.elapsed_ms
        ),
        Notice { message, .. } => log::warn!("{message}"),
        Failed { folder, message } => log::error!("indexing {} failed: {message}", folder.display()),
        Forgotten { folder, files } => log::info!("forgot {files} files of {}", folder.display()),
        Paused => log::info!("indexing paused"),
        Resumed => log::info!("indexing resumed"),
        Progress { .. } | Idle => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Launch, String> {
        Launch::from_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments_choose_what_to_show_or_ask() {
        assert_eq!(args(&[]), Ok(Launch::Main));
        assert_eq!(args(&["--quick-ask"]).map(Launch::request), Ok(Request::QuickAsk));
        assert_eq!(args(&["--quit"]).map(Launch::request), Ok(Request::Quit));
        assert!(args(&["--frobnicate"]).unwrap_err().contains("--quick-ask"));
    }
}
