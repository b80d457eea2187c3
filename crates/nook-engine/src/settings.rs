//! The user's choices that outlive a session: the watched folders, the quick
//! ask shortcut, whether indexing is paused. Kept as JSON in the config folder
//! and written atomically (a temporary file renamed over the old one), so a
//! crash mid-write leaves the old settings, never half of new ones.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{EngineError, Result};

const FILE: &str = "settings.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Watched folders, canonical, none inside another.
    pub folders: Vec<PathBuf>,
    /// The quick-ask shortcut, as the desktop app spells it; `None` for its
    /// default. The engine stores it and does not interpret it.
    pub shortcut: Option<String>,
    pub indexing_paused: bool,
    /// Folders removed whose entries may still be in the index: forgotten
    /// by the library's worker, again after a restart if need be.
    pub pending_removals: Vec<PathBuf>,
    /// The model chosen for each task ("chat", "plan"), by name; a task not
    /// listed uses the default chat model.
    pub models: BTreeMap<String, String>,
    /// The month (1–12) the user's fiscal year starts in, for "this fiscal
    /// year"; `None` for January.
    pub fiscal_year_start: Option<u32>,
    /// Whether requests may run programs ("run convert a.png a.jpg"); off
    /// until the user turns it on.
    pub run_enabled: bool,
    /// The programs requests may run (absolute paths), when running is on.
    pub run_programs: Vec<PathBuf>,
}

/// Settings as loaded, with a warning when the file was unreadable and set
/// aside.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    pub warning: Option<String>,
}

impl Settings {
    pub fn path(config_dir: &Path) -> PathBuf {
        config_dir.join(FILE)
    }

    /// The saved settings; defaults when there are none. A file that does
    /// not parse is kept aside as `settings.json.unreadable` (nothing is
    /// lost) and defaults are used, with a warning saying so.
    pub fn load(config_dir: &Path) -> Result<Loaded> {
        let path = Self::path(config_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded { settings: Settings::default(), warning: None })
            }
            Err(e) => return Err(EngineError::Settings { path, reason: e.to_string() }),
        };
        match serde_json::from_str(&text) {
            Ok(settings) => Ok(Loaded { settings, warning: None }),
            Err(err) => {
                let aside = path.with_extension("json.unreadable");
                std::fs::rename(&path, &aside)
                    .map_err(|e| EngineError::Settings { path: path.clone(), reason: e.to_string() })?;
                Ok(Loaded {
                    settings: Settings::default(),
                    warning: Some(format!(
                        "{} could not be read ({err}); it was kept as {} and Nook started with default settings",
                        path.display(),
                        aside.display()
                    )),
                })
            }
        }
    }

    /// The saved settings if they can be read, without touching the file:
    /// for a quick look before the library opens (and loads them properly).
    pub fn peek(config_dir: &Path) -> Option<Settings> {
        let text = std::fs::read_to_string(Self::path(config_dir)).ok()?;
        serde_json::from_str(&text).ok()
    }

    pub fn save(&self, config_dir: &Path) -> Result<()> {
        let path = Self::path(config_dir);
        let failed = |e: std::io::Error| EngineError::Settings { path: path.clone(), reason: e.to_string() };
        std::fs::create_dir_all(config_dir).map_err(failed)?;
        let temporary = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).expect("settings serialize");
        std::fs::write(&temporary, text).map_err(failed)?;
        std::fs::rename(&temporary, &path).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_load_back() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            folders: vec![PathBuf::from("/srv/docs")],
            shortcut: Some("Alt+Space".into()),
            indexing_paused: true,
            pending_removals: vec![PathBuf::from("/srv/old")],
            models: BTreeMap::from([("plan".to_string(), "qwen2.5-0.5b".to_string())]),
            fiscal_year_start: Some(4),
            run_enabled: true,
            run_programs: vec![PathBuf::from("/usr/bin/convert")],
        };
        settings.save(dir.path()).unwrap();
        let loaded = Settings::load(dir.path()).unwrap();
        assert_eq!(loaded.settings, settings);
        assert!(loaded.warning.is_none());
        assert_eq!(Settings::peek(dir.path()), Some(settings));
    }

    #[test]
    fn no_file_means_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap().settings, Settings::default());
    }

    #[test]
    fn an_unreadable_file_is_kept_aside_and_named_in_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{ not json").unwrap();
        assert_eq!(Settings::peek(dir.path()), None);
        assert!(dir.path().join(FILE).exists(), "peeking moves nothing");
        let loaded = Settings::load(dir.path()).unwrap();
        assert_eq!(loaded.settings, Settings::default());
        assert!(loaded.warning.unwrap().contains("settings.json.unreadable"));
        let kept = std::fs::read_to_string(dir.path().join("settings.json.unreadable")).unwrap();
        assert_eq!(kept, "{ not json");
    }
}
