//! The commands the windows may call. Each converts its input, calls the
//! engine and converts the result; none holds logic of its own. Errors reach
//! the window as sentences it shows as they are.

use std::path::{Path, PathBuf};

use nook_engine::library::{Activity, FolderSummary};
use nook_engine::{FileHit, FileRecord, FileStatus, SearchRequest};
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

/// Only files the index knows, in watched folders, are opened: the window
/// cannot make Nook run arbitrary paths.
async fn known_file(backend: &Backend, path: &str) -> Reply<PathBuf> {
    let library = backend.library().await?;
    if !library.knows_file(path).await.map_err(message)? {
        return Err(format!("{path} is not a file of your watched folders"));
    }
    Ok(PathBuf::from(path))
}

#[tauri::command]
pub async fn open_file(backend: State<'_, Backend>, path: String) -> Reply<()> {
    let path = known_file(&backend, &path).await?;
    if !path.exists() {
        return Err(format!("{} is no longer there; it will leave the index at the next scan", path.display()));
    }
    log::info!("opening {}", path.display());
    os::open(&path).map_err(message)
}

#[tauri::command]
pub async fn reveal_file(backend: State<'_, Backend>, path: String) -> Reply<()> {
    let path = known_file(&backend, &path).await?;
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
    let path = expand_home(path.trim());
    library.add(&path).map_err(message)
}

/// `~/x` as the user means it.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ if path == "~" => std::env::var_os("HOME").map_or_else(|| PathBuf::from(path), PathBuf::from),
        _ => PathBuf::from(path),
    }
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
pub async fn set_indexing_paused(app: AppHandle, backend: State<'_, Backend>, paused: bool) -> Reply<()> {
    let library = backend.library().await?;
    library.set_paused(paused).map_err(message)?;
    crate::tray::show_paused(&app, paused);
    Ok(())
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

#[tauri::command]
pub async fn settings_info(
    backend: State<'_, Backend>,
    session: State<'_, Session>,
    shortcuts: State<'_, shortcut::Shortcuts>,
) -> Reply<SettingsInfo> {
    let library = backend.library().await?;
    let paths = &backend.paths;
    let models = nook_engine::models::installed(paths)
        .into_iter()
        .map(|m| ModelInfo { name: m.name, task: m.task, location: m.location })
        .collect();
    let current = shortcuts.current();
    Ok(SettingsInfo {
        shortcut: ShortcutInfo {
            accelerator: current.accelerator,
            default: shortcut::DEFAULT,
            availability: session.global_shortcut(),
            problem: current.problem,
        },
        tray: session.tray(),
        wayland: session.wayland,
        folders: library.settings().folders,
        models,
        data: DataPaths { config: paths.config_dir.clone(), index: paths.index_dir.clone(), models: paths.model_dirs.clone() },
    })
}

#[tauri::command]
pub async fn set_shortcut(
    app: AppHandle,
    backend: State<'_, Backend>,
    shortcuts: State<'_, shortcut::Shortcuts>,
    accelerator: String,
) -> Reply<String> {
    let library = backend.library().await?;
    let accelerator = shortcuts.replace(&app, accelerator.trim())?;
    let saved = (accelerator != shortcut::DEFAULT).then(|| accelerator.clone());
    library.set_shortcut(saved).map_err(message)?;
    Ok(accelerator)
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
