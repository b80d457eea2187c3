//! "Summarize lease.pdf": the whole file, not its four closest passages.
//! Its chunks are joined back into parts the model reads at once (the
//! sources); every piece is embedded, and the key points — the sentences
//! closest to the whole, unlike each other — are shown first, with no
//! model. Then the model summarizes each part (map) and the part summaries
//! together (reduce), with progress after each part, and the summary is
//! checked sentence by sentence against the parts like any answer.

use std::sync::atomic::{AtomicBool, Ordering};

use nook_answer::{parts, render, Copying, Support};
use nook_chat::{answer_of, summarize_parts, summarize_text, Message, Said, ThinkingSplit, SUMMARY_SYSTEM};
use nook_core::ChunkHit;
use nook_embed::Embedder;
use nook_llm::Generation;
use tokio::task::block_in_place;

use crate::ask::{answer_sampling, finish_name, keep, lock, one_line, say, short_path, source_refs, stream, STILL_THINKING, THINKING_TOKENS};
use crate::conversations::{now_ms, Conversation, Turn};
use crate::evidence::{Evidence, Extract};
use crate::{models, Answer, AskEvent, AskRequest, Engine, EngineError, Result, Settings};

/// Characters of a part at most: what the model reads in one go (about
/// 500 tokens, a few seconds for the default model on 2 cores).
const PART_CHARS: usize = 2000;
/// Key points shown at most.
const KEY_POINTS: usize = 5;
/// Tokens of a part's summary at most.
const PART_SUMMARY_TOKENS: usize = 80;
/// Tokens of the whole file's summary at most.
const SUMMARY_TOKENS: usize = 250;
/// Part summaries the model reads in one go (each at most
/// [`PART_SUMMARY_TOKENS`]); a file of more parts is reduced in rounds.
const REDUCE_AT_ONCE: usize = 8;

/// How far a summary is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryStage {
    /// The parts are read for their key points.
    Reading,
    /// The model summarizes the parts.
    Summarizing,
}

/// What a summary needs from the question's turn.
pub(crate) struct SummaryTurn<'a> {
    pub request: &'a AskRequest,
    pub question: &'a str,
    pub conversation: Conversation,
    pub notes: Vec<String>,
}

