//! Requests to act ("move the screenshots from last week into
//! Pictures/Screenshots") become plans of typed actions for the person to
//! confirm (`nook-actions`).
//!
//! The rules read the request (`nook_actions::request`); when they find no
//! verb, the planning model chooses one from the schema's verbs, scored by
//! likelihood, and the rules read the rest for it. Then the words become
//! paths: files through a search plan (`find`), or the selection in view
//! for "these"; folders inside the granted ones (the watched folders);
//! applications among the installed desktop entries, by name or by meaning
//! (embeddings of their names, generic names, categories and keywords).
//!
//! Nothing runs here: [`Engine::propose`] hands back a [`Proposed`] plan
//! with its token, and only [`Engine::execute`] with that token runs it.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use nook_actions::apps::{self, App};
use nook_actions::executor::{ActionError, Allowed, Executor, Outcome, Proposal};
use nook_actions::journal::Recorded;
use nook_actions::request::{self, Intent, Reading, Unread, Verb, VERBS, VERB_MEANINGS};
use nook_actions::{Action, ActionPlan, Grants, Token};
use nook_plan::Plan;
use serde::{Deserialize, Serialize};
use tokio::task::block_in_place;

use crate::guess::{choose_as, lock};
use crate::settings::Settings;
use crate::{expand_user, models, Engine, EngineError, Result};

/// Files one request may act on; more must be narrowed down first.
const BATCH_CAP: usize = 500;
/// How similar (cosine) an application's description must be to the words
/// naming it, for a match by meaning.
const APP_MIN_SIMILARITY: f32 = 0.35;
/// How deep below a granted folder a folder named in a request is looked
/// for ("Screenshots" in `~/Pictures/2025/Screenshots`).
const PLACE_DEPTH: usize = 4;

/// A request to act, with what is in view.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActRequest {
    pub request: String,
    /// Files selected in the app: "these", "them", "the selected files".
    #[serde(default)]
    pub selection: Vec<PathBuf>,
    /// Read with the rules alone, no planning model (to compare the two).
    #[serde(default)]
    pub rules_only: bool,
    /// The file the person meant by a phrase of the request, chosen among
    /// the others a proposal offered ([`Proposed::instead`]).
    #[serde(default)]
    pub meant: Vec<Instead>,
}

/// Another file a phrase may have meant: proposing the request again with
/// it in [`ActRequest::meant`] gives the plan for that file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instead {
    /// The words of the request that named the file ("the case study").
    pub phrase: String,
    pub path: PathBuf,
}

/// Who read the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadBy {
    Rules,
    /// The planning model chose the verb.
    Model,
}

/// A plan for the person to confirm.
#[derive(Debug, Clone, Serialize)]
pub struct Proposed {
    #[serde(flatten)]
    pub proposal: Proposal,
    pub intent: Intent,
    pub read_by: ReadBy,
    /// What the reading and the resolving noticed on the way.
    pub notes: Vec<String>,
    /// The search plan that found the files, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<Plan>,
    /// Where the words fit other files as well as the one in the plan
    /// (two files named alike for "open the case study"): those files,
    /// for the person to choose one instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instead: Vec<Instead>,
}

/// One applied action, as the Activity view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityItem {
    /// The entry's id, for undoing this action alone.
    pub id: String,
    /// The plan's id, for undoing the whole request.
    pub plan_id: String,
    pub request: String,
    pub effect: nook_actions::Effect,
    pub applied_ms: i64,
    pub undone: bool,
    /// Begun and never finished (Nook was stopped while it ran): it may
    /// not have happened; Undo checks.
    pub unfinished: bool,
    /// Why it cannot be undone, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cannot_undo: Option<String>,
}

impl From<Recorded> for ActivityItem {
    fn from(recorded: Recorded) -> ActivityItem {
        let entry = recorded.entry;
        ActivityItem {
            effect: entry.action.effect(),
            cannot_undo: match entry.undo {
                nook_actions::journal::Undo::Impossible { why } => Some(why),
                _ => None,
            },
            id: entry.id,
            plan_id: entry.plan_id,
            request: entry.request,
            applied_ms: entry.applied_ms,
            undone: recorded.undone,
            unfinished: recorded.unfinished,
        }
    }
}

/// The files a request names.
struct Files {
    paths: Vec<PathBuf>,
    /// Named by path, by name or by filters only, not found by content.
    by_name: bool,
}

/// What reading a phrase for files draws on, and the search it leaves.
struct Naming<'a> {
    request: &'a ActRequest,
    grants: &'a [PathBuf],
    /// The plan of the last phrase looked for by a search, shown with the proposal.
    search: Option<Plan>,
    /// What the person should know about how the request was read.
    notes: Vec<String>,
    /// Other files one-file phrases fit as well.
    instead: Vec<Instead>,
}

/// At most this many other files are offered for a phrase.
const INSTEAD_CAP: usize = 3;

impl Naming<'_> {
    /// Offers `others` as files `phrase` may have meant instead.
    fn offer(&mut self, phrase: &str, others: impl Iterator<Item = PathBuf>) {
        let grants = self.grants;
        let others = others.filter(|p| grants.iter().any(|g| p.starts_with(g))).take(INSTEAD_CAP);
        self.instead.extend(others.map(|path| Instead { phrase: phrase.trim().to_string(), path }));
    }
}

/// Installed applications with the embeddings of their descriptions.
#[derive(Default)]
pub(crate) struct AppIndex {
    apps: Vec<App>,
    vectors: Vec<Vec<f32>>,
}

