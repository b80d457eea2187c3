//! Answers from the user's files: the question's nearest passages are read
//! for the span that answers it (shown first, before any model runs), the
//! best become numbered sources, the chat model answers from them
//! (streamed), every sentence of its answer is checked against the passages
//! (citations that do not hold are dropped), and the turn is kept in its
//! conversation. When no passage is close enough, Nook says so without
//! asking the model.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nook_answer::{asks_for_summary, name_probes, named_among, names_said, render, search_text, Copying, Support};
use nook_chat::{grounded_question, Message, Said, SamplingParams, Source, ThinkingSplit, GROUNDED_SYSTEM, NOTHING_FOUND};
use nook_core::fusion::RRF_K;
use nook_core::{reciprocal_rank_fusion, ChunkHit, SearchFilter};
use nook_llm::{Finish, Generation, LoadOptions, Model};
use tokio::task::block_in_place;

use crate::choice::{self, Candidate};
use crate::conversations::{now_ms, Conversation, Conversations, Exchange, SourceRef, Turn};
use crate::evidence::{Evidence, Extract, ScoredPiece};
use crate::summarize::{SummaryStage, SummaryTurn};
use crate::{models, Engine, EngineError, Result, Settings};

/// The answer of a quote-only question when no span of the passages
/// answers it.
pub const NO_SPAN: &str = "No passage of your files answers this directly; the sources below are the closest.";

/// Longest question, in characters: longer text is a document, not a
/// question (the embedding model reads 256 tokens of it, the chat model's
/// context holds a few thousand).
pub const MAX_QUESTION_CHARS: usize = 2000;
/// The note on an answer to a question in another language.
pub const FOREIGN_NOTE: &str = "This question looks written in another language; Nook's models read English best, so the passages found may miss. Asking in English gives the best answer.";

/// Passages given to the model at most.
const MAX_SOURCES: usize = 4;
/// Passages read for the extractive answer, and reranked by it, before the
/// best [`MAX_SOURCES`] become the sources.
const CANDIDATES: usize = 6;
/// Passages read from the files a question names.
const NAMED_DEPTH: usize = 4;
/// Passages read from the files a question names when none is close.
const NAMED_NEAREST: usize = 2;
/// Files whose paths hold a word of the question looked at, at most, for
/// the files it names.
const NAME_LOOKUP: usize = 2000;
/// A passage is a source only when its cosine distance to the question is
/// at most this (similarity 0.35 or more with all-MiniLM-L6-v2).
pub const MAX_SOURCE_DISTANCE: f32 = 0.65;
/// Characters of a passage shown to the model at most: a window around its
/// best piece (the prompt is read at about 200 tokens/s by the default
/// model on 2 cores, so every passage costs seconds).
const SOURCE_CHARS: usize = 700;
/// Tokens kept free in the context for the answer.
const ANSWER_TOKENS: usize = 400;
/// More tokens for a thinking model, whose reasoning comes first.
pub(crate) const THINKING_TOKENS: usize = 1024;
/// The note on an answer cut short while the model was still reasoning.
pub const STILL_THINKING: &str = "The model was still thinking when it reached its length limit, so no answer came; the span above is what your files say.";

/// Sends and keeps one part of a model's output: reasoning as
/// [`AskEvent::Thinking`] (kept in `thinking`), the answer as
/// [`AskEvent::Text`] (kept in `shown`).
pub(crate) fn say(part: Said, thinking: &mut String, shown: &mut String, on_event: &mut dyn FnMut(AskEvent)) {
    match part {
        Said::Thinking(text) => {
            thinking.push_str(&text);
            on_event(AskEvent::Thinking(text));
        }
        Said::Answer(text) => {
            shown.push_str(&text);
            on_event(AskEvent::Text(text));
        }
    }
}

/// Streamed text as said: through the split when the model thinks, all
/// of it the answer otherwise.
pub(crate) fn stream(split: &mut Option<ThinkingSplit>, text: &str, said: &mut dyn FnMut(Said)) {
    match split {
        Some(split) => split.push(text).into_iter().for_each(said),
        None => said(Said::Answer(text.to_string())),
    }
}

