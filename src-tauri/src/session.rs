//! What the desktop session offers: a display server kind, a session bus, a
//! tray host. Nook starts whatever is missing; these facts decide which
//! features it turns on and what it tells the user.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Session {
    /// A Wayland session: global shortcuts cannot be grabbed.
    pub wayland: bool,
    /// An X11 display to grab keys on (also under XWayland).
    pub x11: bool,
    /// A D-Bus session bus.
    pub bus: bool,
    /// A StatusNotifier host that shows tray icons.
    pub tray_host: bool,
}

/// Whether a feature works here, and if not, what the user can do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    pub available: bool,
    pub note: Option<String>,
}

impl Availability {
    fn yes() -> Self {
        Availability { available: true, note: None }
    }

    fn no(note: impl Into<String>) -> Self {
        Availability { available: false, note: Some(note.into()) }
    }
}

impl Session {
    /// Reads the session from the environment and, when there is a bus,
    /// asks it for a tray host.
    pub fn detect() -> Session {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let wayland = var("WAYLAND_DISPLAY").is_some() || var("XDG_SESSION_TYPE").as_deref() == Some("wayland");
        let x11 = var("DISPLAY").is_some();
        // Only a bus the session names: asking GIO for one when none is
        // named would make it try to launch one.
        let bus = var("DBUS_SESSION_BUS_ADDRESS").is_some()
            || var("XDG_RUNTIME_DIR").is_some_and(|dir| std::path::Path::new(&dir).join("bus").exists());
        let tray_host = bus && has_tray_host();
        Session { wayland, x11, bus, tray_host }
    }

    pub fn global_shortcut(&self) -> Availability {
        if self.wayland {
            Availability::no(
                "This is a Wayland session, where apps cannot set global shortcuts. In your desktop's keyboard \
                 settings, bind a shortcut to the command `nook --quick-ask`.",
            )
        } else if !self.x11 {
            Availability::no("There is no X11 display to grab keys on; bind a shortcut to `nook --quick-ask` instead.")
        } else {
            Availability::yes()
        }
    }

    pub fn tray(&self) -> Availability {
        if !self.bus {
            Availability::no("There is no D-Bus session bus, so no tray icon; closing the main window quits Nook.")
        } else if !self.tray_host {
            Availability::no(
                "No tray host is running (install a StatusNotifier/AppIndicator extension to get one); \
                 closing the main window quits Nook.",
            )
        } else {
            Availability::yes()
        }
    }

    /// One log line per missing feature.
    pub fn log_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(note) = self.global_shortcut().note {
            lines.push(format!("global shortcut unavailable: {note}"));
        }
        if let Some(note) = self.tray().note {
            lines.push(format!("tray unavailable: {note}"));
        }
        lines
    }
}

/// Whether a StatusNotifierWatcher owns its name on the session bus.
fn has_tray_host() -> bool {
    use gio::prelude::*;

    let Ok(connection) = gio::bus_get_sync(gio::BusType::Session, gio::Cancellable::NONE) else {
        return false;
    };
    let reply = connection.call_sync(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "NameHasOwner",
        Some(&("org.kde.StatusNotifierWatcher",).to_variant()),
        Some(glib::VariantTy::new("(b)").expect("valid type")),
        gio::DBusCallFlags::NONE,
        1000,
        gio::Cancellable::NONE,
    );
    reply.ok().and_then(|v| v.get::<(bool,)>()).is_some_and(|(owned,)| owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const X11_DESKTOP: Session = Session { wayland: false, x11: true, bus: true, tray_host: true };

    #[test]
    fn an_x11_desktop_with_a_tray_has_everything() {
        assert!(X11_DESKTOP.global_shortcut().available);
        assert!(X11_DESKTOP.tray().available);
        assert!(X11_DESKTOP.log_lines().is_empty());
    }

    #[test]
    fn wayland_points_to_the_quick_ask_command() {
        let session = Session { wayland: true, ..X11_DESKTOP };
        let shortcut = session.global_shortcut();
        assert!(!shortcut.available);
        assert!(shortcut.note.unwrap().contains("nook --quick-ask"));
    }

    #[test]
    fn no_bus_means_no_tray_and_says_so() {
        let session = Session { bus: false, tray_host: false, ..X11_DESKTOP };
        assert!(!session.tray().available);
        let lines = session.log_lines();
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("tray unavailable: There is no D-Bus session bus"), "{lines:?}");
    }
}
