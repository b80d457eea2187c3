//! The tray icon and its menu. Linux tray icons get no clicks, so every
//! action is a menu item.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::backend::Backend;
use crate::windows;

const QUICK_ASK: &str = "quick-ask";
const OPEN: &str = "open";
const PAUSE: &str = "pause";
const QUIT: &str = "quit";

/// The pause item, kept to change its label.
struct PauseItem(MenuItem<Wry>);

pub fn install(app: &AppHandle, paused: bool) -> tauri::Result<()> {
    let pause = MenuItem::with_id(app, PAUSE, pause_label(paused), true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &MenuItem::with_id(app, QUICK_ASK, "Quick ask", true, None::<&str>)?,
            &MenuItem::with_id(app, OPEN, "Open Nook", true, None::<&str>)?,
            &pause,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, QUIT, "Quit Nook", true, None::<&str>)?,
        ],
    )?;
    let icon = tauri::image::Image::from_bytes(include_bytes!("../icons/tray.png"))?;
    TrayIconBuilder::with_id("nook")
        .icon(icon)
        .tooltip("Nook")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id().as_ref() {
            QUICK_ASK => windows::show_quick_ask(app),
            OPEN => windows::show_main(app),
            PAUSE => toggle_pause(app),
            QUIT => {
                log::info!("quitting from the tray");
                app.exit(0);
            }
            _ => {}
        })
        .build(app)?;
    app.manage(PauseItem(pause));
    Ok(())
}

fn pause_label(paused: bool) -> &'static str {
    if paused {
        "Resume indexing"
    } else {
        "Pause indexing"
    }
}

fn toggle_pause(app: &AppHandle) {
    let Some(library) = app.state::<Backend>().library_now() else {
        log::info!("indexing cannot be paused before the index is open");
        return;
    };
    // The label follows from the library's Paused/Resumed event.
    if let Err(err) = library.toggle_paused() {
        log::error!("{err}");
    }
}

/// Keeps the menu's label in step with the pause state.
pub fn show_paused(app: &AppHandle, paused: bool) {
    if let Some(item) = app.try_state::<PauseItem>() {
        let _ = item.0.set_text(pause_label(paused));
    }
}
