//! From a plan shown to the person to the plan applied, and back.
//!
//! [`Executor::propose`] checks every path of a plan as written (a path
//! outside the granted folders or in a system location refuses the whole
//! plan), works out each effect with what stands in its way, keeps the plan
//! and issues its single-use token. [`Executor::execute`] runs a kept plan
//! only with that token, resolving each path again; each applied action is
//! written to the journal, synced, before the next one runs.
//! [`Executor::undo`] takes back an action or a whole plan, newest first.
//!
//! The plan a client confirms is the plan kept here: a client hands back
//! an id and a token, never actions.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::apply::{ApplyError, Applier};
use crate::apps::{self, App};
use crate::journal::{Entry, Journal, Recorded, Undo};
use crate::safety::{Grants, SafetyError};
use crate::token::{Token, TokenError, Tokens};
use crate::trash::Trash;
use crate::{desktop, Action, ActionPlan, Effect};

/// Plans that change more files than this ask to be confirmed twice.
pub const CONFIRM_TWICE_ABOVE: usize = 10;
/// Plans kept waiting for an answer; the oldest is dropped beyond this.
const WAITING_CAP: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Unsafe(#[from] SafetyError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("this plan changes {changes} files: confirm it a second time to go ahead")]
    ConfirmTwice { changes: usize },
    #[error("the plan has nothing to do")]
    Empty,
    #[error("nothing in the activity has the id {0}; `nook activity` lists what can be undone")]
    UnknownEntry(String),
    #[error("“{0}” was undone already")]
    AlreadyUndone(String),
    #[error("{0}")]
    CannotUndo(String),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error("{0}")]
    NotStarted(String),
    #[error("running programs is off; turn it on in Settings and allow the program first")]
    RunOff,
    #[error("{0} is not an allowed program; add it to the allowed programs in Settings first")]
    NotAllowed(String),
    #[error("cannot write the activity journal {path}: {reason}; nothing more was done")]
    Journal { path: PathBuf, reason: String },
}

/// A plan waiting for the person's answer, as the confirmation shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub plan: ActionPlan,
    /// One per action, in order.
    pub effects: Vec<Effect>,
    pub token: Token,
    /// How many actions change files.
    pub changes: usize,
    /// How many effects have something in their way.
    pub conflicts: usize,
    /// Above [`CONFIRM_TWICE_ABOVE`] changes: a second "yes" is needed.
    pub confirm_twice: bool,
}

/// What may run, beyond files: programs, and where to find applications.
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    /// Allowed programs (absolute paths); empty while running is off.
    pub programs: Vec<PathBuf>,
    /// Whether running programs is on at all.
    pub run: bool,
    /// The `applications` folders, most important first.
    pub app_dirs: Vec<PathBuf>,
}

impl Allowed {
    /// Running is on and `program` is one of the allowed.
    fn check_program(&self, program: &Path) -> Result<(), ActionError> {
        if !self.run {
            return Err(ActionError::RunOff);
        }
        if !self.programs.iter().any(|p| p == program) {
            return Err(ActionError::NotAllowed(program.display().to_string()));
        }
        Ok(())
    }
}

struct Waiting {
    plan: ActionPlan,
    grants: Grants,
    allowed: Allowed,
    shown: u64,
}

/// What running a plan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub plan_id: String,
    pub done: Vec<Done>,
    pub failed: Vec<Failed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// The journal entry, for Undo.
    pub entry: String,
    pub effect: Effect,
    pub undoable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failed {
    pub effect: Effect,
    pub reason: String,
}

pub struct Executor {
    tokens: Tokens,
    waiting: Mutex<HashMap<String, Waiting>>,
    /// Serializes runs and undos: one change to files at a time.
    running: Mutex<()>,
    journal: Journal,
    trash: Trash,
    counter: std::sync::atomic::AtomicU64,
}