/// The executor, created on first use; the apps, embedded on first use.
#[derive(Default)]
pub(crate) struct ActState {
    executor: std::sync::OnceLock<Executor>,
    apps: Mutex<Option<Arc<AppIndex>>>,
}

impl Engine {
    fn executor(&self) -> Result<&Executor> {
        if let Some(executor) = self.act.executor.get() {
            return Ok(executor);
        }
        let executor = Executor::new(&self.paths().actions_dir.join("journal.jsonl"), &self.paths().trash_home)
            .map_err(|e| EngineError::Action(ActionError::NotStarted(format!("cannot start the actions: {e}"))))?;
        Ok(self.act.executor.get_or_init(|| executor))
    }

    /// Reads `request`: the rules, then (with `model`) the planning model
    /// for a request whose verb the rules do not find.
    pub fn read_request(&self, request: &str, settings: &Settings, model: bool) -> Result<(Reading, ReadBy)> {
        match request::read(request) {
            Ok(reading) => Ok((reading, ReadBy::Rules)),
            Err(Unread::NoVerb(text)) if model => match self.guess_verb(&text, settings)? {
                Some(verb) => Ok((request::read_as(verb, request).map_err(EngineError::Unread)?, ReadBy::Model)),
                None => Err(EngineError::Unread(Unread::NoVerb(text))),
            },
            Err(err) => Err(EngineError::Unread(err)),
        }
    }

    /// The verb the planning model favours for `request`, or none.
    fn guess_verb(&self, request: &str, settings: &Settings) -> Result<Option<Verb>> {
        let Ok(file) = models::chat_model_file(self.paths(), settings, "plan") else {
            return Ok(None);
        };
        block_in_place(|| {
            let model = self.chat.get(&file, &mut |_| {})?;
            let mut model = lock(&model);
            let answers: Vec<&str> = VERBS.iter().map(|(_, word)| *word).chain(["none"]).collect();
            let choices: Vec<String> = VERBS.iter().zip(VERB_MEANINGS).map(|((_, word), meaning)| format!("{word} ({meaning})")).collect();
            let question = |subject: &str| {
                format!("Which action does {subject} ask for? Answer with one word: {}, or none.", choices.join(", "))
            };
            let best = choose_as(
                &mut model,
                "You sort requests to a file assistant into the action they ask for, with a single word.",
                &question(&format!("the request \"{request}\"")),
                &question("a request"),
                &answers,
            )?;
            Ok(VERBS.get(best).map(|(verb, _)| *verb))
        })
    }

