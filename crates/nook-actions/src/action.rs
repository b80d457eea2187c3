//! The typed actions and the plan a request becomes: every action with the
//! exact effect it will have, in words a person checks before saying yes.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One thing Nook may do. Paths are absolute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Open a file with its default application.
    Open { path: PathBuf },
    /// Show a file in its folder.
    Reveal { path: PathBuf },
    CreateFolder { path: PathBuf },
    Move { from: PathBuf, to: PathBuf },
    Copy { from: PathBuf, to: PathBuf },
    /// A new name in the same folder.
    Rename { path: PathBuf, name: String },
    /// Move to the desktop's trash, from where it can be restored; Nook
    /// never deletes.
    Trash { path: PathBuf },
    /// Start an installed application: its desktop entry id, its name, and
    /// the program and arguments its entry gives.
    Launch { app: String, name: String, argv: Vec<String> },
    /// Open a terminal emulator (the desktop entry `app`, started as `argv`)
    /// in a folder.
    Terminal { folder: PathBuf, app: String, argv: Vec<String> },
    /// Run an allowed program with arguments, never through a shell.
    Run { program: PathBuf, args: Vec<String>, folder: PathBuf },
}

impl Action {
    /// The paths the action reads or changes, for the safety checks.
    pub fn paths(&self) -> Vec<&PathBuf> {
        match self {
            Action::Open { path } | Action::Reveal { path } | Action::CreateFolder { path } | Action::Trash { path } => vec![path],
            Action::Rename { path, .. } => vec![path],
            Action::Move { from, to } | Action::Copy { from, to } => vec![from, to],
            Action::Terminal { folder, .. } => vec![folder],
            Action::Run { folder, .. } => vec![folder],
            Action::Launch { .. } => vec![],
        }
    }

    /// Whether the action changes files (and so needs confirming and a
    /// journal entry), as opposed to showing them.
    pub fn changes_files(&self) -> bool {
        matches!(self, Action::CreateFolder { .. } | Action::Move { .. } | Action::Copy { .. } | Action::Rename { .. } | Action::Trash { .. } | Action::Run { .. })
    }

    /// The effect in words: "Move /a/b.png → /c/b.png".
    pub fn effect(&self) -> Effect {
        let show = |p: &PathBuf| p.display().to_string();
        let (verb, detail) = match self {
            Action::Open { path } => ("Open", show(path)),
            Action::Reveal { path } => ("Show in folder", show(path)),
            Action::CreateFolder { path } => ("Create folder", show(path)),
            Action::Move { from, to } => ("Move", format!("{} → {}", show(from), show(to))),
            Action::Copy { from, to } => ("Copy", format!("{} → {}", show(from), show(to))),
            Action::Rename { path, name } => {
                let renamed = path.with_file_name(name);
                ("Rename", format!("{} → {}", show(path), show(&renamed)))
            }
            Action::Trash { path } => ("Move to the trash", show(path)),
            Action::Launch { name, argv, .. } => ("Start", format!("{name}: {}", argv_words(argv))),
            Action::Terminal { folder, argv, .. } => ("Open a terminal in", format!("{} ({})", show(folder), argv_words(argv))),
            Action::Run { program, args, folder } => {
                let mut argv = vec![show(program)];
                argv.extend(args.iter().cloned());
                ("Run", format!("{} in {}", argv_words(&argv), show(folder)))
            }
        };
        Effect { verb: verb.to_string(), detail, conflict: None }
    }
}

/// An argument vector as a person reads it: the program bare, each
/// argument quoted, so spaces and symbols inside one show.
fn argv_words(argv: &[String]) -> String {
    argv.iter().enumerate().map(|(n, a)| if n == 0 { a.clone() } else { format!("{a:?}") }).collect::<Vec<_>>().join(" ")
}

/// One line of what a plan will do, as the confirmation shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effect {
    pub verb: String,
    pub detail: String,
    /// What stands in the way ("/c/b.png already exists"), if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
}

/// What a request became: the actions, for the person to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    /// Names this plan in the confirmation and the journal.
    pub id: String,
    /// The request as typed.
    pub request: String,
    pub actions: Vec<Action>,
}

impl ActionPlan {
    /// A digest of everything the plan would do: a token issued for it
    /// fits no other plan.
    pub fn digest(&self) -> [u8; 32] {
        let canonical = serde_json::to_vec(self).expect("plans serialize");
        *blake3::hash(&canonical).as_bytes()
    }

    /// How many actions change files.
    pub fn changes(&self) -> usize {
        self.actions.iter().filter(|a| a.changes_files()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effects_say_exactly_what_will_happen() {
        let rename = Action::Rename { path: "/home/ann/r/q3.pdf".into(), name: "2025-Q3-report.pdf".into() };
        assert_eq!(rename.effect().detail, "/home/ann/r/q3.pdf → /home/ann/r/2025-Q3-report.pdf");
        let run = Action::Run { program: "/usr/bin/convert".into(), args: vec!["a b.png".into(), "out.jpg".into()], folder: "/home/ann".into() };
        assert_eq!(run.effect().detail, "/usr/bin/convert \"a b.png\" \"out.jpg\" in /home/ann");
        assert!(!Action::Open { path: "/a".into() }.changes_files());
        assert!(Action::Trash { path: "/a".into() }.changes_files());
    }

    #[test]
    fn a_plan_digest_changes_with_any_part_of_it() {
        let plan = ActionPlan {
            id: "p1".into(),
            request: "move it".into(),
            actions: vec![Action::Move { from: "/h/a".into(), to: "/h/b/a".into() }],
        };
        let mut other = plan.clone();
        other.actions[0] = Action::Move { from: "/h/a".into(), to: "/h/c/a".into() };
        assert_ne!(plan.digest(), other.digest());
        assert_eq!(plan.digest(), plan.clone().digest());
        assert_eq!(plan.changes(), 1);
    }
}