impl Executor {
    /// Actions journaled in `journal`, trashed files in the home trash under
    /// `data_home` (`$XDG_DATA_HOME`).
    pub fn new(journal: &Path, data_home: &Path) -> std::io::Result<Executor> {
        Ok(Executor {
            tokens: Tokens::new()?,
            waiting: Mutex::new(HashMap::new()),
            running: Mutex::new(()),
            journal: Journal::at(journal),
            trash: Trash::in_data_home(data_home),
            counter: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// A fresh plan id.
    pub fn new_plan_id(&self) -> String {
        let n = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("p{:x}{n:x}", chrono::Utc::now().timestamp_millis())
    }

    /// Checks `plan` and keeps it for the person's answer: every path as
    /// written must be allowed (or the whole plan is refused), each effect
    /// says what is in its way.
    pub fn propose(&self, plan: ActionPlan, grants: Grants, allowed: Allowed) -> Result<Proposal, ActionError> {
        if plan.actions.is_empty() {
            return Err(ActionError::Empty);
        }
        for action in &plan.actions {
            check_action(action, &grants, &allowed)?;
        }
        let effects = effects_with_conflicts(&plan.actions);
        let token = self.tokens.issue(&plan);
        let changes = plan.changes();
        let conflicts = effects.iter().filter(|e| e.conflict.is_some()).count();
        let proposal = Proposal { plan: plan.clone(), effects, token, changes, conflicts, confirm_twice: changes > CONFIRM_TWICE_ABOVE };
        let mut waiting = self.lock_waiting();
        let shown = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        waiting.insert(plan.id.clone(), Waiting { plan, grants, allowed, shown });
        while waiting.len() > WAITING_CAP {
            let oldest = waiting.iter().min_by_key(|(_, w)| w.shown).map(|(id, _)| id.clone()).expect("not empty");
            waiting.remove(&oldest);
            self.tokens.cancel(&oldest);
        }
        Ok(proposal)
    }

    /// Forgets a plan the person said no to; its token no longer runs it.
    pub fn cancel(&self, plan_id: &str) -> bool {
        self.tokens.cancel(plan_id);
        self.lock_waiting().remove(plan_id).is_some()
    }

    /// Runs the kept plan `plan_id` with its token. Each action runs with
    /// its paths resolved again; one that fails is reported and the others
    /// still run. `confirmed_twice` is needed above the batch threshold.
    pub fn execute(&self, plan_id: &str, token: &Token, confirmed_twice: bool) -> Result<Outcome, ActionError> {
        let _one_at_a_time = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let waiting = {
            let mut all = self.lock_waiting();
            let Some(waiting) = all.get(plan_id) else {
                self.tokens.cancel(plan_id);
                return Err(TokenError::NotIssued(plan_id.to_string()).into());
            };
            let changes = waiting.plan.changes();
            if changes > CONFIRM_TWICE_ABOVE && !confirmed_twice {
                return Err(ActionError::ConfirmTwice { changes });
            }
            all.remove(plan_id).expect("present")
        };
        self.tokens.redeem(&waiting.plan, token)?;
        let applier = self.applier(&waiting.grants);
        let mut outcome = Outcome { plan_id: plan_id.to_string(), done: Vec::new(), failed: Vec::new() };
        for (n, action) in waiting.plan.actions.iter().enumerate() {
            let entry = |undo: &Undo| Entry {
                id: format!("{plan_id}.{}", n + 1),
                plan_id: plan_id.to_string(),
                request: waiting.plan.request.clone(),
                action: action.clone(),
                undo: undo.clone(),
                applied_ms: chrono::Utc::now().timestamp_millis(),
            };
            // Written ahead: the journal knows the action and its undo
            // before anything changes.
            let begun = std::cell::Cell::new(false);
            let begin = |undo: &Undo| {
                self.journal.begun(&entry(undo))?;
                begun.set(true);
                Ok(())
            };
            match self.run_one(action, &applier, &waiting, &begin) {
                Ok(undo) => {
                    let id = entry(&undo).id;
                    self.journal.done(&id).map_err(|e| self.journal_error(e))?;
                    outcome.done.push(Done { entry: id, effect: action.effect(), undoable: !matches!(undo, Undo::Impossible { .. }) });
                }
                // Without the journal nothing more runs: it could not be undone.
                Err(ActionError::Apply(ApplyError::Journal(source))) => return Err(self.journal_error(source)),
                Err(err) => {
                    // Begun and failed: the journal says nothing happened.
                    if begun.get() {
                        self.journal.failed(&format!("{plan_id}.{}", n + 1)).map_err(|e| self.journal_error(e))?;
                    }
                    outcome.failed.push(Failed { effect: action.effect(), reason: err.to_string() });
                }
            }
        }
        Ok(outcome)
    }

    /// Runs one action; `begin` journals it (with its undo) right before it
    /// changes or starts anything.
    fn run_one(&self, action: &Action, applier: &Applier, waiting: &Waiting, begin: &dyn Fn(&Undo) -> std::io::Result<()>) -> Result<Undo, ActionError> {
        let started = |what: &str| -> Result<Undo, ActionError> {
            let undo = Undo::Impossible { why: what.to_string() };
            begin(&undo).map_err(ApplyError::Journal)?;
            Ok(undo)
        };
        let desktop_error = |e: desktop::DesktopError| ActionError::NotStarted(e.to_string());
        match action {
            Action::Open { path } => {
                let path = waiting.grants.resolve(path, true)?;
                let undo = started("an opened file stays open; close it in its application")?;
                desktop::open(&path).map_err(desktop_error)?;
                Ok(undo)
            }
            Action::Reveal { path } => {
                let path = waiting.grants.resolve(path, true)?;
                let undo = started("the file manager stays open; close it there")?;
                desktop::reveal(&path).map_err(desktop_error)?;
                Ok(undo)
            }
            Action::Launch { app, name, argv } => {
                let found = installed_as_shown(&waiting.allowed.app_dirs, app, name, argv)?;
                let undo = started("a started program keeps running; close it yourself")?;
                desktop::launch(&found).map_err(desktop_error)?;
                Ok(undo)
            }
            Action::Terminal { folder, app, argv } => {
                let folder = waiting.grants.resolve(folder, true)?;
                let found = installed_as_shown(&waiting.allowed.app_dirs, app, app, argv)?;
                let undo = started("a terminal keeps running; close it yourself")?;
                desktop::terminal(&found, &folder).map_err(desktop_error)?;
                Ok(undo)
            }
            Action::Run { program, args, folder } => {
                waiting.allowed.check_program(program)?;
                let folder = waiting.grants.resolve(folder, true)?;
                let undo = started("Nook cannot know what a program did; undo its changes yourself")?;
                desktop::run(program, args, &folder).map_err(desktop_error)?;
                Ok(undo)
            }
            change => Ok(applier.apply_with(change, |undo| begin(undo))?),
        }
    }

    /// Takes back the journal entry `id`, or every entry of the plan `id`
    /// newest first. Returns the entries undone.
    pub fn undo(&self, id: &str, grants: &Grants) -> Result<Vec<Recorded>, ActionError> {
        let _one_at_a_time = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let all = self.activity()?;
        let mut chosen: Vec<&Recorded> = all.iter().filter(|r| r.entry.id == id || r.entry.plan_id == id).collect();
        if chosen.is_empty() {
            return Err(ActionError::UnknownEntry(id.to_string()));
        }
        let single = chosen.len() == 1 && chosen[0].entry.id == id;
        if single {
            let only = chosen[0];
            if only.undone {
                return Err(ActionError::AlreadyUndone(only.entry.action.effect().detail));
            }
            if let Undo::Impossible { why } = &only.entry.undo {
                return Err(ActionError::CannotUndo(format!("“{}” cannot be undone: {why}", only.entry.action.effect().detail)));
            }
        }
        chosen.retain(|r| !r.undone && !matches!(r.entry.undo, Undo::Impossible { .. }));
        if chosen.is_empty() {
            return Err(ActionError::CannotUndo("nothing of this plan is left to undo".into()));
        }
        let applier = self.applier(grants);
        let mut undone = Vec::new();
        for recorded in chosen.into_iter().rev() {
            if recorded.unfinished {
                applier.undo_unfinished(&recorded.entry.undo)?;
            } else {
                applier.undo(&recorded.entry.undo)?;
            }
            self.journal
                .undone(&recorded.entry.id, chrono::Utc::now().timestamp_millis())
                .map_err(|e| self.journal_error(e))?;
            undone.push(Recorded { entry: recorded.entry.clone(), undone: true, unfinished: recorded.unfinished });
        }
        Ok(undone)
    }

    /// Every action applied, oldest first.
    pub fn activity(&self) -> Result<Vec<Recorded>, ActionError> {
        self.journal.entries().map_err(|e| self.journal_error(e))
    }

    fn journal_error(&self, e: std::io::Error) -> ActionError {
        ActionError::Journal { path: self.journal.path().to_path_buf(), reason: e.to_string() }
    }

    /// Applies and undoes inside `grants`, dating trashed files now.
    fn applier<'a>(&'a self, grants: &'a Grants) -> Applier<'a> {
        Applier { grants, trash: &self.trash, now: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string() }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, HashMap<String, Waiting>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The application `id`, provided it still starts the program that was
/// shown: an entry changed after the confirmation is refused.
fn installed_as_shown(dirs: &[PathBuf], id: &str, name: &str, argv: &[String]) -> Result<App, ActionError> {
    let found = apps::installed(dirs)
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| ActionError::NotStarted(format!("{name} ({id}) is no longer installed; nothing was started")))?;
    if found.argv().ok().as_deref() != Some(argv) {
        return Err(ActionError::NotStarted(format!("{name} ({id}) has changed since it was shown; nothing was started; ask again")));
    }
    Ok(found)
}

/// The plan-time check of one action: its paths as written, and resolved
/// where their folder exists already (a link that leads out is refused
/// before the person is asked, and again when the plan runs).
fn check_action(action: &Action, grants: &Grants, allowed: &Allowed) -> Result<(), ActionError> {
    let itself = matches!(action, Action::Open { .. } | Action::Reveal { .. } | Action::Terminal { .. } | Action::Run { .. });
    let mut paths: Vec<PathBuf> = action.paths().into_iter().cloned().collect();
    if let Action::Rename { path, name } = action {
        paths.push(path.with_file_name(name));
    }
    for path in &paths {
        if path.parent().is_some_and(Path::is_dir) {
            grants.resolve(path, itself)?;
        }
    }
    match action {
        Action::Open { path } | Action::Reveal { path } => grants.check_written(path, true)?,
        Action::Terminal { folder, .. } => grants.check_written(folder, true)?,
        Action::Run { program, folder, .. } => {
            allowed.check_program(program)?;
            grants.check_written(folder, true)?
        }
        Action::Rename { path, name } => {
            grants.check_written(path, false)?;
            if name.is_empty() || name.contains('/') || name == ".." {
                return Err(SafetyError::Climbs(path.with_file_name(name)).into());
            }
            grants.check_written(&path.with_file_name(name), false)?
        }
        other => {
            for path in other.paths() {
                grants.check_written(path, false)?;
            }
        }
    }
    Ok(())
}

/// Each action's effect, with what stands in its way: a target that exists
/// (or that an earlier action of the plan takes), a source that is gone.
pub fn effects_with_conflicts(actions: &[Action]) -> Vec<Effect> {
    let mut taken: HashSet<PathBuf> = HashSet::new();
    let mut created: HashSet<PathBuf> = HashSet::new();
    actions
        .iter()
        .map(|action| {
            let mut effect = action.effect();
            let target = match action {
                Action::Move { to, .. } | Action::Copy { to, .. } => Some(to.clone()),
                Action::Rename { path, name } => Some(path.with_file_name(name)),
                Action::CreateFolder { path } => Some(path.clone()),
                _ => None,
            };
            let source = match action {
                Action::Move { from, .. } | Action::Copy { from, .. } => Some(from),
                Action::Rename { path, .. } | Action::Trash { path } | Action::Open { path } | Action::Reveal { path } => Some(path),
                _ => None,
            };
            if let Some(source) = source {
                if source.symlink_metadata().is_err() && !created.contains(source) {
                    effect.conflict = Some(format!("{} is not there", source.display()));
                }
            }
            if let Some(target) = target {
                if target.symlink_metadata().is_ok() {
                    effect.conflict = Some(format!("{} already exists; it stays as it is and this is skipped", target.display()));
                } else if !taken.insert(target.clone()) {
                    effect.conflict = Some(format!("another file in this plan goes to {} first; this one is skipped", target.display()));
                }
                if let Some(parent) = target.parent() {
                    if !parent.is_dir() && !created.contains(parent) && effect.conflict.is_none() {
                        effect.conflict = Some(format!("the folder {} does not exist", parent.display()));
                    }
                }
                if matches!(action, Action::CreateFolder { .. }) {
                    created.insert(target);
                }
            }
            effect
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    struct Setup {
        _dir: tempfile::TempDir,
        home: PathBuf,
        executor: Executor,
        grants: Grants,
    }

    fn setup() -> Setup {
        let dir = tempfile::Builder::new().prefix("nook-exec").tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let home = root.join("home");
        fs::create_dir_all(home.join("Pictures")).unwrap();
        for n in 1..=12 {
            fs::write(home.join(format!("shot-{n}.png")), format!("png {n}")).unwrap();
        }
        let executor = Executor::new(&root.join("data/nook/journal.jsonl"), &root.join("data")).unwrap();
        Setup { grants: Grants::new([home.clone()]), home, executor, _dir: dir }
    }

    fn plan(s: &Setup, actions: Vec<Action>) -> ActionPlan {
        ActionPlan { id: s.executor.new_plan_id(), request: "tidy the screenshots".into(), actions }
    }

    #[test]
    fn a_confirmed_plan_runs_once_is_journaled_and_undone_as_a_whole() {
        let s = setup();
        let moves = (1..=3).map(|n| Action::Move { from: s.home.join(format!("shot-{n}.png")), to: s.home.join(format!("Pictures/shot-{n}.png")) }).collect();
        let proposal = s.executor.propose(plan(&s, moves), s.grants.clone(), Allowed::default()).unwrap();
        assert_eq!((proposal.changes, proposal.conflicts, proposal.confirm_twice), (3, 0, false));
        assert!(s.home.join("shot-1.png").exists(), "nothing happens before the answer");

        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert_eq!((outcome.done.len(), outcome.failed.len()), (3, 0));
        assert!(s.home.join("Pictures/shot-2.png").exists());
        let replay = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap_err();
        assert!(matches!(replay, ActionError::Token(TokenError::NotIssued(_))), "{replay}");

        let undone = s.executor.undo(&proposal.plan.id, &s.grants).unwrap();
        assert_eq!(undone.len(), 3);
        assert_eq!(undone[0].entry.id, format!("{}.3", proposal.plan.id), "newest first");
        assert!(s.home.join("shot-2.png").exists() && !s.home.join("Pictures/shot-2.png").exists());
        assert!(s.executor.activity().unwrap().iter().all(|r| r.undone));
        assert!(matches!(s.executor.undo(&outcome.done[0].entry, &s.grants), Err(ActionError::AlreadyUndone(_))));
    }

    #[test]
    fn a_cancelled_plan_changes_nothing_and_cannot_run() {
        let s = setup();
        let proposal = s.executor.propose(plan(&s, vec![Action::Trash { path: s.home.join("shot-1.png") }]), s.grants.clone(), Allowed::default()).unwrap();
        assert!(s.executor.cancel(&proposal.plan.id));
        assert!(s.executor.execute(&proposal.plan.id, &proposal.token, false).is_err());
        assert!(s.home.join("shot-1.png").exists());
        assert!(s.executor.activity().unwrap().is_empty());
    }

    #[test]
    fn big_batches_need_a_second_yes_and_keep_their_token_until_then() {
        let s = setup();
        let trash = (1..=12).map(|n| Action::Trash { path: s.home.join(format!("shot-{n}.png")) }).collect();
        let proposal = s.executor.propose(plan(&s, trash), s.grants.clone(), Allowed::default()).unwrap();
        assert!(proposal.confirm_twice);
        let err = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap_err();
        assert!(matches!(err, ActionError::ConfirmTwice { changes: 12 }), "{err}");
        assert!(s.home.join("shot-1.png").exists());
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, true).unwrap();
        assert_eq!(outcome.done.len(), 12);
        assert!(!s.home.join("shot-12.png").exists());
        s.executor.undo(&proposal.plan.id, &s.grants).unwrap();
        assert_eq!(fs::read_to_string(s.home.join("shot-12.png")).unwrap(), "png 12");
    }

    #[test]
    fn conflicts_are_shown_and_skipped_while_the_rest_runs() {
        let s = setup();
        fs::write(s.home.join("Pictures/shot-1.png"), "older").unwrap();
        let actions = vec![
            Action::Move { from: s.home.join("shot-1.png"), to: s.home.join("Pictures/shot-1.png") },
            Action::Move { from: s.home.join("shot-2.png"), to: s.home.join("Pictures/same.png") },
            Action::Move { from: s.home.join("shot-3.png"), to: s.home.join("Pictures/same.png") },
            Action::CreateFolder { path: s.home.join("Pictures/2025") },
            Action::Move { from: s.home.join("shot-4.png"), to: s.home.join("Pictures/2025/shot-4.png") },
            Action::Move { from: s.home.join("gone.png"), to: s.home.join("Pictures/gone.png") },
        ];
        let proposal = s.executor.propose(plan(&s, actions), s.grants.clone(), Allowed::default()).unwrap();
        let conflicts: Vec<bool> = proposal.effects.iter().map(|e| e.conflict.is_some()).collect();
        assert_eq!(conflicts, [true, false, true, false, false, true], "{:#?}", proposal.effects);
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert_eq!((outcome.done.len(), outcome.failed.len()), (3, 3), "{outcome:#?}");
        assert_eq!(fs::read_to_string(s.home.join("Pictures/shot-1.png")).unwrap(), "older");
        assert!(s.home.join("Pictures/2025/shot-4.png").exists());
    }

    #[test]
    fn paths_outside_the_grants_refuse_the_whole_plan_before_anything_runs() {
        let s = setup();
        let actions = vec![
            Action::Move { from: s.home.join("shot-1.png"), to: s.home.join("Pictures/shot-1.png") },
            Action::Move { from: s.home.join("shot-2.png"), to: PathBuf::from("/etc/cron.d/shot") },
        ];
        let err = s.executor.propose(plan(&s, actions), s.grants.clone(), Allowed::default()).unwrap_err();
        assert!(matches!(err, ActionError::Unsafe(SafetyError::System(_))), "{err}");
        let rename = vec![Action::Rename { path: s.home.join("shot-1.png"), name: "../../x.png".into() }];
        assert!(s.executor.propose(plan(&s, rename), s.grants.clone(), Allowed::default()).is_err());
        let run = vec![Action::Run { program: "/bin/rm".into(), args: vec!["-rf".into()], folder: s.home.clone() }];
        assert!(matches!(s.executor.propose(plan(&s, run.clone()), s.grants.clone(), Allowed::default()), Err(ActionError::RunOff)));
        let on = Allowed { run: true, programs: vec!["/usr/bin/convert".into()], ..Allowed::default() };
        assert!(matches!(s.executor.propose(plan(&s, run), s.grants.clone(), on), Err(ActionError::NotAllowed(_))));
        assert!(s.home.join("shot-1.png").exists());
    }

    #[test]
    fn an_application_starts_as_shown_and_not_once_its_entry_changed() {
        let s = setup();
        let apps = s.home.parent().unwrap().join("share/applications");
        fs::create_dir_all(&apps).unwrap();
        let marker = s.home.join("started.txt");
        let entry = |text: &str| format!("[Desktop Entry]\nType=Application\nName=Marker\nExec=/bin/sh -c \"echo {text} > {}\"\n", marker.display());
        fs::write(apps.join("marker.desktop"), entry("first")).unwrap();
        let allowed = Allowed { app_dirs: vec![apps.clone()], ..Allowed::default() };
        let app = apps::installed(&allowed.app_dirs).remove(0);
        let launch = Action::Launch { app: app.id.clone(), name: app.name.clone(), argv: app.argv().unwrap() };
        assert!(launch.effect().detail.starts_with("Marker: /bin/sh \"-c\""), "{}", launch.effect().detail);

        let proposal = s.executor.propose(plan(&s, vec![launch.clone()]), s.grants.clone(), allowed.clone()).unwrap();
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert_eq!(outcome.done.len(), 1, "{outcome:?}");
        for _ in 0..100 {
            if fs::read_to_string(&marker).is_ok_and(|t| !t.is_empty()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(fs::read_to_string(&marker).unwrap().trim(), "first");

        let proposal = s.executor.propose(plan(&s, vec![launch]), s.grants.clone(), allowed.clone()).unwrap();
        fs::write(apps.join("marker.desktop"), entry("swapped")).unwrap();
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert!(outcome.failed[0].reason.contains("has changed"), "{outcome:?}");

        // Journaled, then failing to start: the activity does not list it.
        fs::write(apps.join("missing.desktop"), "[Desktop Entry]\nType=Application\nName=Missing\nExec=/nonexistent/program\n").unwrap();
        let missing = apps::installed(&allowed.app_dirs).into_iter().find(|a| a.id == "missing").unwrap();
        let start = Action::Launch { app: missing.id.clone(), name: missing.name.clone(), argv: missing.argv().unwrap() };
        let proposal = s.executor.propose(plan(&s, vec![start]), s.grants.clone(), allowed).unwrap();
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert!(outcome.failed[0].reason.contains("not installed"), "{outcome:?}");
        let listed: Vec<String> = s.executor.activity().unwrap().iter().map(|r| r.entry.action.effect().detail).collect();
        assert_eq!(listed.len(), 1, "only the start that happened: {listed:?}");
    }

    #[test]
    fn a_link_out_of_the_granted_folders_is_refused_when_planned_and_a_swap_after_is_refused_when_run() {
        let s = setup();
        let outside = s.home.parent().unwrap().join("outside");
        fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, s.home.join("Linked")).unwrap();
        let into_link = vec![Action::Move { from: s.home.join("shot-1.png"), to: s.home.join("Linked/shot-1.png") }];
        let err = s.executor.propose(plan(&s, into_link), s.grants.clone(), Allowed::default()).unwrap_err();
        assert!(matches!(err, ActionError::Unsafe(SafetyError::Moved { .. })), "{err}");

        fs::create_dir_all(s.home.join("Archive")).unwrap();
        let into_archive = vec![Action::Move { from: s.home.join("shot-1.png"), to: s.home.join("Archive/shot-1.png") }];
        let proposal = s.executor.propose(plan(&s, into_archive), s.grants.clone(), Allowed::default()).unwrap();
        fs::remove_dir(s.home.join("Archive")).unwrap();
        std::os::unix::fs::symlink(&outside, s.home.join("Archive")).unwrap();
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert!(outcome.done.is_empty() && outcome.failed[0].reason.contains("has changed"), "{outcome:?}");
        assert!(s.home.join("shot-1.png").exists());
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 0);
    }

    #[test]
    fn what_cannot_be_undone_is_journaled_as_such() {
        let s = setup();
        let allowed = Allowed { run: true, programs: vec!["/bin/touch".into()], ..Allowed::default() };
        let run = vec![Action::Run { program: "/bin/touch".into(), args: vec!["ran.txt".into()], folder: s.home.clone() }];
        let proposal = s.executor.propose(plan(&s, run), s.grants.clone(), allowed).unwrap();
        let outcome = s.executor.execute(&proposal.plan.id, &proposal.token, false).unwrap();
        assert!(!outcome.done[0].undoable);
        let err = s.executor.undo(&outcome.done[0].entry, &s.grants).unwrap_err();
        assert!(err.to_string().contains("cannot be undone"), "{err}");
    }
}