    /// Turns `request` into a plan and keeps it for confirmation. Nothing
    /// changes until [`Engine::execute`] runs it with the token.
    pub async fn propose(&self, request: &ActRequest, settings: &Settings) -> Result<Proposed> {
        let (reading, read_by) = self.read_request(&request.request, settings, !request.rules_only)?;
        let grants_list = settings.folders.clone();
        let mut naming = Naming { request, grants: &settings.folders, search: None, notes: reading.notes.clone(), instead: Vec::new() };
        let mut actions = Vec::new();
        let intent = reading.intent.clone();
        // The desktop entries, read at most once per request.
        let apps = std::sync::OnceLock::new();
        let installed = || apps.get_or_init(|| apps::installed(&self.paths().app_dirs)).as_slice();
        match &reading.intent {
            Intent::CreateFolder { name, place, open } => {
                check_name(name)?;
                let folder = match place {
                    Some(place) => self.place(place, &grants_list, &mut actions, &mut naming.notes)?,
                    None => first_grant(&grants_list)?,
                };
                let path = folder.join(name);
                actions.push(Action::CreateFolder { path: path.clone() });
                if *open {
                    actions.push(Action::Open { path });
                }
            }
            Intent::Move { files, to } | Intent::Copy { files, to } => {
                let copy = matches!(reading.intent, Intent::Copy { .. });
                let found = self.files(files, Verb::Move, &mut naming).await?.paths;
                let target = self.place(to, &grants_list, &mut actions, &mut naming.notes)?;
                let mut already = 0;
                for from in found {
                    if from.parent() == Some(target.as_path()) {
                        already += 1;
                        continue;
                    }
                    let to = target.join(from.file_name().expect("files have names"));
                    actions.push(if copy { Action::Copy { from, to } } else { Action::Move { from, to } });
                }
                if already > 0 {
                    naming.notes.push(format!("{already} of the files are in {} already", target.display()));
                }
            }
            Intent::Rename { files, to } => {
                let exact = matches!(to, request::NewName::Exact(_));
                let verb = if exact { Verb::Open } else { Verb::Rename };
                for path in self.files(files, verb, &mut naming).await?.paths {
                    let old = path.file_name().expect("files have names").to_string_lossy().into_owned();
                    let name = to.apply(&old);
                    check_name(&name)?;
                    if name != old {
                        actions.push(Action::Rename { path, name });
                    }
                }
                if actions.is_empty() {
                    naming.notes.push("the files have these names already".into());
                }
            }
            Intent::Trash { files } => {
                for path in self.files(files, Verb::Trash, &mut naming).await?.paths {
                    actions.push(Action::Trash { path });
                }
            }
            Intent::Reveal { files } => {
                for path in self.files(files, Verb::Reveal, &mut naming).await?.paths {
                    actions.push(Action::Reveal { path });
                }
            }
            Intent::Open { what } => match exact_app(installed(), what) {
                Some(app) => actions.push(launch(&app)?),
                None => {
                    // A file named so opens; otherwise an application that
                    // means it, else the file whose contents match.
                    let found = self.files(what, Verb::Open, &mut naming).await;
                    let by_name = matches!(&found, Ok(files) if files.by_name);
                    match if by_name { None } else { self.app_by_meaning(installed(), what)? } {
                        Some(app) => {
                            naming.search = None;
                            naming.instead.clear();
                            actions.push(launch(&app)?);
                        }
                        None => {
                            for path in found?.paths {
                                let runs = std::fs::metadata(&path).is_ok_and(|m| nook_actions::safety::runs_when_opened(&path, &m));
                                if runs {
                                    return Err(EngineError::NotOpenable {
                                        path,
                                        reason: "it is a program, an installer or a launcher; “show it in its folder” to run it yourself".into(),
                                    });
                                }
                                actions.push(Action::Open { path });
                            }
                        }
                    }
                }
            },
            Intent::Launch { app } => {
                let found = match exact_app(installed(), app) {
                    Some(found) => found,
                    None => self.app_by_meaning(installed(), app)?.ok_or_else(|| EngineError::ActionTarget(format!(
                        "no installed application matches “{app}”; name it as the applications menu does"
                    )))?,
                };
                actions.push(launch(&found)?);
            }
            Intent::Terminal { place } => {
                let folder = match place {
                    Some(place) => self.place(place, &grants_list, &mut Vec::new(), &mut naming.notes)?,
                    None => first_grant(&grants_list)?,
                };
                let app = installed()
                    .iter()
                    .find(|app| app.is_terminal_emulator())
                    .ok_or_else(|| EngineError::ActionTarget("no terminal emulator is installed (no desktop entry in the TerminalEmulator category)".into()))?;
                actions.push(Action::Terminal { folder, app: app.id.clone(), argv: startable(app)? });
            }
            Intent::Run { argv } => {
                if !settings.run_enabled {
                    return Err(EngineError::Action(ActionError::RunOff));
                }
                let (program, args) = argv.split_first().ok_or_else(|| EngineError::ActionTarget("name the program to run".into()))?;
                let program = nook_actions::desktop::allowed_program(program, &settings.run_programs)
                    .ok_or_else(|| EngineError::Action(ActionError::NotAllowed(program.clone())))?;
                actions.push(Action::Run { program, args: args.to_vec(), folder: first_grant(&grants_list)? });
            }
        }
        if actions.is_empty() {
            return Err(EngineError::ActionTarget(if naming.notes.is_empty() { "there is nothing to do".into() } else { naming.notes.join("; ") }));
        }
        let executor = self.executor()?;
        let plan = ActionPlan { id: executor.new_plan_id(), request: request.request.clone(), actions };
        let allowed = Allowed {
            programs: if settings.run_enabled { settings.run_programs.clone() } else { Vec::new() },
            run: settings.run_enabled,
            app_dirs: self.paths().app_dirs.clone(),
        };
        let proposal = executor.propose(plan, Grants::new(grants_list), allowed)?;
        Ok(Proposed { proposal, intent, read_by, notes: naming.notes, search: naming.search, instead: naming.instead })
    }

    /// Runs the plan `plan_id` that was proposed, with its token.
    pub fn execute(&self, plan_id: &str, token: &str, confirmed_twice: bool) -> Result<Outcome> {
        block_in_place(|| Ok(self.executor()?.execute(plan_id, &Token(token.to_string()), confirmed_twice)?))
    }

    /// Forgets a proposed plan the person cancelled.
    pub fn cancel(&self, plan_id: &str) -> Result<bool> {
        Ok(self.executor()?.cancel(plan_id))
    }

    /// Every action applied, newest first.
    pub fn activity(&self) -> Result<Vec<ActivityItem>> {
        let all = self.executor()?.activity()?;
        Ok(all.into_iter().rev().map(ActivityItem::from).collect())
    }

    /// Undoes the action `id`, or all of the plan `id`, inside the folders
    /// granted now.
    pub fn undo(&self, id: &str, settings: &Settings) -> Result<Vec<ActivityItem>> {
        let executor = self.executor()?;
        let undone = block_in_place(|| executor.undo(id, &Grants::new(settings.folders.clone())))?;
        Ok(undone.into_iter().map(ActivityItem::from).collect())
    }

    /// The files `phrase` names: the selection for "these", a path, a file
    /// name, or a search; for "X and Y" that names nothing as a whole, the
    /// files of each part. `verb` says whether one file is meant (open,
    /// reveal, rename to one name) or all that match.
    async fn files(
        &self,
        phrase: &str,
        verb: Verb,
        naming: &mut Naming<'_>,
    ) -> Result<Files> {
        let whole = self.files_named(phrase, verb, naming).await;
        // "the fonts pack and the invoice templates zip (both)": when the
        // words together name nothing, each part names files of its own,
        // if each finds some.
        let Err(nothing) = whole else { return whole };
        if matches!(nothing, EngineError::Action(_)) {
            return Err(nothing);
        }
        let Some(parts) = listed_parts(phrase).filter(|_| !matches!(verb, Verb::Open | Verb::Reveal)) else { return Err(nothing) };
        let mut all = Files { paths: Vec::new(), by_name: true };
        // The parts' notes count only when every part names files.
        let before = std::mem::take(&mut naming.notes);
        for part in &parts {
            let Ok(files) = self.files_named(part, verb, naming).await else {
                naming.notes = before;
                return Err(nothing);
            };
            all.by_name &= files.by_name;
            for path in files.paths {
                if !all.paths.contains(&path) {
                    all.paths.push(path);
                }
            }
        }
        let parts_notes = std::mem::replace(&mut naming.notes, before);
        naming.notes.extend(parts_notes);
        Ok(all)
    }

