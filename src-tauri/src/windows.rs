//! The two windows: the main window and the quick-ask box. Both are made at
//! start (from tauri.conf.json) and shown or hidden, never rebuilt, so the
//! quick-ask box appears at once.

use tauri::{AppHandle, Emitter, Manager, WebviewWindow};

pub const MAIN: &str = "main";
pub const QUICK_ASK: &str = "quick-ask";

fn window(app: &AppHandle, label: &str) -> Option<WebviewWindow> {
    let window = app.get_webview_window(label);
    if window.is_none() {
        log::error!("the {label} window is missing");
    }
    window
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
