//! The commands the windows may call. Each converts its input, calls the
//! engine and converts the result; none holds logic of its own. Errors reach
//! the window as sentences it shows as they are.

use std::path::{Path, PathBuf};

use nook_engine::library::{Activity, FolderSummary};
use nook_engine::{FileHit, FileRecord, FileStatus, SearchRequest, Settings};
use serde::Serialize;
use tauri::{AppHandle, State};

use crate::backend::{Backend, EngineState};
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
        }
    }
}

#[tauri::command]
pub async fn search(backend: State<'_, Backend>, query: String, limit: Option<usize>) -> Reply<Vec<Hit>> {
    let library = backend.library().await?;
    let mut request = SearchRequest::new(query);
    request.limit = limit.unwrap_or(20).clamp(1, 100);
    let hits = library.engine().search(&request).await.map_err(message)?;
    Ok(hits.into_iter().map(Hit::from).collect())
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
pub struct ModelInfo {
    name: String,
    task: String,
    location: Option<PathBuf>,
}

#[derive(Serialize)]
pub struct DataPaths {
    config: PathBuf,
    index: PathBuf,
    models: Vec<PathBuf>,
}

#[derive(Serialize)]
pub struct SettingsInfo {
    shortcut: ShortcutInfo,
    tray: Availability,
    wayland: bool,
    folders: Vec<PathBuf>,
    models: Vec<ModelInfo>,
    data: DataPaths,
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
    let folders = match backend.library_now() {
        Some(library) => library.settings().folders,
        None => Settings::peek(&paths.config_dir).unwrap_or_default().folders,
    };
    let models = nook_engine::models::installed(paths)
        .into_iter()
        .map(|m| ModelInfo { name: m.name, task: m.task, location: m.location })
        .collect();
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
        data: DataPaths { config: paths.config_dir.clone(), index: paths.index_dir.clone(), models: paths.model_dirs.clone() },
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
