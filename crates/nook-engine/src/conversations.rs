//! Conversations with the assistant: one JSON file each in the
//! conversations folder, written atomically (a temporary file renamed over
//! the old one), so a crash mid-write keeps the conversation as it was.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::evidence::Extract;
use crate::{EngineError, Result};
use nook_answer::CheckedSentence;

/// Characters of a question kept as a new conversation's title.
const TITLE_CHARS: usize = 60;
/// Longest title a rename accepts.
const MAX_TITLE_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    pub title: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub turns: Vec<Turn>,
}

/// One question and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub question: String,
    pub answer: String,
    /// The passages the model was given, numbered as it saw them.
    pub sources: Vec<SourceRef>,
    /// The model that answered; empty when no model was needed.
    pub model: String,
    /// How the answer ended: `end_of_turn`, `stop_sequence`, `max_tokens`,
    /// `cancelled`, or `nothing_found` (no passage matched, no model asked).
    pub finish: String,
    pub asked_ms: i64,
    /// The span of the passages that answers the question, shown before
    /// the generated answer; `None` when no span does (or, in turns kept
    /// before Nook extracted answers, never looked for).
    #[serde(default)]
    pub extract: Option<Extract>,
    /// The generated answer's sentences as checked against the passages.
    #[serde(default)]
    pub sentences: Vec<CheckedSentence>,
    /// What the person should know about this answer (a question in
    /// another language).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the chat model read and wrote for this turn, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
    /// For a summary of a whole file: its key points (none when no
    /// sentence stands out), numbered as the sources (the file's parts)
    /// are; `None` for any other turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_points: Option<Vec<Extract>>,
    /// A thinking model's reasoning before its answer (between its
    /// `<think>` tags): shown collapsed, never checked nor read again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<String>,
}

/// A turn as the chat model saw it: kept so that a follow-up's prompt
/// begins with exactly the text already in the model's cache, which is then
/// not read again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The user message: the question with its numbered passages.
    pub prompt: String,
    /// The model's answer as it wrote it (before the check dropped any
    /// citation).
    pub reply: String,
}

/// A passage given to the model, and whether the answer cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Its number in the prompt and in the answer's `[n]`.
    pub number: usize,
    pub path: String,
    pub line_start: u32,
    pub line_end: u32,
    /// The page, sheet or slide the passage comes from, when its file has
    /// them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub cited: bool,
}

/// A conversation as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub updated_ms: i64,
    pub turns: usize,
}

impl Conversation {
    /// A new conversation, titled after its first question (not saved).
    pub fn new(first_question: &str) -> Conversation {
        let now = now_ms();
        Conversation { id: format!("c{now:x}"), title: title_from(first_question), created_ms: now, updated_ms: now, turns: Vec::new() }
    }

    pub fn summary(&self) -> ConversationSummary {
        ConversationSummary { id: self.id.clone(), title: self.title.clone(), updated_ms: self.updated_ms, turns: self.turns.len() }
    }
}