    /// [`Engine::files`] for one phrase.
    async fn files_named(
        &self,
        phrase: &str,
        verb: Verb,
        naming: &mut Naming<'_>,
    ) -> Result<Files> {
        let (request, grants) = (naming.request, naming.grants);
        let one = matches!(verb, Verb::Open | Verb::Reveal) || !plural(phrase);
        let mut phrase = phrase.trim().to_string();
        if request::is_deictic(&phrase) {
            if !request.selection.is_empty() {
                let picked: Vec<PathBuf> = request.selection.iter().take(BATCH_CAP).cloned().collect();
                let paths = if one && matches!(verb, Verb::Open | Verb::Reveal) { picked.into_iter().take(1).collect() } else { picked };
                return Ok(Files { paths, by_name: true });
            }
            // No selection (the CLI): the words after "these" are searched.
            phrase = phrase.split_once(' ').map(|(_, rest)| rest.to_string()).unwrap_or_default();
            if phrase.is_empty() || matches!(phrase.as_str(), "files" | "ones") {
                return Err(EngineError::ActionTarget("nothing is selected: search for the files first and select them, or name them".into()));
            }
        }
        if let Some(meant) = request.meant.iter().find(|m| m.phrase.trim() == phrase) {
            if !grants.iter().any(|g| meant.path.starts_with(g)) {
                return Err(EngineError::Action(ActionError::Unsafe(nook_actions::SafetyError::Outside(meant.path.clone()))));
            }
            return Ok(Files { paths: vec![meant.path.clone()], by_name: true });
        }
        let unquoted = phrase.trim_matches(|c| c == '"' || c == '“' || c == '”' || c == '\'');
        // A path named among the words of the first sentence ("everything
        // on my stick at /media/usb") must be inside the granted folders,
        // or nothing is looked for.
        let quotes: &[char] = &['"', '“', '”', '\''];
        let first_sentence = phrase.split(". ").next().unwrap_or_default();
        if let Some(named) = first_sentence.split_whitespace().map(|w| w.trim_matches(quotes)).find(|w| w.starts_with('/') || w.starts_with("~/")) {
            let path = expand_user(Path::new(named));
            if !grants.iter().any(|g| path.starts_with(g)) {
                return Err(EngineError::Action(ActionError::Unsafe(nook_actions::SafetyError::Outside(path))));
            }
        }
        if unquoted.starts_with('/') || unquoted.starts_with('~') {
            return Ok(Files { paths: vec![expand_user(Path::new(unquoted))], by_name: true });
        }
        // "Documents/notes.txt": a path inside a watched folder.
        if unquoted.contains('/') && !unquoted.starts_with('/') && !unquoted.starts_with('~') {
            let relative = Path::new(unquoted);
            if relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
                if let Some(path) = grants.iter().map(|g| g.join(relative)).find(|p| p.is_file()) {
                    return Ok(Files { paths: vec![path], by_name: true });
                }
            }
        }
        // "Document (2).docx in Downloads": a file's name, and the folder
        // it is in.
        let (unquoted, within) = match name_within(unquoted) {
            Some((name, folder)) => (name, Some(folder)),
            None => (unquoted, None),
        };
        // "the IMG_0231.jpg in downloads": a file's name after a
        // determiner, unless a file is named with it.
        let mut unquoted = unquoted;
        if let Some((first, name)) = unquoted.split_once(' ') {
            if ["the", "my", "this", "that", "our"].contains(&first.to_lowercase().as_str()) && looks_like_file_name(name) {
                let with_it = nook_core::SearchFilter { path_contains_any: vec![unquoted.to_lowercase()], ..Default::default() };
                if self.store().files_matching(&with_it, 1).await?.is_empty() {
                    unquoted = name;
                }
            }
        }
        if looks_like_file_name(unquoted) {
            let named = nook_core::SearchFilter { path_contains_any: vec![unquoted.to_lowercase()], ..Default::default() };
            let mut records: Vec<_> = self
                .store()
                .files_matching(&named, 50_000)
                .await?
                .into_iter()
                .filter(|r| r.path.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case(unquoted)))
                .collect();
            if let Some(folder) = within {
                let part = format!("/{}/", folder.trim_matches('/').to_lowercase());
                if records.iter().any(|r| r.path.to_lowercase().contains(&part)) {
                    records.retain(|r| r.path.to_lowercase().contains(&part));
                }
            }
            records.sort_by(|a, b| b.modified_ms.cmp(&a.modified_ms));
            if records.is_empty() {
                return Err(EngineError::ActionTarget(format!("no indexed file is named {unquoted}; check the name, or give its full path")));
            }
            if one && records.len() > 1 {
                naming.notes.push(format!("{} files are named {unquoted}: this is the most recently changed", records.len()));
                naming.offer(&phrase, records.iter().skip(1).map(|r| PathBuf::from(&r.path)));
                records.truncate(1);
            }
            return Ok(Files { paths: records.into_iter().map(|r| PathBuf::from(r.path)).collect(), by_name: true });
        }
        let plan = self.plan_as(&phrase, !request.rules_only)?;
        let mut found = self.find_as(&plan, BATCH_CAP, crate::find::Sought::Referred).await?;
        // A search that let go of what the words said ("the .ssh folder"
        // is no file's name) may find files of other kinds: of those, only
        // files the words name are acted on ("final_v2 (1).docx in the
        // Oakwood folder" is in Downloads).
        if !found.plan.relaxed.is_empty() {
            found.hits.retain(|h| plan.names(&h.path));
            if found.hits.is_empty() {
                let read: Vec<&str> = found.plan.relaxed.iter().map(|c| c.label.as_str()).collect();
                found.notes.insert(0, format!("nothing matches “{}”", read.join("” and “")));
            }
        }
        let listed = plan.text.trim().is_empty();
        let mut hits: Vec<_> = found.hits.iter().collect();
        let mut by_name = true;
        if !listed {
            // Words: the files whose names match them, where there are any.
            // Only those holding the most of the words: "old drafts" is
            // draft-old-1.txt, not old-notes.txt.
            let named: Vec<_> = hits.iter().copied().filter(|h| h.name_match).collect();
            let best = named.iter().map(|h| plan.name_score(&h.path)).max().unwrap_or(0);
            if !named.is_empty() {
                hits = named.into_iter().filter(|h| plan.name_score(&h.path) == best).collect();
            } else {
                by_name = false;
            }
            if !by_name && !one {
                naming.notes.push(format!("no file's name matches “{}”: these are the files whose contents match best", plan.text));
                hits.truncate(10);
            }
        }
        if hits.len() >= BATCH_CAP {
            naming.notes.push(format!("only the first {BATCH_CAP} matching files are included; narrow the request for the rest"));
        }
        let mut paths: Vec<PathBuf> = hits.iter().map(|h| PathBuf::from(&h.path)).collect();
        let before = paths.len();
        paths.retain(|p| grants.iter().any(|g| p.starts_with(g)));
        if paths.len() < before {
            naming.notes.push(format!("{} files found outside the watched folders are left out", before - paths.len()));
        }
        if one {
            // Files named as well as the first are offered instead of it.
            if by_name && !listed {
                naming.offer(&phrase, paths.iter().skip(1).cloned());
            }
            paths.truncate(1);
        }
        naming.search = Some(found.plan.clone());
        if paths.is_empty() {
            let mut message = format!("no file matches “{phrase}”");
            if let Some(why) = found.notes.first() {
                message.push_str(&format!(" ({why})"));
            }
            message.push_str("; search for it first to check the words");
            return Err(EngineError::ActionTarget(message));
        }
        Ok(Files { paths, by_name })
    }

    /// The folder `phrase` names, inside a granted folder. A folder missing
    /// only its last level is created first (an action added to `actions`).
    fn place(&self, phrase: &str, grants: &[PathBuf], actions: &mut Vec<Action>, notes: &mut Vec<String>) -> Result<PathBuf> {
        let (path, create) = resolve_place(phrase, grants, notes)?;
        if create {
            actions.push(Action::CreateFolder { path: path.clone() });
        }
        Ok(path)
    }

    /// The application of `installed` whose description is nearest
    /// `phrase` in meaning, when near enough.
    fn app_by_meaning(&self, installed: &[App], phrase: &str) -> Result<Option<App>> {
        let index = self.app_index(installed)?;
        if index.apps.is_empty() {
            return Ok(None);
        }
        let embedder = block_in_place(|| self.embedder())?;
        let query = block_in_place(|| embedder.embed(&[phrase]))?.remove(0);
        let best = index
            .vectors
            .iter()
            .map(|v| v.iter().zip(&query).map(|(a, b)| a * b).sum::<f32>())
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1));
        Ok(best.filter(|(_, similarity)| *similarity >= APP_MIN_SIMILARITY).map(|(n, _)| index.apps[n].clone()))
    }

    /// The installed applications, embedded again when they changed.
    fn app_index(&self, installed: &[App]) -> Result<Arc<AppIndex>> {
        let mut slot = lock(&self.act.apps);
        if let Some(index) = slot.as_ref() {
            if index.apps == installed {
                return Ok(index.clone());
            }
        }
        let vectors = if installed.is_empty() {
            Vec::new()
        } else {
            let embedder = block_in_place(|| self.embedder())?;
            let descriptions: Vec<String> = installed.iter().map(App::description).collect();
            block_in_place(|| embedder.embed(&descriptions))?
        };
        let index = Arc::new(AppIndex { apps: installed.to_vec(), vectors });
        *slot = Some(index.clone());
        Ok(index)
    }
}

