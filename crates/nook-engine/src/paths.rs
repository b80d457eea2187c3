//! Where Nook keeps its configuration, its index and its models.
//!
//! `NOOK_HOME`, when set, holds everything: `$NOOK_HOME/index`,
//! `$NOOK_HOME/conversations`, and models in `$NOOK_HOME/models` first, then
//! the per-user data folder. Otherwise Nook follows the XDG base directories:
//! `$XDG_CONFIG_HOME/nook` and `$XDG_DATA_HOME/nook/{index,conversations,models}`
//! (`~/.config` and `~/.local/share` when unset). The journal of actions is
//! in `actions/` beside the index; trashed files always go to the desktop's
//! trash in `$XDG_DATA_HOME/Trash`.

use std::path::{Path, PathBuf};

use crate::EngineError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NookPaths {
    pub config_dir: PathBuf,
    pub index_dir: PathBuf,
    /// The assistant's conversations, one file each.
    pub conversations_dir: PathBuf,
    /// Folders searched for models, first match wins.
    pub model_dirs: Vec<PathBuf>,
    /// The journal of actions applied, for Undo.
    pub actions_dir: PathBuf,
    /// The data home whose `Trash` takes trashed files (the desktop's
    /// trash: `$XDG_DATA_HOME`, even under `NOOK_HOME`).
    pub trash_home: PathBuf,
    /// Where installed applications' desktop entries are: `$XDG_DATA_HOME`
    /// first, then `$XDG_DATA_DIRS`.
    pub app_dirs: Vec<PathBuf>,
}

impl NookPaths {
    /// The paths for this process's environment.
    pub fn from_env() -> Result<Self, EngineError> {
        let var = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
        let home = var("HOME");
        let data_home = var("XDG_DATA_HOME")
            .or_else(|| home.as_ref().map(|h| h.join(".local/share")))
            .ok_or(EngineError::NoHome)?;
        let config_home = var("XDG_CONFIG_HOME")
            .or_else(|| home.as_ref().map(|h| h.join(".config")))
            .ok_or(EngineError::NoHome)?;
        let user_models = data_home.join("nook/models");
        let data_dirs = std::env::var("XDG_DATA_DIRS").ok();
        let app_dirs = nook_actions::apps::application_dirs(Some(&data_home), data_dirs.as_deref());
        Ok(match var("NOOK_HOME") {
            Some(nook_home) => NookPaths {
                trash_home: data_home,
                app_dirs,
                ..NookPaths::under(&nook_home, Some(user_models))
            },
            None => NookPaths {
                config_dir: config_home.join("nook"),
                index_dir: data_home.join("nook/index"),
                conversations_dir: data_home.join("nook/conversations"),
                model_dirs: vec![user_models],
                actions_dir: data_home.join("nook/actions"),
                trash_home: data_home.clone(),
                app_dirs,
            },
        })
    }

    /// Everything under `home`, with models also looked up in
    /// `fallback_models`; the trash is `home/Trash`, applications are
    /// looked up in `home/applications` only.
    pub fn under(home: &Path, fallback_models: Option<PathBuf>) -> Self {
        let mut model_dirs = vec![home.join("models")];
        model_dirs.extend(fallback_models);
        NookPaths {
            config_dir: home.to_path_buf(),
            index_dir: home.join("index"),
            conversations_dir: home.join("conversations"),
            model_dirs,
            actions_dir: home.join("actions"),
            trash_home: home.to_path_buf(),
            app_dirs: vec![home.join("applications")],
        }
    }
}

/// `~` and `~/…` as the user means them: under `HOME`.
pub fn expand_user(path: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_means_home() {
        let home = PathBuf::from(std::env::var_os("HOME").unwrap());
        assert_eq!(expand_user(Path::new("~/Notes")), home.join("Notes"));
        assert_eq!(expand_user(Path::new("~")), home);
        assert_eq!(expand_user(Path::new("/srv/~x")), PathBuf::from("/srv/~x"));
        assert_eq!(expand_user(Path::new("~bob/x")), PathBuf::from("~bob/x"));
    }
}