/// The question's first words, cut at a word boundary.
fn title_from(question: &str) -> String {
    let question = question.split_whitespace().collect::<Vec<_>>().join(" ");
    if question.chars().count() <= TITLE_CHARS {
        return question;
    }
    let cut: String = question.chars().take(TITLE_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The conversations folder.
pub struct Conversations {
    dir: PathBuf,
}

impl Conversations {
    pub fn new(dir: &Path) -> Conversations {
        Conversations { dir: dir.to_path_buf() }
    }

    /// A new conversation with an id no other one has (not saved yet).
    pub fn create(&self, first_question: &str) -> Conversation {
        let mut conversation = Conversation::new(first_question);
        let mut stamp = conversation.created_ms;
        while self.dir.join(format!("{}.json", conversation.id)).exists() {
            stamp += 1;
            conversation.id = format!("c{stamp:x}");
        }
        conversation
    }

    fn path(&self, id: &str) -> Result<PathBuf> {
        // Ids are Nook's own (`c` and hex digits): anything else names no
        // conversation, and never a path outside the folder.
        let valid = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return Err(EngineError::ConversationNotFound { id: id.to_string() });
        }
        Ok(self.dir.join(format!("{id}.json")))
    }

    /// Every conversation, the most recently updated first. A file that
    /// cannot be read is left alone and out of the list.
    pub fn list(&self) -> Result<Vec<ConversationSummary>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.error(&self.dir, &e)),
        };
        let mut list: Vec<ConversationSummary> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter_map(|text| serde_json::from_str::<Conversation>(&text).ok())
            .map(|c| c.summary())
            .collect();
        list.sort_by(|a, b| b.updated_ms.cmp(&a.updated_ms).then_with(|| a.id.cmp(&b.id)));
        Ok(list)
    }

    pub fn get(&self, id: &str) -> Result<Conversation> {
        let path = self.path(id)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(EngineError::ConversationNotFound { id: id.to_string() }),
            Err(e) => return Err(self.error(&path, &e)),
        };
        serde_json::from_str(&text).map_err(|e| EngineError::Conversation { path, reason: format!("it is not a Nook conversation ({e})") })
    }

    /// Writes `conversation`, replacing its earlier version.
    pub fn save(&self, conversation: &Conversation) -> Result<()> {
        let path = self.path(&conversation.id)?;
        std::fs::create_dir_all(&self.dir).map_err(|e| self.error(&self.dir, &e))?;
        let text = serde_json::to_string_pretty(conversation).expect("conversations serialize");
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, text).map_err(|e| self.error(&temporary, &e))?;
        std::fs::rename(&temporary, &path).map_err(|e| self.error(&path, &e))
    }

    pub fn rename(&self, id: &str, title: &str) -> Result<Conversation> {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err(EngineError::EmptyTitle);
        }
        let mut conversation = self.get(id)?;
        conversation.title = title.chars().take(MAX_TITLE_CHARS).collect();
        self.save(&conversation)?;
        Ok(conversation)
    }

    pub fn delete(&self, id: &str) -> Result<()> {
        let path = self.path(id)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(EngineError::ConversationNotFound { id: id.to_string() }),
            Err(e) => Err(self.error(&path, &e)),
        }
    }

    fn error(&self, path: &Path, err: &std::io::Error) -> EngineError {
        EngineError::Conversation { path: path.to_path_buf(), reason: err.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(question: &str) -> Turn {
        Turn {
            question: question.into(),
            answer: "An answer [1].".into(),
            sources: vec![SourceRef { number: 1, path: "notes/a.md".into(), line_start: 1, line_end: 4, section: None, cited: true }],
            model: "m".into(),
            finish: "end_of_turn".into(),
            asked_ms: 1,
            extract: None,
            sentences: Vec::new(),
            notes: Vec::new(),
            exchange: None,
            key_points: None,
            thinking: None,
        }
    }

    #[test]
    fn conversations_are_saved_listed_renamed_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Conversations::new(&dir.path().join("conversations"));
        assert_eq!(store.list().unwrap(), vec![], "no folder yet: no conversations");
        let mut first = Conversation::new("How often should I feed my sourdough starter?");
        first.turns.push(turn("How often should I feed my sourdough starter?"));
        store.save(&first).unwrap();
        let mut second = Conversation::new("Where is the spare key?");
        second.id.push_str("-2");
        second.updated_ms = first.updated_ms + 5;
        store.save(&second).unwrap();

        let ids: Vec<String> = store.list().unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![second.id.clone(), first.id.clone()], "newest first");
        assert_eq!(store.get(&first.id).unwrap(), first, "read back as written");

        let renamed = store.rename(&first.id, "  Bread   notes ").unwrap();
        assert_eq!(renamed.title, "Bread notes");
        assert_eq!(store.get(&first.id).unwrap().title, "Bread notes");
        assert!(matches!(store.rename(&first.id, "   "), Err(EngineError::EmptyTitle)));

        store.delete(&first.id).unwrap();
        assert!(matches!(store.get(&first.id), Err(EngineError::ConversationNotFound { .. })));
        assert!(matches!(store.delete(&first.id), Err(EngineError::ConversationNotFound { .. })));
        assert_eq!(store.list().unwrap().len(), 1);
    }

    #[test]
    fn an_id_that_is_a_path_names_no_conversation() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret.json"), "{}").unwrap();
        let store = Conversations::new(&dir.path().join("conversations"));
        for id in ["../secret", "/etc/passwd", "", "a/b"] {
            assert!(matches!(store.get(id), Err(EngineError::ConversationNotFound { .. })), "{id}");
        }
    }

    #[test]
    fn a_damaged_file_is_named_and_left_out_of_the_list() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c1.json"), "{ half a conversa").unwrap();
        let store = Conversations::new(dir.path());
        assert_eq!(store.list().unwrap(), vec![]);
        let err = store.get("c1").unwrap_err().to_string();
        assert!(err.contains("c1.json") && err.contains("not a Nook conversation"), "{err}");
        assert!(dir.path().join("c1.json").exists(), "kept for the user to look at");
    }

    #[test]
    fn long_questions_make_short_titles_cut_between_words() {
        let title = title_from("Which of my reports from this quarter mention the budget overrun in the Lisbon office?");
        assert!(title.ends_with('…') && title.chars().count() <= TITLE_CHARS + 1, "{title}");
        assert!(title.starts_with("Which of my reports from this quarter mention the budget"), "{title}");
        assert_eq!(title_from("  short\n question "), "short question");
    }
}
