//! The two windows: the main window and the quick-ask box. Both are made at
//! start and shown or hidden, never rebuilt, so the quick-ask box appears at
//! once. The main window comes from tauri.conf.json; the quick-ask box is
//! described there too (`"create": false`) but made here, so that it can
//! share the main window's web process.

use tauri::{AppHandle, Emitter, Manager, WebviewWindow, WebviewWindowBuilder, Wry};

pub const MAIN: &str = "main";
pub const QUICK_ASK: &str = "quick-ask";

fn window(app: &AppHandle, label: &str) -> Option<WebviewWindow> {
    let window = app.get_webview_window(label);
    if window.is_none() {
        log::error!("the {label} window is missing");
    }
    window
}

/// Makes the quick-ask box, hidden. On Linux it is a related view of the main
/// window's webview, so WebKitGTK runs both pages in one web process instead
/// of starting a second one (about 60 MB less); if the main webview cannot be
/// reached it gets a process of its own.
pub fn create_quick_ask(app: &AppHandle) {
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == QUICK_ASK).cloned() else {
        log::error!("tauri.conf.json describes no {QUICK_ASK} window");
        return;
    };
    #[cfg(target_os = "linux")]
    if let Some(main) = app.get_webview_window(MAIN) {
        let (handle, shared) = (app.clone(), config.clone());
        let related = main.with_webview(move |webview| {
            let builder = WebviewWindowBuilder::from_config(&handle, &shared);
            build_quick_ask(builder.map(|builder| builder.with_related_view(webview.inner())));
        });
        match related {
            Ok(()) => return,
            Err(err) => log::warn!("the quick-ask box gets its own web process: {err}"),
        }
    }
    build_quick_ask(WebviewWindowBuilder::from_config(app, &config));
}

fn build_quick_ask(builder: tauri::Result<WebviewWindowBuilder<'_, Wry, AppHandle>>) {
    if let Err(err) = builder.and_then(|builder| builder.build()) {
        log::error!("cannot make the quick-ask window: {err}");
    }
}

pub fn show_main(app: &AppHandle) {
    if let Some(main) = window(app, MAIN) {
        let _ = main.unminimize();
        let _ = main.show();
        let _ = main.set_focus();
    }
}

pub fn show_quick_ask(app: &AppHandle) {
    if let Some(quick) = window(app, QUICK_ASK) {
        let _ = quick.center();
        let _ = quick.show();
        let _ = quick.set_focus();
        let _ = app.emit_to(QUICK_ASK, "quick-ask-shown", ());
        log::info!("quick ask shown");
    }
}

/// The hotkey opens the box, or closes it when it is open.
pub fn toggle_quick_ask(app: &AppHandle) {
    let visible = app.get_webview_window(QUICK_ASK).and_then(|w| w.is_visible().ok()).unwrap_or(false);
    if visible {
        hide_quick_ask(app);
    } else {
        show_quick_ask(app);
    }
}

pub fn hide_quick_ask(app: &AppHandle) {
    if let Some(quick) = window(app, QUICK_ASK) {
        let _ = quick.hide();
    }
}