/// Programs that would run anything given to them as text: never allowed.
const SHELLS: &[&str] = &[
    "sh", "bash", "dash", "zsh", "fish", "ksh", "csh", "tcsh", "busybox", "env", "sudo", "su", "doas", "xargs", "python", "python3", "perl",
    "ruby", "node", "lua", "php", "osascript", "pkexec", "nohup", "setsid", "timeout", "nice", "eval",
];

/// The allowed programs, checked: absolute, an executable file, not a
/// shell or interpreter; each once, in the order given.
pub(crate) fn checked_programs(programs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    use std::os::unix::fs::PermissionsExt;
    let mut out: Vec<PathBuf> = Vec::new();
    for program in programs {
        let refuse = |reason: &str| EngineError::NotAProgram { path: program.clone(), reason: reason.to_string() };
        if !program.is_absolute() {
            return Err(refuse("give its full path, such as /usr/bin/convert"));
        }
        let meta = std::fs::metadata(program).map_err(|e| refuse(&e.to_string()))?;
        if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
            return Err(refuse("it is not an executable file"));
        }
        let name = program.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let bare = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        if SHELLS.contains(&name.as_str()) || SHELLS.contains(&bare) {
            return Err(refuse("it runs whatever text it is given (a shell or an interpreter); allow the programs themselves instead"));
        }
        if !out.contains(program) {
            out.push(program.clone());
        }
    }
    Ok(out)
}

