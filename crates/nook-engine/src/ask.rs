//! Answers from the user's files: the question's nearest passages become
//! numbered sources, the chat model answers from them (streamed), the
//! answer's `[n]` citations are read back, and the turn is kept in its
//! conversation. When no passage is close enough, Nook says so without
//! asking the model.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nook_chat::{citations, grounded_question, Message, SamplingParams, Source, GROUNDED_SYSTEM, NOTHING_FOUND};
use nook_core::fusion::RRF_K;
use nook_core::{reciprocal_rank_fusion, ChunkHit, SearchFilter};
use nook_llm::{Finish, Generation, LoadOptions, Model};
use tokio::task::block_in_place;

use crate::conversations::{now_ms, Conversation, Conversations, SourceRef, Turn};
use crate::{models, Engine, EngineError, Result, Settings};

/// Passages given to the model at most.
const MAX_SOURCES: usize = 4;
/// A passage is a source only when its cosine distance to the question is
/// at most this (similarity 0.35 or more with all-MiniLM-L6-v2).
pub const MAX_SOURCE_DISTANCE: f32 = 0.65;
/// Characters of a passage shown to the model at most.
const SOURCE_CHARS: usize = 1500;
/// Tokens kept free in the context for the answer.
const ANSWER_TOKENS: usize = 400;

#[derive(Debug, Clone, Default)]
pub struct AskRequest {
    pub question: String,
    /// The conversation to continue; `None` starts a new one.
    pub conversation: Option<String>,
    pub filter: SearchFilter,
}

/// What happens while a question is answered, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum AskEvent {
    /// The passages the answer will come from (none: nothing found).
    Sources(Vec<SourceRef>),
    /// The chat model is loading: `progress` from 0 to 1.
    LoadingModel { model: String, progress: f32 },
    /// The model is reading the prompt.
    Reading { tokens: usize },
    /// More of the answer.
    Text(String),
}

/// A question answered, as kept in its conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub conversation_id: String,
    pub turn: Turn,
}

/// The loaded chat model, shared by every question; one answer at a time.
#[derive(Default)]
pub(crate) struct ChatSlot {
    loaded: Mutex<Option<LoadedChat>>,
}

struct LoadedChat {
    file: PathBuf,
    model: Arc<Mutex<Model>>,
    used: Instant,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ChatSlot {
    /// The model of `file`, loaded now if another (or none) is loaded.
    pub(crate) fn get(&self, file: &PathBuf, on_progress: &mut dyn FnMut(f32)) -> Result<Arc<Mutex<Model>>> {
        let mut slot = lock(&self.loaded);
        if let Some(loaded) = slot.as_mut().filter(|l| &l.file == file) {
            loaded.used = Instant::now();
            return Ok(loaded.model.clone());
        }
        *slot = None; // the old model's memory goes before the new one loads
        let model = Arc::new(Mutex::new(Model::load_with_progress(file, LoadOptions::default(), on_progress)?));
        *slot = Some(LoadedChat { file: file.clone(), model: model.clone(), used: Instant::now() });
        Ok(model)
    }

    /// Lets go of the model when no question came for `idle`.
    pub(crate) fn release_if_idle(&self, idle: Duration) -> bool {
        let mut slot = lock(&self.loaded);
        if slot.as_ref().is_some_and(|l| l.used.elapsed() >= idle) {
            *slot = None;
            return true;
        }
        false
    }
}

impl Engine {
    /// The conversations kept by this engine's paths.
    pub fn conversations(&self) -> Conversations {
        Conversations::new(&self.paths().conversations_dir)
    }