#[derive(Debug, Clone, Default)]
pub struct AskRequest {
    pub question: String,
    /// The conversation to continue; `None` starts a new one.
    pub conversation: Option<String>,
    pub filter: SearchFilter,
    /// Answer with the span of the passages only, without the chat model.
    pub quote_only: bool,
    /// Tell how every piece of the passages was scored
    /// ([`AskEvent::Scored`]), to see why a span answers.
    pub explain: bool,
    /// Only weigh the extractor's best spans with the chat model
    /// ([`AskEvent::Weighed`]) and write no answer: a measure of whether
    /// the model would choose the span better (`nook-bench qa
    /// --weigh-only`; so far it does not, docs/BENCHMARKS.md).
    pub weigh_only: bool,
}

/// What happens while a question is answered, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum AskEvent {
    /// The passages the answer will come from (none: nothing found).
    Sources(Vec<SourceRef>),
    /// The span of a passage that answers the question, or `None` when no
    /// span does; comes before any generated text.
    Extract(Option<Extract>),
    /// With [`AskRequest::explain`]: every piece of the passages as the
    /// extractor scored it, best first; comes after `Extract`.
    Scored(Vec<ScoredPiece>),
    /// With [`AskRequest::weigh_only`]: the spans the chat model weighed,
    /// with its likelihood of each; comes after `Reading`.
    Weighed(Vec<Candidate>),
    /// The chat model is loading: `progress` from 0 to 1.
    LoadingModel { model: String, progress: f32 },
    /// The model is reading the prompt: `tokens` in all, of which
    /// `reused` were read for an earlier turn and are not read again.
    Reading { tokens: usize, reused: usize },
    /// More of the answer.
    Text(String),
    /// More of a thinking model's reasoning (between its `<think>` tags):
    /// not the answer, shown apart and collapsed.
    Thinking(String),
    /// With [`AskRequest::explain`]: the token ids the chat model read and
    /// wrote, and the first it wrote where a rule overruled its own choice
    /// (numbers are copied from the passages); comes after the text.
    Generation { prompt: Vec<u32>, tokens: Vec<u32>, first_refused: Option<usize> },
    /// The generated answer checked: each sentence supported by the
    /// passages or not found in them, and the answer with the citations
    /// that stand.
    Checked { sentences: Vec<nook_answer::CheckedSentence>, answer: String },
    /// A whole file is summarized: `done` of its `total` parts read (for
    /// the key points) or summarized by the model.
    Summarizing { stage: SummaryStage, done: usize, total: usize },
    /// The key points of the file summarized, numbered as the sources
    /// are; they come before any generated text.
    KeyPoints(Vec<Extract>),
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

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
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
        let chars = question.chars().count();
        if chars > MAX_QUESTION_CHARS {
            return Err(EngineError::QuestionTooLong { chars, max: MAX_QUESTION_CHARS });
        }
        let notes: Vec<String> = nook_plan::looks_foreign(question).then(|| FOREIGN_NOTE.to_string()).into_iter().collect();
        request.filter.validate()?;
        let conversations = self.conversations();
        let conversation = match &request.conversation {
            Some(id) => conversations.get(id)?,
            None => conversations.create(question),
        };
        // A follow-up ("and which flour?") is searched with the question
        // before it; the span that answers is still read for the question
        // itself.
        let earlier: Vec<&str> = conversation.turns.iter().map(|t| t.question.as_str()).collect();
        let search = search_text(question, &earlier);
        let embedder = block_in_place(|| self.embedder())?;
        let texts: Vec<&str> = if search == question { vec![question] } else { vec![question, search.as_str()] };
        let vectors = block_in_place(|| embedder.embed(&texts))?;
        let (vector, search_vector) = (&vectors[0], vectors.last().unwrap_or(&vectors[0]));
        let candidates = self.passages(&search, search_vector, &request.filter).await?;
        // "Summarize lease.pdf": the whole file the request names (or is
        // scoped to), when it asks for a summary.
        if asks_for_summary(question) {
            if let Some(file) = summary_file(question, &request.filter, &candidates) {
                let chunks = self.store().file_chunks(&file).await?;
                if !chunks.is_empty() {
                    let turn = SummaryTurn { request, question, conversation, notes };
                    return self.summarize(turn, chunks, &embedder, cancel, on_event);
                }
            }
        }
        let evidence = block_in_place(|| Evidence::read(&embedder, question, vector, candidates, MAX_SOURCES, request.explain))?;
        let passages = &evidence.passages;
        let mut sources = source_refs(passages);
        on_event(AskEvent::Sources(sources.clone()));
        let asked_ms = now_ms();
        let turn = if passages.is_empty() {
            on_event(AskEvent::Text(NOTHING_FOUND.to_string()));
            Turn {
                question: question.into(),
                answer: NOTHING_FOUND.into(),
                sources,
                model: String::new(),
                finish: "nothing_found".into(),
                asked_ms,
                extract: None,
                sentences: Vec::new(),
                notes,
                exchange: None,
                key_points: None,
                thinking: None,
            }
        } else {
            let extract = evidence.extract();
            on_event(AskEvent::Extract(extract.clone()));
            if request.explain {
                on_event(AskEvent::Scored(evidence.scored.clone()));
            }
            if request.quote_only {
                let answer = match &extract {
                    Some(e) => format!("{} [{}]", one_line(&e.text), e.source),
                    None => NO_SPAN.to_string(),
                };
                if let Some(e) = &extract {
                    sources[e.source - 1].cited = true;
                }
                let turn = Turn {
                    question: question.into(),
                    answer,
                    sources,
                    model: String::new(),
                    finish: "quote_only".into(),
                    asked_ms,
                    extract,
                    sentences: Vec::new(),
                    notes,
                    exchange: None,
                    key_points: None,
                    thinking: None,
                };
                return keep(&conversations, conversation, turn);
            }
            let settings = Settings::peek(&self.paths().config_dir).unwrap_or_default();
            let file = models::chat_model_file(self.paths(), &settings, "chat")?;
            let model_name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let grounded = grounded_question(question, &numbered_sources(&evidence));
            let messages = messages(&conversation, &grounded);
            let mut shown = String::new();
            let mut thinking = String::new();
            let generated = block_in_place(|| {
                let model = self.chat.get(&file, &mut |progress| {
                    on_event(AskEvent::LoadingModel { model: model_name.clone(), progress })
                })?;
                let mut model = lock(&model);
                let thinks = model.thinks();
                let max_tokens = if thinks { ANSWER_TOKENS + THINKING_TOKENS } else { ANSWER_TOKENS };
                let prompt = model.chat_prompt(&messages, max_tokens)?;
                on_event(AskEvent::Reading { tokens: prompt.ids.len(), reused: model.reusable(&prompt.ids) });
                if request.weigh_only {
                    let neutral = messages_neutral(&conversation, &evidence);
                    let candidates = choice::weigh(&mut model, question, &prompt.ids, &neutral, evidence.choices())?;
                    on_event(AskEvent::Weighed(candidates));
                    return Ok::<_, EngineError>(("weighed", false));
                }
                let generation = Generation { sampling: answer_sampling(), max_tokens, stop: Vec::new() };
                // Numbers are copied from the passages, never made up.
                let copying = Copying::new(&[&grounded], sources.len());
                let mut split = thinks.then(ThinkingSplit::default);
                let mut said = |part: Said| say(part, &mut thinking, &mut shown, &mut *on_event);
                let generated =
                    model.generate_with(&prompt.ids, &generation, cancel, &mut |before, piece| copying.allows(before, piece), |text| stream(&mut split, text, &mut said));
                let generated = generated?;
                let still_thinking = split.as_ref().is_some_and(ThinkingSplit::still_thinking);
                if let Some(split) = &mut split {
                    split.finish().into_iter().for_each(&mut said);
                }
                if request.explain {
                    on_event(AskEvent::Generation { prompt: prompt.ids, tokens: generated.tokens, first_refused: generated.first_refused });
                }
                Ok::<_, EngineError>((finish_name(generated.finish), still_thinking))
            });
            let thinking = (!thinking.trim().is_empty()).then(|| thinking.trim().to_string());
            let (finish, still_thinking) = match generated {
                Ok(generated) => generated,
                Err(error) => {
                    // The model failed mid-answer: what was shown is kept,
                    // with the reason, before the error is reported.
                    if !shown.trim().is_empty() {
                        let mut notes = notes.clone();
                        notes.push(format!("The model stopped with an error: {error}"));
                        let turn = Turn {
                            question: question.into(),
                            answer: shown.trim().to_string(),
                            sources: sources.clone(),
                            model: model_name.clone(),
                            finish: "failed".into(),
                            asked_ms,
                            extract: extract.clone(),
                            sentences: Vec::new(),
                            notes,
                            exchange: None,
                            key_points: None,
                            thinking,
                        };
                        keep(&conversations, conversation, turn)?;
                    }
                    return Err(error);
                }
            };
            // The answer as the model wrote it (its reasoning apart), kept
            // whole so a follow-up's prompt begins with what the cache holds.
            let reply = shown;
            let mut notes = notes;
            if still_thinking {
                notes.push(STILL_THINKING.to_string());
            }
            let sentences = block_in_place(|| evidence.check(&embedder, reply.trim()))?;
            let answer = render(&sentences);
            for sentence in sentences.iter().filter(|s| s.support == Support::Supported) {
                for &n in &sentence.sources {
                    sources[n - 1].cited = true;
                }
            }
            on_event(AskEvent::Checked { sentences: sentences.clone(), answer: answer.clone() });
            let exchange = Some(Exchange { prompt: grounded, reply });
            Turn {
                question: question.into(),
                answer,
                sources,
                model: model_name,
                finish: finish.into(),
                asked_ms,
                extract,
                sentences,
                notes,
                exchange,
                key_points: None,
                thinking,
            }
        };
        keep(&conversations, conversation, turn)
    }

    /// The passages close enough to `question` to answer from, best first:
    /// the chunks found by meaning within [`MAX_SOURCE_DISTANCE`], ranked by
    /// fusing that list with the one found by words; [`CANDIDATES`] at most,
    /// each text once.
    async fn passages(&self, question: &str, vector: &[f32], filter: &SearchFilter) -> Result<Vec<ChunkHit>> {
        const DEPTH: usize = 20;
        let mut hits = self.close_passages(question, vector, filter, DEPTH).await?;
        // A file the question names ("tower's MSRV", "in lease.pdf") is
        // read for its own passages closest to the question, though other
        // files' are closer; they come first. When none of them is close,
        // the nearest in meaning are read all the same.
        let named = self.named_files(question, filter, &hits).await?;
        if !named.is_empty() {
            let within = SearchFilter { paths: Some(named), ..filter.clone() };
            let mut own = self.close_passages(question, vector, &within, NAMED_DEPTH).await?;
            if own.is_empty() {
                own = self.store().vector_search(vector, &within, NAMED_NEAREST).await?;
            }
            hits.retain(|hit| !own.iter().any(|o| o.chunk_id == hit.chunk_id));
            hits.splice(0..0, own);
        }
        // A passage found in several files (copies of one file) is read
        // once, so the candidates hold as many different texts as they can.
        let mut texts = HashSet::new();
        hits.retain(|hit| texts.insert(hit.text.clone()));
        hits.truncate(CANDIDATES);
        Ok(hits)
    }

    /// The files `question` names (see [`named_among`]), looked for among
    /// all the files `filter` admits, not only those `found` by content.
    async fn named_files(&self, question: &str, filter: &SearchFilter, found: &[ChunkHit]) -> Result<Vec<String>> {
        let mut paths: Vec<String> = found.iter().map(|hit| hit.path.clone()).collect();
        let probes = name_probes(question);
        if !probes.is_empty() {
            let by_name = SearchFilter { path_contains_any: probes, ..filter.clone() };
            paths.extend(self.store().files_matching(&by_name, NAME_LOOKUP).await?.into_iter().map(|record| record.path));
        }
        Ok(named_among(question, paths.iter().map(String::as_str)).into_iter().map(str::to_string).collect())
    }

    /// The passages closest to `question` by meaning and words (fused),
    /// only those close enough in meaning.
    async fn close_passages(&self, question: &str, vector: &[f32], filter: &SearchFilter, depth: usize) -> Result<Vec<ChunkHit>> {
        let store = self.store();
        let (by_meaning, by_words) = tokio::join!(store.vector_search(vector, filter, depth), store.text_search(question, filter, depth));
        let by_meaning = by_meaning?;
        let close: Vec<&str> = by_meaning
            .iter()
            .filter(|hit| hit.distance.is_some_and(|d| d <= MAX_SOURCE_DISTANCE))
            .map(|hit| hit.chunk_id.as_str())
            .collect();
        let fused = reciprocal_rank_fusion(&[by_meaning.clone(), by_words?], RRF_K);
        Ok(fused.into_iter().map(|(hit, _)| hit).filter(|hit| close.contains(&hit.chunk_id.as_str())).collect())
    }
}

