//! The commands the windows may call. Each converts its input, calls the
//! engine and converts the result; none holds logic of its own. Errors reach
//! the window as sentences it shows as they are.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use nook_engine::library::{Activity, FolderSummary};
use nook_engine::models::ModelSummary;
use nook_engine::{
    ActRequest, ActivityItem, AskEvent, AskRequest, Instead, Outcome, Proposed, Chip, Conversation, ConversationSummary, Field, FileHit, FileRecord, FileStatus, Found, Plan, Routed,
    SearchFilter, Settings, Turn, Why,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::backend::{Answering, Backend, EngineState};
use crate::session::{Availability, Session};
use crate::{os, shortcut, windows};

type Reply<T> = Result<T, String>;

fn message(err: impl std::fmt::Display) -> String {
    err.to_string()
}

/// Everything a window needs to draw itself at start.
#[derive(Serialize)]
pub struct AppStatus {
    engine: EngineState,
    version: &'static str,
    folders: usize,
    activity: Option<Activity>,
}

#[tauri::command]
pub fn app_status(backend: State<'_, Backend>) -> AppStatus {
    let library = backend.library_now();
    AppStatus {
        engine: backend.state(),
        version: env!("CARGO_PKG_VERSION"),
        folders: library.as_ref().map_or(0, |l| l.settings().folders.len()),
        activity: library.map(|l| l.activity()),
    }
}

/// One search result.
#[derive(Serialize)]
pub struct Hit {
    path: String,
    kind: Option<String>,
    modified_ms: i64,
    snippet: String,
    line_start: u32,
    line_end: u32,
    /// "page 3", "sheet Budget", "slide 4", or null for plain files.
    section: Option<String>,
    /// Bytes, when known.
    size: Option<u64>,
    /// Found (also) by its name or folder.
    name_match: bool,
}

impl From<FileHit> for Hit {
    fn from(hit: FileHit) -> Self {
        Hit {
            path: hit.path,
            kind: hit.kind.map(|k| k.to_string()),
            modified_ms: hit.modified_ms,
            snippet: hit.snippet,
            line_start: hit.line_start,
            line_end: hit.line_end,
            section: hit.section,
            size: hit.size,
            name_match: hit.name_match,
        }
    }
}

/// Files found for a request, with the plan read from it: the plan's
/// filters as chips the person can remove or change, and notes on what
/// could not be used or why nothing matched.
#[derive(Serialize)]
pub struct SearchResults {
    plan: Plan,
    chips: Vec<Chip>,
    hits: Vec<Hit>,
    notes: Vec<String>,
}

impl From<Found> for SearchResults {
    fn from(found: Found) -> Self {
        SearchResults {
            chips: found.plan.chips(),
            plan: found.plan,
            hits: found.hits.into_iter().map(Hit::from).collect(),
            notes: found.notes,
        }
    }
}

/// Reads `query` into a plan and finds its files.
#[tauri::command]
pub async fn search(backend: State<'_, Backend>, query: String, limit: Option<usize>) -> Reply<SearchResults> {
    let library = backend.library().await?;
    let engine = library.engine();
    let plan = engine.plan(&query).map_err(message)?;
    let found = engine.find(&plan, limit.unwrap_or(20).clamp(1, 100)).await.map_err(message)?;
    Ok(found.into())
}

/// Which job `text` is for: find files, answer a question or act. The
/// quick-ask box asks on Enter.
#[tauri::command]
pub async fn route(backend: State<'_, Backend>, text: String) -> Reply<Routed> {
    let library = backend.library().await?;
    Ok(library.engine().route(&text))
}

/// Removes one filter of `plan` (no `phrase`) or replaces it with what
/// `phrase` says, then finds the files again.
#[tauri::command]
pub async fn refine_search(
    backend: State<'_, Backend>,
    plan: Plan,
    field: Field,
    phrase: Option<String>,
    limit: Option<usize>,
) -> Reply<SearchResults> {
    let library = backend.library().await?;
    let engine = library.engine();
    let plan = engine.refine(&plan, field, phrase.as_deref()).map_err(message)?;
    let found = engine.find(&plan, limit.unwrap_or(20).clamp(1, 100)).await.map_err(message)?;
    Ok(found.into())
}

/// Opens a file the engine allows (an indexed file of a watched folder, not
/// a program): the window cannot make Nook run an arbitrary path.
#[tauri::command]
pub async fn open_file(backend: State<'_, Backend>, path: String) -> Reply<()> {
    let library = backend.library().await?;
    let path = library.openable(&path).await.map_err(message)?;
    log::info!("opening {}", path.display());
    os::open(&path).map_err(message)
}

#[tauri::command]
pub async fn reveal_file(backend: State<'_, Backend>, path: String) -> Reply<()> {
    let library = backend.library().await?;
    let path = library.revealable(&path).await.map_err(message)?;
    log::info!("revealing {}", path.display());
    os::reveal(&path).map_err(message)
}

#[derive(Serialize)]
pub struct LibraryOverview {
    folders: Vec<FolderSummary>,
    activity: Activity,
}

#[tauri::command]
pub async fn library_overview(backend: State<'_, Backend>) -> Reply<LibraryOverview> {
    let library = backend.library().await?;
    let folders = library.folders().await.map_err(message)?;
    Ok(LibraryOverview { folders, activity: library.activity() })
}

#[tauri::command]
pub async fn add_folder(backend: State<'_, Backend>, path: String) -> Reply<PathBuf> {
    let library = backend.library().await?;
    library.add(Path::new(path.trim())).map_err(message)
}

/// The native folder picker; the window gets only the chosen path.
#[tauri::command]
pub async fn pick_folder(app: AppHandle) -> Reply<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title("Add a folder to Nook").pick_folder(move |folder| {
        let _ = tx.send(folder);
    });
    let picked = rx.await.map_err(|_| "the folder picker closed unexpectedly".to_string())?;
    picked.map(|p| p.into_path().map_err(message)).transpose()
}