/// The application called exactly `phrase` (its name, generic name, id
/// or program).
fn exact_app(installed: &[App], phrase: &str) -> Option<App> {
    let wanted = phrase.trim().to_lowercase();
    installed
        .iter()
        .find(|app| {
            let program = app.argv().ok().and_then(|a| a.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_lowercase()));
            app.name.to_lowercase() == wanted
                || app.id.to_lowercase() == wanted
                || app.generic_name.as_ref().is_some_and(|g| g.to_lowercase() == wanted)
                || program.as_deref() == Some(wanted.as_str())
        })
        .cloned()
}

/// The argument vector that starts `app`.
fn startable(app: &App) -> Result<Vec<String>> {
    app.argv().map_err(|reason| EngineError::ActionTarget(format!("{} cannot be started: {reason}", app.name)))
}

fn launch(app: &App) -> Result<Action> {
    Ok(Action::Launch { app: app.id.clone(), name: app.name.clone(), argv: startable(app)? })
}

fn first_grant(grants: &[PathBuf]) -> Result<PathBuf> {
    grants.first().cloned().ok_or(EngineError::NoGrants)
}

/// A new file or folder name: one visible name, no path.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.contains('/') || name.starts_with('.') || name.contains('\0') {
        return Err(EngineError::ActionTarget(format!(
            "“{name}” cannot be a name: a name has no “/” and does not start with a dot"
        )));
    }
    Ok(())
}

/// "report.pdf", "notes-2025.md": one word with an extension.
/// "Document (2).docx in Downloads": the file's name and the folder said
/// after it, when what comes before " in " (or " from ") is a file's name.
fn name_within(phrase: &str) -> Option<(&str, &str)> {
    let low = phrase.to_ascii_lowercase();
    let (at, len) = [" in ", " from ", " inside "].iter().filter_map(|p| low.rfind(p).map(|at| (at, p.len()))).max()?;
    let name = phrase[..at].trim();
    let mut folder = phrase[at + len..].trim();
    for lead in ["the ", "my "] {
        if folder.len() > lead.len() && folder[..lead.len()].eq_ignore_ascii_case(lead) {
            folder = &folder[lead.len()..];
        }
    }
    let folder = folder.strip_suffix(" folder").unwrap_or(folder).trim();
    (looks_like_file_name(name) && !folder.is_empty()).then_some((name, folder))
}

fn looks_like_file_name(text: &str) -> bool {
    let Some((stem, ext)) = text.rsplit_once('.') else { return false };
    // "the chrome .deb" names a kind of file, not a file.
    !stem.is_empty()
        && !stem.ends_with(' ')
        && (1..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && !ext.chars().all(|c| c.is_ascii_digit())
}

/// The parts of "X and Y (both)", each naming files on its own; `None`
/// for one phrase, or a name that holds "and" in quotes.
fn listed_parts(phrase: &str) -> Option<Vec<String>> {
    if phrase.contains(['"', '“', '\'']) {
        return None;
    }
    let mut text = phrase.trim().to_string();
    for tail in [" both", " as well"] {
        if text.to_ascii_lowercase().ends_with(tail) {
            text.truncate(text.len() - tail.len());
        }
    }
    let parts: Vec<String> = text.split(" and ").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    (parts.len() > 1 && parts.iter().all(|p| p.split_whitespace().count() >= 2 || p.contains('.'))).then_some(parts)
}

/// Whether `phrase` names several files: "the screenshots from last week",
/// "all pdfs", not "the report from March".
fn plural(phrase: &str) -> bool {
    let low = phrase.to_lowercase();
    let words: Vec<&str> = low.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| matches!(*w, "all" | "every" | "everything" | "files" | "these" | "those" | "them" | "both")) {
        return true;
    }
    const ENDS_HEAD: &[&str] = &[
        "from", "in", "of", "with", "about", "since", "before", "after", "older", "newer", "larger", "bigger", "smaller", "over",
        "under", "modified", "changed", "named", "called", "that", "which", "containing", "mentioning", "this", "last", "by", "for",
    ];
    let head = words.iter().take_while(|w| !ENDS_HEAD.contains(w)).last().copied().unwrap_or("");
    (head.ends_with('s') && !head.ends_with("ss") && !head.ends_with("us") && !head.ends_with("is") && head.len() > 3)
        || matches!(head, "data" | "media" | "stuff" | "photos" | "pics")
}