    /// Answers `request` from the indexed files, streaming through
    /// `on_event`, and keeps the turn in its conversation (a new one unless
    /// the request names one). `cancel` stops the answer within one token
    /// (or one block of the prompt); what was answered so far is kept.
    pub async fn ask(&self, request: &AskRequest, cancel: &AtomicBool, on_event: &mut (dyn FnMut(AskEvent) + Send)) -> Result<Answer> {
        let _foreground = self.foreground();
        let question = request.question.trim();
        if question.is_empty() {
            return Err(EngineError::EmptyQuery);
        }
        request.filter.validate()?;
        let conversations = self.conversations();
        let mut conversation = match &request.conversation {
            Some(id) => conversations.get(id)?,
            None => conversations.create(question),
        };
        let passages = self.passages(question, &request.filter).await?;
        let mut sources: Vec<SourceRef> = passages
            .iter()
            .enumerate()
            .map(|(i, p)| SourceRef {
                number: i + 1,
                path: p.path.clone(),
                line_start: p.line_start,
                line_end: p.line_end,
                section: p.section.clone(),
                cited: false,
            })
            .collect();
        on_event(AskEvent::Sources(sources.clone()));
        let asked_ms = now_ms();
        let turn = if passages.is_empty() {
            on_event(AskEvent::Text(NOTHING_FOUND.to_string()));
            Turn { question: question.into(), answer: NOTHING_FOUND.into(), sources, model: String::new(), finish: "nothing_found".into(), asked_ms }
        } else {
            let settings = Settings::peek(&self.paths().config_dir).unwrap_or_default();
            let file = models::chat_model_file(self.paths(), &settings, "chat")?;
            let model_name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let messages = messages(&conversation, question, &passages);
            let (answer, finish) = block_in_place(|| {
                let model = self.chat.get(&file, &mut |progress| {
                    on_event(AskEvent::LoadingModel { model: model_name.clone(), progress })
                })?;
                let mut model = lock(&model);
                let prompt = model.chat_prompt(&messages, ANSWER_TOKENS)?;
                on_event(AskEvent::Reading { tokens: prompt.ids.len() });
                let generation = Generation { sampling: answer_sampling(), max_tokens: ANSWER_TOKENS, stop: Vec::new() };
                let generated = model.generate(&prompt.ids, &generation, cancel, |text| on_event(AskEvent::Text(text.to_string())))?;
                Ok::<_, EngineError>((generated.text.trim().to_string(), finish_name(generated.finish)))
            })?;
            for n in citations(&answer, sources.len()) {
                sources[n - 1].cited = true;
            }
            Turn { question: question.into(), answer, sources, model: model_name, finish: finish.into(), asked_ms }
        };
        conversation.turns.push(turn.clone());
        conversation.updated_ms = now_ms();
        conversations.save(&conversation)?;
        Ok(Answer { conversation_id: conversation.id, turn })
    }

    /// The passages close enough to `question` to answer from, best first:
    /// the chunks found by meaning within [`MAX_SOURCE_DISTANCE`], ranked by
    /// fusing that list with the one found by words.
    async fn passages(&self, question: &str, filter: &SearchFilter) -> Result<Vec<ChunkHit>> {
        const DEPTH: usize = 20;
        let embedder = block_in_place(|| self.embedder())?;
        let vector = block_in_place(|| embedder.embed(&[question]))?.remove(0);
        let store = self.store();
        let (by_meaning, by_words) = tokio::join!(store.vector_search(&vector, filter, DEPTH), store.text_search(question, filter, DEPTH));
        let by_meaning = by_meaning?;
        let close: Vec<&str> = by_meaning
            .iter()
            .filter(|hit| hit.distance.is_some_and(|d| d <= MAX_SOURCE_DISTANCE))
            .map(|hit| hit.chunk_id.as_str())
            .collect();
        let fused = reciprocal_rank_fusion(&[by_meaning.clone(), by_words?], RRF_K);
        Ok(fused.into_iter().map(|(hit, _)| hit).filter(|hit| close.contains(&hit.chunk_id.as_str())).take(MAX_SOURCES).collect())
    }
}

/// The model's messages: the grounding instruction, the conversation so
/// far (questions and answers, without their sources), then the question
/// with its numbered sources.
fn messages(conversation: &Conversation, question: &str, passages: &[ChunkHit]) -> Vec<Message> {
    let mut messages = vec![Message::new("system", GROUNDED_SYSTEM)];
    for turn in &conversation.turns {
        messages.push(Message::new("user", turn.question.clone()));
        messages.push(Message::new("assistant", turn.answer.clone()));
    }
    let sources: Vec<Source> = passages
        .iter()
        .map(|p| Source {
            // "report.pdf, page 3": the model may cite the page it read.
            path: match &p.section {
                Some(section) => format!("{}, {section}", short_path(&p.path)),
                None => short_path(&p.path),
            },
            lines: (p.line_start, p.line_end),
            text: p.text.chars().take(SOURCE_CHARS).collect(),
        })
        .collect();
    messages.push(Message::new("user", grounded_question(question, &sources)));
    messages
}

/// A file as the model sees it: its folder and name, enough to tell files
/// apart without spending tokens on the whole path.
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.rsplit('/').take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// Answers from sources should not wander: the most likely words, with
/// repeats discouraged (small models loop otherwise).
fn answer_sampling() -> SamplingParams {
    SamplingParams { repeat_penalty: 1.1, repeat_last_n: 64, ..SamplingParams::greedy() }
}

fn finish_name(finish: Finish) -> &'static str {
    match finish {
        Finish::EndOfTurn => "end_of_turn",
        Finish::StopSequence => "stop_sequence",
        Finish::MaxTokens => "max_tokens",
        Finish::Cancelled => "cancelled",
    }
}