#[tauri::command]
pub async fn remove_folder(backend: State<'_, Backend>, path: String) -> Reply<()> {
    let library = backend.library().await?;
    library.remove(Path::new(&path)).map_err(message)
}

#[derive(Serialize)]
pub struct FileRow {
    path: String,
    status: &'static str,
    reason: Option<String>,
    kind: Option<String>,
    size: u64,
    modified_ms: i64,
    chunks: u32,
}

impl From<FileRecord> for FileRow {
    fn from(r: FileRecord) -> Self {
        FileRow {
            status: r.status.as_str(),
            kind: r.kind.map(|k| k.to_string()),
            path: r.path,
            reason: r.reason,
            size: r.size,
            modified_ms: r.modified_ms,
            chunks: r.chunk_count,
        }
    }
}

#[derive(Serialize)]
pub struct FolderFiles {
    folder: PathBuf,
    total: usize,
    files: Vec<FileRow>,
}

#[tauri::command]
pub async fn folder_files(
    backend: State<'_, Backend>,
    folder: String,
    status: Option<String>,
    limit: Option<usize>,
) -> Reply<FolderFiles> {
    let library = backend.library().await?;
    let status = status.map(|s| s.parse::<FileStatus>()).transpose().map_err(message)?;
    let page = library.files(Path::new(&folder), status, limit.unwrap_or(500)).await.map_err(message)?;
    Ok(FolderFiles { folder: page.folder, total: page.total, files: page.files.into_iter().map(FileRow::from).collect() })
}

/// Why a file is or is not found (`nook why` in the app).
#[tauri::command]
pub async fn why(backend: State<'_, Backend>, path: String) -> Reply<Why> {
    let library = backend.library().await?;
    let folders = library.settings().folders.clone();
    library.engine().why(Path::new(path.trim()), &folders).await.map_err(message)
}

#[tauri::command]
pub async fn set_indexing_paused(backend: State<'_, Backend>, paused: bool) -> Reply<()> {
    let library = backend.library().await?;
    library.set_paused(paused).map_err(message)
}

#[derive(Serialize)]
pub struct ShortcutInfo {
    accelerator: String,
    default: &'static str,
    availability: Availability,
    /// Why the shortcut is not active, when it should be.
    problem: Option<String>,
}

#[derive(Serialize)]
pub struct DataPaths {
    config: PathBuf,
    index: PathBuf,
    conversations: PathBuf,
    models: Vec<PathBuf>,
}

