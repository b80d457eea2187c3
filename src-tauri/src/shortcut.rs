//! The global quick-ask shortcut: registered where the session allows it,
//! changed from Settings; a shortcut that cannot be registered leaves the
//! old one in place and says why.

use std::str::FromStr;
use std::sync::Mutex;

use tauri::AppHandle;
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

use crate::session::Session;
use crate::windows;

pub const DEFAULT: &str = "Ctrl+Shift+Space";

#[derive(Debug, Clone)]
pub struct Current {
    pub accelerator: String,
    /// Why it is not registered, when it is not.
    pub problem: Option<String>,
}

pub struct Shortcuts {
    /// The plugin is set up: the session can grab keys.
    grabbing: bool,
    current: Mutex<Current>,
}

impl Shortcuts {
    /// Sets up global shortcuts if the session has them and registers the
    /// saved shortcut (or the default).
    pub fn install(app: &AppHandle, session: &Session, saved: Option<String>) -> Shortcuts {
        let accelerator = saved.unwrap_or_else(|| DEFAULT.to_string());
        let availability = session.global_shortcut();
        if !availability.available {
            return Shortcuts::inactive(accelerator, availability.note);
        }
        if let Err(err) = app.plugin(tauri_plugin_global_shortcut::Builder::new().build()) {
            log::warn!("global shortcut unavailable: {err}");
            return Shortcuts::inactive(accelerator, Some(format!("global shortcuts could not start: {err}")));
        }
        let problem = register(app, &accelerator).err();
        if let Some(problem) = &problem {
            log::warn!("{problem}");
        } else {
            log::info!("quick ask shortcut: {accelerator}");
        }
        Shortcuts { grabbing: true, current: Mutex::new(Current { accelerator, problem }) }
    }

    fn inactive(accelerator: String, problem: Option<String>) -> Shortcuts {
        Shortcuts { grabbing: false, current: Mutex::new(Current { accelerator, problem }) }
    }

    pub fn current(&self) -> Current {
        self.current.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the shortcut; on failure the old one stays registered.
    pub fn replace(&self, app: &AppHandle, accelerator: &str) -> Result<String, String> {
        parse(accelerator)?;
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if !self.grabbing {
            current.accelerator = accelerator.to_string();
            return Ok(current.accelerator.clone());
        }
        let _ = app.global_shortcut().unregister_all();
        match register(app, accelerator) {
            Ok(()) => {
                *current = Current { accelerator: accelerator.to_string(), problem: None };
                Ok(current.accelerator.clone())
            }
            Err(problem) => {
                let _ = register(app, &current.accelerator);
                Err(problem)
            }
        }
    }
}

fn parse(accelerator: &str) -> Result<Shortcut, String> {
    Shortcut::from_str(accelerator).map_err(|err| {
        format!("“{accelerator}” is not a shortcut Nook understands ({err}); write it like Ctrl+Shift+Space or Alt+K")
    })
}

fn register(app: &AppHandle, accelerator: &str) -> Result<(), String> {
    let shortcut = parse(accelerator)?;
    app.global_shortcut()
        .on_shortcut(shortcut, |app, _, event| {
            if event.state == ShortcutState::Pressed {
                windows::toggle_quick_ask(app);
            }
        })
        .map_err(|err| format!("{accelerator} could not be registered ({err}); another app may hold it, pick another"))
}