impl Engine {
    /// Summarizes `chunks` (a whole file's, in order): see the module.
    pub(crate) fn summarize(
        &self,
        turn: SummaryTurn<'_>,
        chunks: Vec<ChunkHit>,
        embedder: &Embedder,
        cancel: &AtomicBool,
        on_event: &mut (dyn FnMut(AskEvent) + Send),
    ) -> Result<Answer> {
        let SummaryTurn { request, question, conversation, notes } = turn;
        let asked_ms = now_ms();
        let conversations = self.conversations();
        let passages = joined_parts(&chunks);
        let file = passages[0].path.clone();
        let sources = source_refs(&passages);
        on_event(AskEvent::Sources(sources.clone()));
        let total = passages.len();
        let evidence = block_in_place(|| {
            Evidence::whole(embedder, passages, cancel, &mut |done| on_event(AskEvent::Summarizing { stage: SummaryStage::Reading, done, total }))
        })?;
        let key_points = evidence.key_points(KEY_POINTS);
        on_event(AskEvent::KeyPoints(key_points.clone()));
        let mut turn = Turn {
            question: question.into(),
            answer: points_text(&file, &key_points),
            sources,
            model: String::new(),
            finish: "quote_only".into(),
            asked_ms,
            extract: None,
            sentences: Vec::new(),
            notes,
            exchange: None,
            key_points: Some(key_points.clone()),
            thinking: None,
        };
        for point in &key_points {
            turn.sources[point.source - 1].cited = true;
        }
        if request.quote_only {
            return keep(&conversations, conversation, turn);
        }

        let settings = Settings::peek(&self.paths().config_dir).unwrap_or_default();
        let model_file = models::chat_model_file(self.paths(), &settings, "chat")?;
        let model_name = model_file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name = short_path(&file);
        let mut shown = String::new();
        let mut thinking = String::new();
        let generated = block_in_place(|| {
            let model = self.chat.get(&model_file, &mut |progress| on_event(AskEvent::LoadingModel { model: model_name.clone(), progress }))?;
            let mut model = lock(&model);
            // A thinking model reasons before each summary: more tokens,
            // and only what follows its reasoning is kept.
            let reasoning = if model.thinks() { THINKING_TOKENS } else { 0 };
            // Numbers are copied from the file, never made up.
            let texts: Vec<&str> = evidence.passages.iter().map(|p| p.text.as_str()).collect();
            let copying = Copying::new(&texts, 0);
            let mut run = |user: String, max_tokens: usize, on_text: &mut dyn FnMut(&str)| {
                let messages = [Message::new("system", SUMMARY_SYSTEM), Message::new("user", user)];
                let max_tokens = max_tokens + reasoning;
                let prompt = model.chat_prompt(&messages, max_tokens)?;
                let generation = Generation { sampling: answer_sampling(), max_tokens, stop: Vec::new() };
                let allow = &mut |before: &str, piece: &str| copying.allows(before, piece);
                Ok::<_, EngineError>(model.generate_with(&prompt.ids, &generation, cancel, allow, on_text)?)
            };
            // Map: each part alone, when there are several; reduce: the
            // part summaries together, in groups the model reads at once
            // until one group is left (a file of one part is read whole).
            let last = if total > 1 {
                let mut summaries = Vec::with_capacity(total);
                for (i, part) in evidence.passages.iter().enumerate() {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let summary = run(summarize_text(&name, &part.text), PART_SUMMARY_TOKENS, &mut |_| {})?;
                    summaries.push(one_line(&answer_of(&summary.text)));
                    on_event(AskEvent::Summarizing { stage: SummaryStage::Summarizing, done: i + 1, total });
                }
                while summaries.len() > REDUCE_AT_ONCE && !cancel.load(Ordering::Relaxed) {
                    let mut fewer = Vec::with_capacity(summaries.len().div_ceil(REDUCE_AT_ONCE));
                    for group in summaries.chunks(REDUCE_AT_ONCE) {
                        fewer.push(one_line(&answer_of(&run(summarize_parts(&name, group), PART_SUMMARY_TOKENS, &mut |_| {})?.text)));
                    }
                    summaries = fewer;
                }
                summarize_parts(&name, &summaries)
            } else {
                summarize_text(&name, &evidence.passages[0].text)
            };
            let mut split = (reasoning > 0).then(ThinkingSplit::default);
            let mut said = |part: Said| say(part, &mut thinking, &mut shown, &mut *on_event);
            let generated = run(last, SUMMARY_TOKENS, &mut |text| stream(&mut split, text, &mut said))?;
            let still_thinking = split.as_ref().is_some_and(ThinkingSplit::still_thinking);
            if let Some(split) = &mut split {
                split.finish().into_iter().for_each(&mut said);
            }
            let finish = if cancel.load(Ordering::Relaxed) { nook_llm::Finish::Cancelled } else { generated.finish };
            Ok::<_, EngineError>((shown.clone(), finish_name(finish), still_thinking))
        });
        let thinking = (!thinking.trim().is_empty()).then(|| thinking.trim().to_string());
        let (summary, finish, still_thinking) = match generated {
            Ok(generated) => generated,
            Err(error) => {
                // What was shown is kept (the key points at least), with
                // the reason, before the error is reported.
                turn.model = model_name;
                turn.finish = "failed".into();
                turn.thinking = thinking;
                if !shown.trim().is_empty() {
                    turn.answer = shown.trim().to_string();
                }
                turn.notes.push(format!("The model stopped with an error: {error}"));
                keep(&conversations, conversation, turn)?;
                return Err(error);
            }
        };
        if still_thinking {
            turn.notes.push(STILL_THINKING.to_string());
        }
        if summary.trim().is_empty() {
            // Stopped before the summary began: the key points stand.
            let turn = Turn { model: model_name, finish: finish.into(), thinking, ..turn };
            return keep(&conversations, conversation, turn);
        }
        let sentences = block_in_place(|| evidence.check(embedder, summary.trim()))?;
        let answer = render(&sentences);
        // The parts the key points come from stay cited, with those the
        // supported sentences cite.
        let mut sources = turn.sources.clone();
        for sentence in sentences.iter().filter(|s| s.support == Support::Supported) {
            for &n in &sentence.sources {
                sources[n - 1].cited = true;
            }
        }
        on_event(AskEvent::Checked { sentences: sentences.clone(), answer: answer.clone() });
        let turn = Turn { answer, sources, model: model_name, finish: finish.into(), sentences, thinking, ..turn };
        keep(&conversations, conversation, turn)
    }
}

/// A file's chunks (in order) joined into the parts the model reads at
/// once, each within one page, sheet or slide (their lines count from the
/// start of it).
fn joined_parts(chunks: &[ChunkHit]) -> Vec<ChunkHit> {
    let mut joined = Vec::new();
    for section in chunks.chunk_by(|a, b| a.section == b.section) {
        let texts: Vec<&str> = section.iter().map(|c| c.text.as_str()).collect();
        joined.extend(parts(&texts, PART_CHARS).into_iter().map(|part| {
            let (first, last) = (&section[part.chunks.start], &section[part.chunks.end - 1]);
            ChunkHit { text: part.text, line_end: last.line_end, distance: None, ..first.clone() }
        }));
    }
    joined
}

/// The key points as an answer of their own: one line each, with its
/// source's number.
fn points_text(file: &str, points: &[Extract]) -> String {
    let name = short_path(file);
    if points.is_empty() {
        return format!("No sentence of {name} stands out as a key point; its parts are listed below.");
    }
    let lines: Vec<String> = points.iter().map(|p| format!("- {} [{}]", one_line(&p.text), p.source)).collect();
    format!("Key points of {name}:\n{}", lines.join("\n"))
}