#[derive(Serialize)]
pub struct SettingsInfo {
    shortcut: ShortcutInfo,
    tray: Availability,
    wayland: bool,
    folders: Vec<PathBuf>,
    models: Vec<ModelSummary>,
    data: DataPaths,
    /// The month (1–12) the fiscal year starts in.
    fiscal_year_start: u32,
    /// Whether requests may run programs, and which.
    run: RunInfo,
}

#[derive(Serialize)]
pub struct RunInfo {
    enabled: bool,
    programs: Vec<PathBuf>,
}

/// Answers without waiting for the engine: Settings must help most when the
/// engine could not start (a missing model, say).
#[tauri::command]
pub fn settings_info(
    backend: State<'_, Backend>,
    session: State<'_, Session>,
    shortcuts: State<'_, shortcut::Shortcuts>,
) -> SettingsInfo {
    let paths = &backend.paths;
    let settings = match backend.library_now() {
        Some(library) => library.settings(),
        None => Settings::peek(&paths.config_dir).unwrap_or_default(),
    };
    let models = nook_engine::models::summaries(paths, &settings);
    let fiscal_year_start = settings.fiscal_year_start.unwrap_or(1);
    let folders = settings.folders.clone();
    let current = shortcuts.current();
    SettingsInfo {
        shortcut: ShortcutInfo {
            accelerator: current.accelerator,
            default: shortcut::DEFAULT,
            availability: session.global_shortcut(),
            problem: current.problem,
        },
        tray: session.tray(),
        wayland: session.wayland,
        folders,
        models,
        fiscal_year_start,
        run: RunInfo { enabled: settings.run_enabled, programs: settings.run_programs.clone() },
        data: DataPaths {
            config: paths.config_dir.clone(),
            index: paths.index_dir.clone(),
            conversations: paths.conversations_dir.clone(),
            models: paths.model_dirs.clone(),
        },
    }
}

#[tauri::command]
pub async fn set_shortcut(
    app: AppHandle,
    backend: State<'_, Backend>,
    shortcuts: State<'_, shortcut::Shortcuts>,
    accelerator: String,
) -> Reply<String> {
    let accelerator = shortcuts.replace(&app, accelerator.trim())?;
    let saved = (accelerator != shortcut::DEFAULT).then(|| accelerator.clone());
    match backend.library_now() {
        Some(library) => library.set_shortcut(saved).map_err(message)?,
        // No library (the engine failed): nothing else writes the file.
        None => {
            let dir = &backend.paths.config_dir;
            let mut settings = Settings::peek(dir).unwrap_or_default();
            settings.shortcut = saved;
            settings.save(dir).map_err(message)?;
        }
    }
    Ok(accelerator)
}

/// Saves the month the fiscal year starts in ("this fiscal year").
#[tauri::command]
pub async fn set_fiscal_year_start(backend: State<'_, Backend>, month: u32) -> Reply<()> {
    let library = backend.library().await?;
    library.set_fiscal_year_start(month).map_err(message)
}

/// Saves whether requests may run programs, and which; returns them as
/// saved.
#[tauri::command]
pub async fn set_run_programs(backend: State<'_, Backend>, enabled: bool, programs: Vec<PathBuf>) -> Reply<Vec<PathBuf>> {
    let library = backend.library().await?;
    library.set_run_programs(enabled, &programs).map_err(message)
}

/// Makes a request to act into a plan to confirm, with its token. Nothing
/// changes here: only `execute_action` with the token runs it.
#[tauri::command]
pub async fn propose_action(
    backend: State<'_, Backend>,
    request: String,
    selection: Option<Vec<PathBuf>>,
    meant: Option<Vec<Instead>>,
) -> Reply<Proposed> {
    let library = backend.library().await?;
    let request = ActRequest { request, selection: selection.unwrap_or_default(), meant: meant.unwrap_or_default(), ..ActRequest::default() };
    library.engine().propose(&request, &library.settings()).await.map_err(message)
}

/// Runs the proposed plan `plan_id`, only with the token it was proposed
/// with, once: the window hands back an id and a token, never actions.
#[tauri::command]
pub async fn execute_action(backend: State<'_, Backend>, plan_id: String, token: String, confirmed_twice: Option<bool>) -> Reply<Outcome> {
    let library = backend.library().await?;
    let outcome = library.engine().execute(&plan_id, &token, confirmed_twice.unwrap_or(false)).map_err(message)?;
    log::info!("plan {plan_id}: {} done, {} not done", outcome.done.len(), outcome.failed.len());
    Ok(outcome)
}