/// The file a summary request is about: the one it is scoped to, else the
/// one found that it names most ("the dirs README": `dirs/README.md`, not
/// the first README), the first found of those.
fn summary_file(question: &str, filter: &SearchFilter, candidates: &[ChunkHit]) -> Option<String> {
    if let Some([only]) = filter.paths.as_deref() {
        return Some(only.clone());
    }
    let said = |hit: &&ChunkHit| names_said(question, &hit.path);
    let most = candidates.iter().map(|hit| said(&hit)).max().filter(|&n| n > 0)?;
    candidates.iter().find(|hit| said(hit) == most).map(|hit| hit.path.clone())
}

/// `passages` as the numbered sources of an answer, none cited yet.
pub(crate) fn source_refs(passages: &[ChunkHit]) -> Vec<SourceRef> {
    let source = |(i, p): (usize, &ChunkHit)| SourceRef {
        number: i + 1,
        path: p.path.clone(),
        line_start: p.line_start,
        line_end: p.line_end,
        section: p.section.clone(),
        cited: false,
    };
    passages.iter().enumerate().map(source).collect()
}

/// A span as one line of an answer: its words, without the code fences a
/// span from a lead-in to its code block holds.
pub(crate) fn one_line(span: &str) -> String {
    let kept = span.lines().filter(|l| !(l.trim_start().starts_with("```") || l.trim_start().starts_with("~~~")));
    kept.flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

/// The filter of a question about one file, or the files under one folder
/// (`nook ask --in PATH`, "Ask about it" on a search result).
pub fn scope_filter(path: &std::path::Path) -> Result<SearchFilter> {
    let missing = || EngineError::NoSuchScope { path: path.to_path_buf() };
    let absolute = std::path::absolute(path).map_err(|_| missing())?;
    let real = std::fs::canonicalize(absolute).map_err(|_| missing())?;
    let name = real.to_string_lossy().into_owned();
    if real.is_dir() {
        Ok(SearchFilter::default().with_folder(&name)?)
    } else {
        Ok(SearchFilter { paths: Some(vec![name]), ..SearchFilter::default() })
    }
}

/// Keeps `turn` in its conversation.
pub(crate) fn keep(conversations: &Conversations, mut conversation: Conversation, turn: Turn) -> Result<Answer> {
    conversation.turns.push(turn.clone());
    conversation.updated_ms = now_ms();
    conversations.save(&conversation)?;
    Ok(Answer { conversation_id: conversation.id, turn })
}

/// The model's messages: the grounding instruction, the conversation so
/// far, then `grounded` (the question with its numbered sources). Earlier
/// turns the model answered are given exactly as it read and wrote them,
/// so the prompt begins with what its cache holds from the last turn and
/// only the new question is read (turns answered without the model: their
/// question and answer).
fn messages(conversation: &Conversation, grounded: &str) -> Vec<Message> {
    let mut messages = vec![Message::new("system", GROUNDED_SYSTEM)];
    for turn in &conversation.turns {
        let (asked, answered) = match &turn.exchange {
            Some(exchange) => (&exchange.prompt, &exchange.reply),
            None => (&turn.question, &turn.answer),
        };
        messages.push(Message::new("user", asked.clone()));
        messages.push(Message::new("assistant", answered.clone()));
    }
    messages.push(Message::new("user", grounded));
    messages
}

/// [`messages`] with the question that asks nothing in particular.
fn messages_neutral(conversation: &Conversation, evidence: &Evidence) -> Vec<Message> {
    messages(conversation, &choice::neutral_question(&numbered_sources(evidence)))
}

/// The passages as the model is given them, numbered in order.
fn numbered_sources(evidence: &Evidence) -> Vec<Source> {
    evidence
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| Source {
            // "report.pdf, page 3": the model may cite the page it read.
            path: match &p.section {
                Some(section) => format!("{}, {section}", short_path(&p.path)),
                None => short_path(&p.path),
            },
            lines: (p.line_start, p.line_end),
            text: evidence.excerpt(i, SOURCE_CHARS).to_string(),
        })
        .collect()
}

/// A file as the model sees it: its folder and name, enough to tell files
/// apart without spending tokens on the whole path.
pub(crate) fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.rsplit('/').take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// Answers from sources should not wander: the most likely words, with
/// repeats discouraged (small models loop otherwise).
pub(crate) fn answer_sampling() -> SamplingParams {
    SamplingParams { repeat_penalty: 1.1, repeat_last_n: 64, ..SamplingParams::greedy() }
}

pub(crate) fn finish_name(finish: Finish) -> &'static str {
    match finish {
        Finish::EndOfTurn => "end_of_turn",
        Finish::StopSequence => "stop_sequence",
        Finish::MaxTokens => "max_tokens",
        Finish::Cancelled => "cancelled",
    }
}
