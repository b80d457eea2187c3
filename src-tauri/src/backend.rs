//! The engine behind the windows. It opens after the first window shows:
//! commands that need it wait for it, and the window hears when it is ready.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use nook_engine::{Engine, Library, LibraryEvent, NookPaths};
use serde::Serialize;
use tokio::sync::watch;

/// Where the engine is in its start-up.
#[derive(Clone)]
pub enum Readiness {
    Loading,
    /// Open; with a notice for the user when the settings had to be reset.
    Ready(Arc<Library>, Option<String>),
    /// Could not open; the message says what to do.
    Failed(String),
}

/// What the window is told about the engine.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EngineState {
    Loading,
    Ready { notice: Option<String> },
    Failed { message: String },
}

impl From<&Readiness> for EngineState {
    fn from(readiness: &Readiness) -> Self {
        match readiness {
            Readiness::Loading => EngineState::Loading,
            Readiness::Ready(_, notice) => EngineState::Ready { notice: notice.clone() },
            Readiness::Failed(message) => EngineState::Failed { message: message.clone() },
        }
    }
}

pub struct Backend {
    pub paths: NookPaths,
    readiness: watch::Receiver<Readiness>,
}

impl Backend {
    /// Starts opening the engine on the async runtime. `on_state` hears each
    /// change of state and `on_event` each library event.
    pub fn start(
        paths: NookPaths,
        on_state: impl Fn(EngineState) + Send + Sync + 'static,
        on_event: impl Fn(LibraryEvent) + Send + Sync + 'static,
    ) -> Backend {
        let (tx, rx) = watch::channel(Readiness::Loading);
        let engine_paths = paths.clone();
        tauri::async_runtime::spawn(async move {
            let started = std::time::Instant::now();
            let readiness = match open(engine_paths, Arc::new(on_event)).await {
                Ok((library, notice)) => {
                    log::info!("engine ready in {} ms", started.elapsed().as_millis());
                    Readiness::Ready(library, notice)
                }
                Err(message) => {
                    log::error!("the engine could not start: {message}");
                    Readiness::Failed(message)
                }
            };
            // The state first, then the event: a window that asks on hearing
            // the event gets the new state.
            let state = EngineState::from(&readiness);
            let _ = tx.send(readiness);
            on_state(state);
        });
        Backend { paths, readiness: rx }
    }

    pub fn state(&self) -> EngineState {
        EngineState::from(&*self.readiness.borrow())
    }

    /// The library, once the engine is open.
    pub async fn library(&self) -> Result<Arc<Library>, String> {
        let mut rx = self.readiness.clone();
        let readiness = rx
            .wait_for(|r| !matches!(r, Readiness::Loading))
            .await
            .map_err(|_| "Nook's engine stopped; restart Nook".to_string())?;
        match &*readiness {
            Readiness::Ready(library, _) => Ok(library.clone()),
            Readiness::Failed(message) => Err(message.clone()),
            Readiness::Loading => unreachable!("waited for a final state"),
        }
    }

    /// The library if it is open now, without waiting.
    pub fn library_now(&self) -> Option<Arc<Library>> {
        match &*self.readiness.borrow() {
            Readiness::Ready(library, _) => Some(library.clone()),
            _ => None,
        }
    }
}

async fn open(paths: NookPaths, sink: nook_engine::library::Sink) -> Result<(Arc<Library>, Option<String>), String> {
    let engine = Engine::open(paths).await.map_err(|e| e.to_string())?;
    let (library, warning) = Library::open(Arc::new(engine), sink).map_err(|e| e.to_string())?;
    if let Some(warning) = &warning {
        log::warn!("{warning}");
    }
    library.start();
    Ok((library, warning))
}

/// The answers being written, by the request id the window gave, so that a
/// window can stop its own.
#[derive(Default)]
pub struct Answering {
    cancels: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl Answering {
    fn cancels(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.cancels.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn start(&self, request: &str, cancel: Arc<AtomicBool>) {
        self.cancels().insert(request.to_string(), cancel);
    }

    pub fn finish(&self, request: &str) {
        self.cancels().remove(request);
    }

    pub fn cancel(&self, request: &str) {
        if let Some(cancel) = self.cancels().get(request) {
            cancel.store(true, Ordering::Relaxed);
        }
    }
}