/// Forgets a proposed plan the person cancelled; its token runs nothing.
#[tauri::command]
pub async fn cancel_action(backend: State<'_, Backend>, plan_id: String) -> Reply<()> {
    let library = backend.library().await?;
    library.engine().cancel(&plan_id).map(|_| ()).map_err(message)
}

/// Everything done, newest first.
#[tauri::command]
pub async fn activity(backend: State<'_, Backend>) -> Reply<Vec<ActivityItem>> {
    let library = backend.library().await?;
    library.engine().activity().map_err(message)
}

/// Undoes one action, or a whole request by its plan id.
#[tauri::command]
pub async fn undo_action(backend: State<'_, Backend>, id: String) -> Reply<Vec<ActivityItem>> {
    let library = backend.library().await?;
    library.engine().undo(&id, &library.settings()).map_err(message)
}

/// A search is coming (a search box got focus): load the model now.
#[tauri::command]
pub fn warm_up(backend: State<'_, Backend>) {
    if let Some(library) = backend.library_now() {
        library.warm_up();
    }
}

#[tauri::command]
pub fn hide_quick_ask(app: AppHandle) {
    windows::hide_quick_ask(&app);
}

#[tauri::command]
pub fn show_main(app: AppHandle) {
    windows::hide_quick_ask(&app);
    windows::show_main(&app);
}

/// Changes the settings through the library, or directly when the engine
/// could not start (nothing else writes the file then).
fn change_settings<T>(backend: &Backend, change: impl FnOnce(&mut Settings) -> nook_engine::Result<T>) -> Reply<T> {
    let dir = &backend.paths.config_dir;
    let mut settings = Settings::peek(dir).unwrap_or_default();
    let out = change(&mut settings).map_err(message)?;
    settings.save(dir).map_err(message)?;
    Ok(out)
}

/// Uses the chat model `name` for `task` ("chat" or "plan").
#[tauri::command]
pub fn use_model(backend: State<'_, Backend>, name: String, task: String) -> Reply<()> {
    match backend.library_now() {
        Some(library) => library.choose_model(&name, &task).map_err(message),
        None => change_settings(&backend, |s| nook_engine::models::choose(&backend.paths, s, &name, &task)),
    }
}

/// The native file picker for a GGUF file, then the checks and the copy
/// into Nook's models folder; `None` when the user cancels.
#[tauri::command]
pub async fn add_model(app: AppHandle, backend: State<'_, Backend>) -> Reply<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title("Add a GGUF chat model to Nook").add_filter("GGUF model", &["gguf"]).pick_file(move |file| {
        let _ = tx.send(file);
    });
    let Some(picked) = rx.await.map_err(|_| "the file picker closed unexpectedly".to_string())? else {
        return Ok(None);
    };
    let path = picked.into_path().map_err(message)?;
    let paths = backend.paths.clone();
    // Copying a model of a few GB takes a while: off the async workers.
    let model = tokio::task::spawn_blocking(move || nook_engine::models::add(&paths, &path))
        .await
        .map_err(message)?
        .map_err(message)?;
    log::info!("added the model {}", model.name);
    Ok(Some(model.name))
}

#[tauri::command]
pub fn remove_model(backend: State<'_, Backend>, name: String) -> Reply<()> {
    let removed = match backend.library_now() {
        Some(library) => library.remove_model(&name).map_err(message)?,
        None => change_settings(&backend, |s| nook_engine::models::remove(&backend.paths, s, &name))?,
    };
    log::info!("removed the model {name} ({})", removed.display());
    Ok(())
}

/// What the window hears while a question is answered, on the `answer`
/// event, tagged with the window's own request id.
#[derive(Clone, Serialize)]
pub struct AnswerUpdate {
    request: String,
    #[serde(flatten)]
    event: AnswerEvent,
}