/// The folder a request names, inside the granted folders: an absolute
/// path; a path below a granted folder ("Pictures/Screenshots" in the home
/// folder, "Screenshots" inside `~/Pictures` when `~/Pictures` is granted);
/// or a folder of that name further down. True when only its last level
/// is missing, to be created.
fn resolve_place(phrase: &str, grants: &[PathBuf], notes: &mut Vec<String>) -> Result<(PathBuf, bool)> {
    if grants.is_empty() {
        return Err(EngineError::NoGrants);
    }
    let phrase = phrase.trim();
    let phrase = if phrase.len() > 1 { phrase.trim_end_matches('/') } else { phrase };
    let written = expand_user(Path::new(phrase));
    if written.is_absolute() {
        if written.components().any(|c| matches!(c, Component::ParentDir | Component::CurDir)) {
            return Err(EngineError::Action(ActionError::Unsafe(nook_actions::SafetyError::Climbs(written))));
        }
        return match (written.is_dir(), written.parent().is_some_and(Path::is_dir)) {
            (true, _) => Ok((written, false)),
            (false, true) => Ok((written, true)),
            _ => Err(EngineError::ActionTarget(format!("there is no folder {}", written.display()))),
        };
    }
    let parts: Vec<&str> = phrase.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || parts.iter().any(|p| *p == ".." || *p == "." || p.starts_with('.')) {
        return Err(EngineError::ActionTarget(format!("“{phrase}” is not a folder name Nook can use; name a visible folder")));
    }
    // Below each granted folder, or from it when it has the first name.
    let mut candidates: Vec<(PathBuf, &[&str])> = Vec::new();
    for root in grants {
        let named = root.file_name().is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(parts[0]));
        if named {
            candidates.push((root.clone(), &parts[1..]));
        }
        candidates.push((root.clone(), &parts[..]));
    }
    for (root, rest) in &candidates {
        if let Some(found) = descend(root, rest) {
            return Ok((found, false));
        }
    }
    // Further down: the shallowest folder whose path ends with the parts.
    let below = visible_folders(grants);
    let mut deep: Vec<PathBuf> = below.iter().filter(|(_, dir)| ends_with_parts(dir, &parts)).map(|(_, dir)| dir.clone()).collect();
    deep.sort_by_key(|p| p.components().count());
    if let Some(first) = deep.first() {
        if deep.len() > 1 {
            notes.push(format!("{} folders are named {phrase}; this is the one nearest the top", deep.len()));
        }
        return Ok((first.clone(), false));
    }
    // A folder named by the words of its path: "the Hartley client
    // folder" is Work/Clients/Hartley.
    // One word ("the wedding folder") only when a single folder holds it.
    let said = place_words(phrase);
    let mut by_words: Vec<PathBuf> = if said.is_empty() {
        Vec::new()
    } else {
        below.iter().filter(|(root, dir)| path_holds_words(dir.strip_prefix(root).unwrap_or(dir), &said)).map(|(_, dir)| dir.clone()).collect()
    };
    by_words.sort_by_key(|p| p.components().count());
    if let [first, rest @ ..] = by_words.as_slice() {
        let clear = if said.len() >= 2 { rest.first().is_none_or(|second| second.components().count() > first.components().count()) } else { rest.is_empty() };
        if clear {
            if first.file_name().is_some_and(|n| !n.to_string_lossy().eq_ignore_ascii_case(phrase)) {
                notes.push(format!("“{phrase}” is read as {}", first.display()));
            }
            return Ok((first.clone(), false));
        }
    }
    // The last level missing below a folder the request names: created
    // first ("Pictures/Screenshots"). A lone name must exist: "the Nowhere
    // folder" is not made up.
    for (root, rest) in &candidates {
        if let Some((last, leading)) = rest.split_last().filter(|_| parts.len() > 1) {
            if let Some(parent) = descend(root, leading) {
                return Ok((parent.join(last), true));
            }
        }
    }
    // …or below a folder found further down: "Running/Yorkshire Marathon"
    // is made in Documents/Running.
    if let Some((last, leading)) = parts.split_last().filter(|_| parts.len() > 1) {
        let mut parents: Vec<&PathBuf> = below.iter().filter(|(_, dir)| ends_with_parts(dir, leading)).map(|(_, dir)| dir).collect();
        parents.sort_by_key(|p| p.components().count());
        if let Some(parent) = parents.first() {
            return Ok((parent.join(last), true));
        }
    }
    Err(EngineError::ActionTarget(format!(
        "there is no folder “{phrase}” in the watched folders ({}); name one that exists, or its full path",
        grants.iter().map(|g| g.display().to_string()).collect::<Vec<_>>().join(", ")
    )))
}

/// `root/parts…` with each part matched to an existing folder, ignoring case.
fn descend(root: &Path, parts: &[&str]) -> Option<PathBuf> {
    let mut here = root.to_path_buf();
    for part in parts {
        let exact = here.join(part);
        if exact.is_dir() {
            here = exact;
            continue;
        }
        let found = std::fs::read_dir(&here)
            .ok()?
            .flatten()
            .find(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(part) && e.path().is_dir())?;
        here = found.path();
    }
    here.is_dir().then_some(here)
}

/// Every visible folder below the granted ones (to [`PLACE_DEPTH`]), with
/// the granted folder it is in.
fn visible_folders(grants: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for root in grants {
        let walk = walkdir::WalkDir::new(root).min_depth(1).max_depth(PLACE_DEPTH).into_iter();
        for entry in walk.filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.')).flatten() {
            if entry.file_type().is_dir() {
                out.push((root.clone(), entry.into_path()));
            }
        }
    }
    out
}

/// The words of a place phrase that can name folders: "the Hartley
/// client folder" → ["hartley", "client"].
fn place_words(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| c.is_whitespace() || c == '/')
        .map(str::to_lowercase)
        .filter(|w| w.len() >= 3 && !matches!(w.as_str(), "the" | "my" | "our" | "folder" | "directory" | "dir"))
        .collect()
}

