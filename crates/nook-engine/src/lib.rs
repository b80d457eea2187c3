//! Nook's engine: indexing folders and searching them, on top of the ingest,
//! embed and store crates. The CLI and the desktop app are thin clients of
//! [`Engine`]; neither holds logic of its own.
//!
//! Data flows one way: file → walk → extract → chunk → embed → store, and
//! query → embed + full-text → fuse → one hit per file.
//!
//! The engine runs on a multi-threaded tokio runtime: CPU-heavy steps
//! (walking, extracting, embedding) run in `block_in_place`, so they never
//! stall other tasks.

mod act;
mod ask;
mod choice;
mod evidence;
mod find;
mod foreground;
mod guess;
pub mod conversations;
mod index;
pub mod library;
pub mod memory;
pub mod models;
mod paths;
mod search;
mod summarize;
pub mod settings;
mod why;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use nook_core::filter::FilterError;
use nook_core::folders::FolderError;
use nook_embed::{EmbedError, Embedder};
use nook_store::{Store, StoreError};

pub use act::{ActRequest, ActivityItem, Instead, Proposed, ReadBy};
pub use ask::{scope_filter, Answer, AskEvent, AskRequest};
pub use choice::Candidate;
pub use summarize::SummaryStage;
pub use evidence::{Extract, ScoredPiece};
pub use nook_answer::{CheckedSentence, Support};
pub use nook_actions::executor::{ActionError, Outcome, Proposal};
pub use nook_actions::journal::{Recorded, Undo};
pub use nook_actions::request::{Intent, Unread};
pub use nook_route::{Route, Routed};
pub use nook_actions::{Action, Effect};
pub use find::{filter_of, Found};
pub use foreground::ForegroundGuard;
pub use nook_plan::{Chip, Field, Plan, PlanError};
pub use conversations::{Conversation, ConversationSummary, Conversations, Exchange, SourceRef, Turn};
pub use index::{IndexOptions, IndexReport, Progress};
pub use nook_core::{FileHit, FileKind, FileRecord, FileStatus, SearchFilter};
pub use nook_ingest::{ChunkParams, WalkOptions};
pub use paths::{expand_user, NookPaths};
pub use library::{Library, LibraryEvent};
pub use search::{SearchRequest, StatusReport};
pub use settings::Settings;
pub use why::{FileState, Why};