#[derive(Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerEvent {
    Sources { sources: Vec<nook_engine::SourceRef> },
    Extract { extract: Option<nook_engine::Extract> },
    Loading { model: String, progress: f32 },
    Reading { tokens: usize, reused: usize },
    Text { text: String },
    Thinking { text: String },
    Generation { prompt: Vec<u32>, tokens: Vec<u32>, first_refused: Option<usize> },
    Checked { sentences: Vec<nook_engine::CheckedSentence>, answer: String },
    Summarizing { stage: nook_engine::SummaryStage, done: usize, total: usize },
    KeyPoints { points: Vec<nook_engine::Extract> },
    Scored { pieces: Vec<nook_engine::ScoredPiece> },
    Weighed { candidates: Vec<nook_engine::Candidate> },
}

impl From<AskEvent> for AnswerEvent {
    fn from(event: AskEvent) -> Self {
        match event {
            AskEvent::Sources(sources) => AnswerEvent::Sources { sources },
            AskEvent::LoadingModel { model, progress } => AnswerEvent::Loading { model, progress },
            AskEvent::Reading { tokens, reused } => AnswerEvent::Reading { tokens, reused },
            AskEvent::Text(text) => AnswerEvent::Text { text },
            AskEvent::Thinking(text) => AnswerEvent::Thinking { text },
            AskEvent::Generation { prompt, tokens, first_refused } => AnswerEvent::Generation { prompt, tokens, first_refused },
            AskEvent::Extract(extract) => AnswerEvent::Extract { extract },
            AskEvent::Checked { sentences, answer } => AnswerEvent::Checked { sentences, answer },
            AskEvent::Summarizing { stage, done, total } => AnswerEvent::Summarizing { stage, done, total },
            AskEvent::KeyPoints(points) => AnswerEvent::KeyPoints { points },
            AskEvent::Scored(pieces) => AnswerEvent::Scored { pieces },
            AskEvent::Weighed(candidates) => AnswerEvent::Weighed { candidates },
        }
    }
}

#[derive(Serialize)]
pub struct AnswerInfo {
    conversation: String,
    turn: Turn,
}

/// Answers `question` from the indexed files (continuing `conversation`
/// when given), streaming on the `answer` event under `request`.
#[tauri::command]
pub async fn ask(
    app: AppHandle,
    backend: State<'_, Backend>,
    answering: State<'_, Answering>,
    request: String,
    question: String,
    conversation: Option<String>,
    scope: Option<String>,
) -> Reply<AnswerInfo> {
    let library = backend.library().await?;
    let filter = match scope {
        Some(path) => nook_engine::scope_filter(std::path::Path::new(&path)).map_err(message)?,
        None => SearchFilter::default(),
    };
    let cancel = Arc::new(AtomicBool::new(false));
    answering.start(&request, cancel.clone());
    let ask = AskRequest { question, conversation, filter, ..AskRequest::default() };
    let mut send = |event: AskEvent| {
        let _ = app.emit("answer", AnswerUpdate { request: request.clone(), event: event.into() });
    };
    let answer = library.engine().ask(&ask, &cancel, &mut send).await;
    answering.finish(&request);
    let answer = answer.map_err(message)?;
    Ok(AnswerInfo { conversation: answer.conversation_id, turn: answer.turn })
}

/// Stops the answer of `request` (the text so far is kept).
#[tauri::command]
pub fn cancel_answer(answering: State<'_, Answering>, request: String) {
    answering.cancel(&request);
}

#[tauri::command]
pub fn conversations(backend: State<'_, Backend>) -> Reply<Vec<ConversationSummary>> {
    nook_engine::Conversations::new(&backend.paths.conversations_dir).list().map_err(message)
}

#[tauri::command]
pub fn conversation(backend: State<'_, Backend>, id: String) -> Reply<Conversation> {
    nook_engine::Conversations::new(&backend.paths.conversations_dir).get(&id).map_err(message)
}

#[tauri::command]
pub fn rename_conversation(backend: State<'_, Backend>, id: String, title: String) -> Reply<ConversationSummary> {
    let store = nook_engine::Conversations::new(&backend.paths.conversations_dir);
    Ok(store.rename(&id, &title).map_err(message)?.summary())
}

#[tauri::command]
pub fn delete_conversation(backend: State<'_, Backend>, id: String) -> Reply<()> {
    nook_engine::Conversations::new(&backend.paths.conversations_dir).delete(&id).map_err(message)
}