/// Whether every word names a folder on `relative`'s way, the last folder
/// among them ("client" names "Clients").
fn path_holds_words(relative: &Path, words: &[String]) -> bool {
    let names: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().to_lowercase()).collect();
    let same = |name: &str, word: &str| name == word || name.strip_suffix('s') == Some(word) || word.strip_suffix('s') == Some(name);
    // "the Cerys wedding folder" is "Wedding - Cerys": a word of the name.
    let names_word = |name: &str, word: &str| same(name, word) || name.split(|c: char| !c.is_alphanumeric()).any(|part| same(part, word));
    let last = names.last().map(String::as_str).unwrap_or("");
    words.iter().all(|w| names.iter().any(|n| names_word(n, w))) && words.iter().any(|w| names_word(last, w))
}

fn ends_with_parts(path: &Path, parts: &[&str]) -> bool {
    let names: Vec<String> = path.components().rev().take(parts.len()).map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    names.len() == parts.len() && names.iter().zip(parts.iter().rev()).all(|(name, part)| name.eq_ignore_ascii_case(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_named_by_the_words_of_its_path() {
        let words = place_words("the Hartley client folder");
        assert_eq!(words, ["hartley", "client"]);
        assert!(path_holds_words(Path::new("Documents/Work/Clients/Hartley"), &words));
        assert!(!path_holds_words(Path::new("Documents/Work/Clients"), &words), "the folder itself is named");
        assert!(!path_holds_words(Path::new("Pictures/Hartley"), &words), "every word is on the way");
        let words = place_words("the Cerys wedding folder");
        assert!(path_holds_words(Path::new("Documents/Wedding - Cerys"), &words), "words of a folder's name count");
        assert!(!path_holds_words(Path::new("Documents/Weddings of others"), &words));
    }

    #[test]
    fn lists_of_files_are_read_part_by_part() {
        assert_eq!(listed_parts("the fonts pack and the invoice templates zip both").unwrap(), ["the fonts pack", "the invoice templates zip"]);
        assert_eq!(listed_parts("notes.txt and plan.md").unwrap(), ["notes.txt", "plan.md"]);
        assert_eq!(listed_parts("document (3).pdf, the price list"), None, "a comma adds a description");
        assert_eq!(listed_parts("the invoices from ACME"), None);
        assert_eq!(listed_parts("\"salt and pepper.txt\""), None);
    }

    #[test]
    fn plural_phrases_name_several_files() {
        assert!(plural("the screenshots from last week"));
        assert!(plural("invoices from ACME"));
        assert!(plural("all pdfs"));
        assert!(plural("photos"));
        assert!(!plural("the report from March"));
        assert!(!plural("the budget spreadsheet"));
    }

    #[test]
    fn only_real_programs_that_are_not_shells_may_be_allowed() {
        assert_eq!(checked_programs(&[PathBuf::from("/bin/ls"), PathBuf::from("/bin/ls")]).unwrap(), [PathBuf::from("/bin/ls")]);
        for refused in ["/bin/sh", "/bin/bash", "/usr/bin/python3", "/usr/bin/env", "ls", "/etc/passwd", "/nonexistent"] {
            assert!(checked_programs(&[PathBuf::from(refused)]).is_err(), "{refused}");
        }
    }

    #[test]
    fn file_names_have_an_extension() {
        assert!(looks_like_file_name("report.pdf"));
        assert!(looks_like_file_name("notes-2025.md"));
        assert!(!looks_like_file_name("version 2.5"));
        assert!(!looks_like_file_name("the report"));
        assert_eq!(name_within("Document (2).docx in Downloads"), Some(("Document (2).docx", "Downloads")));
        assert_eq!(name_within("notes in May.txt from the Old folder"), Some(("notes in May.txt", "Old")));
        assert_eq!(name_within("the report in Downloads"), None);
    }

    #[test]
    fn places_are_found_below_the_granted_folders() {
        let dir = tempfile::Builder::new().prefix("nook-place").tempdir().unwrap();
        let home = dir.path().canonicalize().unwrap().join("home");
        std::fs::create_dir_all(home.join("Pictures/Screenshots")).unwrap();
        std::fs::create_dir_all(home.join("Documents/Work/Projects")).unwrap();
        let grants = vec![home.clone()];
        let mut notes = Vec::new();
        let place = |p: &str, notes: &mut Vec<String>| resolve_place(p, &grants, notes).map_err(|e| e.to_string());
        assert_eq!(place("Pictures/Screenshots", &mut notes), Ok((home.join("Pictures/Screenshots"), false)));
        assert_eq!(place("pictures/screenshots", &mut notes), Ok((home.join("Pictures/Screenshots"), false)));
        assert_eq!(place("Projects", &mut notes), Ok((home.join("Documents/Work/Projects"), false)));
        assert_eq!(place("Pictures/2025", &mut notes), Ok((home.join("Pictures/2025"), true)));
        assert!(place("Nowhere/At/All", &mut notes).unwrap_err().contains("no folder"));
        assert!(place("Nowhere", &mut notes).unwrap_err().contains("no folder"), "a lone name must exist");
        assert!(place("../etc", &mut notes).is_err());
        assert_eq!(place("/etc", &mut notes), Ok((PathBuf::from("/etc"), false)), "absolute stays absolute (and is refused by the grants)");
        // A granted folder named like the first part.
        let pictures = vec![home.join("Pictures")];
        assert_eq!(resolve_place("Pictures/Screenshots", &pictures, &mut notes).unwrap(), (home.join("Pictures/Screenshots"), false));
    }
}