use models::FETCH_COMMAND;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("the embedding model {model} is not installed (looked in {}); run `{FETCH_COMMAND}` to fetch it",
            .looked_in.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    ModelMissing { model: String, looked_in: Vec<PathBuf> },
    #[error("model file {path} is missing; run `{FETCH_COMMAND}` to fetch it again")]
    ModelFileMissing { path: PathBuf },
    #[error("model file {path} is corrupt (sha256 {actual}, expected {expected}); run `{FETCH_COMMAND}` to fetch it again")]
    ModelFileCorrupt { path: PathBuf, expected: String, actual: String },
    #[error(transparent)]
    Embed(#[from] EmbedError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot index {path}: {reason}")]
    NotAFolder { path: PathBuf, reason: String },
    #[error("cannot write to the index at {index_dir}: {reason}")]
    Busy { index_dir: PathBuf, reason: String },
    #[error("cannot write to the index at {index_dir} ({reason}); check that the folder is writable")]
    IndexNotWritable { index_dir: PathBuf, reason: String },
    #[error("cannot save settings to {path} ({reason}); check that the folder is writable")]
    Settings { path: PathBuf, reason: String },
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error("Nook will not open {path}: {reason}")]
    NotOpenable { path: PathBuf, reason: String },
    #[error("the index at {index_dir} was built with the embedding model {built_with}, but Nook now uses {now}; \
             delete that folder and index again")]
    ModelChanged { index_dir: PathBuf, built_with: String, now: String },
    #[error("nothing to search for: type a few words")]
    EmptyQuery,
    #[error("the question is {chars} characters long; ask in at most {max} (to ask about a long text, save it in a watched folder and ask about it)")]
    QuestionTooLong { chars: usize, max: usize },
    #[error("{path}: there is no such file or folder to ask about; give a file or folder Nook indexes")]
    NoSuchScope { path: PathBuf },
    #[error("{0}")]
    Plan(nook_plan::PlanError),
    #[error("the fiscal year starts in a month from 1 (January) to 12 (December), not {0}")]
    FiscalMonth(u32),
    #[error(transparent)]
    Filter(#[from] FilterError),
    #[error("cannot tell where Nook keeps its data: neither HOME nor XDG_DATA_HOME is an absolute path; set NOOK_HOME")]
    NoHome,
    #[error("no chat model is installed (looked in {}); run `{FETCH_COMMAND}` to fetch the default one, or add a GGUF file with `nook models add FILE.gguf`",
            .looked_in.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    ChatModelMissing { looked_in: Vec<PathBuf> },
    #[error("the model {name} chosen for {task} is no longer there (moved or deleted?); choose another with `nook models use NAME --task {task}` (`nook models list` shows them)")]
    ChosenModelMissing { name: String, task: String },
    #[error("{}: Nook cannot use this model: {reason}", .path.display())]
    UnusableModel { path: PathBuf, reason: String },
    #[error("there is already a model named {name}; remove it first with `nook models remove {name}`, or rename the file")]
    ModelExists { name: String },
    #[error("no model is named {name}; `nook models list` shows the models Nook has")]
    UnknownModel { name: String },
    #[error("{name} is a default model and cannot be removed (set-up would fetch it again); choose another model with `nook models use NAME` instead")]
    DefaultModel { name: String },
    #[error("there is no task {task}; a chat model can be used for `chat` or `plan`")]
    UnknownTask { task: String },
    #[error("cannot copy {} to {}: {reason}", .from.display(), .to.display())]
    ModelCopy { from: PathBuf, to: PathBuf, reason: String },
    #[error(transparent)]
    Llm(#[from] nook_llm::LlmError),
    #[error("no conversation has the id {id}; `nook conversations list` shows them")]
    ConversationNotFound { id: String },
    #[error("cannot use the conversation file {}: {reason}", .path.display())]
    Conversation { path: PathBuf, reason: String },
    #[error("a conversation needs a title: type a few words")]
    EmptyTitle,
    #[error(transparent)]
    Action(#[from] ActionError),
    #[error("{0}")]
    Unread(Unread),
    #[error("{0}")]
    ActionTarget(String),
    #[error("Nook changes files only inside the folders it watches, and none is watched yet; add a folder in the Library (or `nook folders add FOLDER`)")]
    NoGrants,
    #[error("{} cannot be an allowed program: {reason}", .path.display())]
    NotAProgram { path: PathBuf, reason: String },
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// An open index with its embedding model.
pub struct Engine {
    paths: NookPaths,
    model_dir: PathBuf,
    store: Store,
    /// Loaded on first use: `nook status` never pays for it.
    embedder: Mutex<Option<Arc<Embedder>>>,
    /// When the model was last asked for.
    model_used: Mutex<std::time::Instant>,
    /// The chat model, loaded by the first question (see `ask`).
    chat: ask::ChatSlot,
    /// Reads documents in a separate, resource-limited process.
    extractor: nook_extractor::Extractor,
    /// Searches and answers running now; indexing yields to them.
    foreground: foreground::Foreground,
    /// Plans waiting for confirmation, the journal, the applications.
    act: act::ActState,
    /// The day requests are read against ("this week"); `None` is today
    /// in the local time zone.
    today: Option<chrono::NaiveDate>,
}

impl Engine {
    /// Opens (or creates) the index in `paths.index_dir`. Fails with a message
    /// naming the fetch command when the embedding model is missing.
    pub async fn open(paths: NookPaths) -> Result<Engine> {
        let model_dir = models::embedding_model_dir(&paths)?;
        let dimension = model_dimension(&model_dir)?;
        let store = Store::open(&paths.index_dir, dimension).await?;
        check_index_model(&paths.index_dir)?;
        Ok(Engine {
            paths,
            model_dir,
            store,
            embedder: Mutex::new(None),
            model_used: Mutex::new(std::time::Instant::now()),
            chat: ask::ChatSlot::default(),
            extractor: nook_extractor::Extractor::new(nook_extractor::ExtractorOptions::default()),
            foreground: foreground::Foreground::default(),
            act: act::ActState::default(),
            today: None,
        })
    }

    /// This engine, reading every request as if `day` were today: for
    /// evaluations and benchmarks whose requests speak of a fixed day.
    pub fn reading_as_of(mut self, day: chrono::NaiveDate) -> Engine {
        self.today = Some(day);
        self
    }

    pub fn paths(&self) -> &NookPaths {
        &self.paths
    }

    pub fn model_dir(&self) -> &std::path::Path {
        &self.model_dir
    }

    /// The store, for benchmarks and tests that look below the engine.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn extractor(&self) -> &nook_extractor::Extractor {
        &self.extractor
    }

    /// Marks interactive work (a search, an answer) while the guard lives:
    /// indexing waits between embedding slices until it ends.
    pub fn foreground(&self) -> ForegroundGuard<'_> {
        self.foreground.enter()
    }

    /// The embedding model, loaded on first call.
    pub fn embedder(&self) -> Result<Arc<Embedder>> {
        *self.model_used.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = std::time::Instant::now();
        let mut slot = self.embedder.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(embedder) = slot.as_ref() {
            return Ok(embedder.clone());
        }
        let embedder = Arc::new(load_embedder(&self.model_dir)?);
        *slot = Some(embedder.clone());
        Ok(embedder)
    }
}

impl Engine {
    /// Lets go of the model when nobody asked for it for `idle`; it loads
    /// again on the next call of [`Engine::embedder`]. True when released.
    pub fn release_idle_model(&self, idle: std::time::Duration) -> bool {
        let released_chat = self.chat.release_if_idle(idle);
        let released_reader = self.extractor.stop_if_idle(idle);
        let used = *self.model_used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut slot = self.embedder.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if slot.is_some() && used.elapsed() >= idle {
            *slot = None;
            return true;
        }
        released_chat || released_reader
    }
}

fn load_embedder(dir: &std::path::Path) -> Result<Embedder> {
    Embedder::load(dir).map_err(|err| match err {
        EmbedError::MissingFile { path } => EngineError::ModelFileMissing { path },
        other => EngineError::Embed(other),
    })
}

/// Vectors of two models cannot be compared: the index remembers which model
/// made its vectors and refuses another.
fn check_index_model(index_dir: &std::path::Path) -> Result<()> {
    let spec = models::default_model("embed");
    let now = format!("{} ({})", spec.name, spec.files.get("model.safetensors").map_or("", String::as_str));
    let stamp = index_dir.join("embedding-model.txt");
    match std::fs::read_to_string(&stamp) {
        Ok(built_with) if built_with.trim() == now => Ok(()),
        Ok(built_with) => Err(EngineError::ModelChanged {
            index_dir: index_dir.to_path_buf(),
            built_with: built_with.trim().to_string(),
            now,
        }),
        Err(_) => std::fs::write(&stamp, format!("{now}\n")).map_err(|e| EngineError::IndexNotWritable {
            index_dir: index_dir.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

/// The vector length of the model in `dir`, read from its config.
fn model_dimension(dir: &std::path::Path) -> Result<usize> {
    let path = dir.join("config.json");
    let text = std::fs::read_to_string(&path).map_err(|_| EngineError::ModelFileMissing { path: path.clone() })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        EngineError::Embed(EmbedError::BadFile { path: path.clone(), reason: e.to_string() })
    })?;
    value["hidden_size"].as_u64().map(|n| n as usize).ok_or_else(|| {
        EngineError::Embed(EmbedError::BadFile { path, reason: "no `hidden_size`".to_string() })
    })
}
