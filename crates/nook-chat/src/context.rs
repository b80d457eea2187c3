//! Fitting a conversation into the model's context window. The system
//! message and the last message (the question, with its sources) always
//! stay; older turns go first, oldest first, until the prompt fits with
//! room left for the answer.

use crate::template::Message;

/// Why a conversation cannot be fitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error(
        "the question and its sources take {needed} tokens but the model reads {available} (with room for the answer); \
         ask a shorter question or about fewer files, or choose a model with a longer context"
    )]
    QuestionTooLong { needed: usize, available: usize },
}

/// The messages to send: `messages` without as many of its oldest turns
/// as needed for `count(prompt) <= budget`. `count` tells how many tokens
/// a list of messages takes once rendered (template and tokenizer).
pub fn fit(messages: &[Message], budget: usize, count: impl Fn(&[Message]) -> usize) -> Result<Vec<Message>, ContextError> {
    let leading_system = messages.iter().take_while(|m| m.role == "system").count();
    let Some(last) = messages.len().checked_sub(1).filter(|&last| last >= leading_system) else {
        return Ok(messages.to_vec());
    };
    let keep = |dropped: usize| -> Vec<Message> {
        let mut kept = messages[..leading_system].to_vec();
        let mut history = &messages[leading_system + dropped..last];
        // History starts with a user turn, never with an orphan answer.
        while history.first().is_some_and(|m| m.role != "user") {
            history = &history[1..];
        }
        kept.extend_from_slice(history);
        kept.push(messages[last].clone());
        kept
    };
    let history_len = last - leading_system;
    for dropped in 0..=history_len {
        let candidate = keep(dropped);
        if count(&candidate) <= budget {
            return Ok(candidate);
        }
    }
    Err(ContextError::QuestionTooLong { needed: count(&keep(history_len)), available: budget })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One token per word of every message, plus two per message.
    fn words(messages: &[Message]) -> usize {
        messages.iter().map(|m| m.content.split_whitespace().count() + 2).sum()
    }

    fn chat() -> Vec<Message> {
        vec![
            Message::new("system", "answer from the sources"),
            Message::new("user", "first question about bread"),
            Message::new("assistant", "first answer about bread"),
            Message::new("user", "second question about taxes"),
            Message::new("assistant", "second answer about taxes"),
            Message::new("user", "Sources: [1] notes.md lines 1-4. Question: which files mention bikes?"),
        ]
    }

    fn roles_and_first_words(messages: &[Message]) -> Vec<String> {
        messages.iter().map(|m| format!("{} {}", m.role, m.content.split_whitespace().next().unwrap())).collect()
    }

    #[test]
    fn everything_stays_when_it_fits() {
        assert_eq!(fit(&chat(), 100, words).unwrap(), chat());
    }

    #[test]
    fn the_oldest_turns_go_first_and_history_starts_with_a_user_turn() {
        let total = words(&chat());
        let fitted = fit(&chat(), total - 1, words).unwrap();
        assert_eq!(roles_and_first_words(&fitted), ["system answer", "user second", "assistant second", "user Sources:"]);
        assert!(words(&fitted) < total);
    }

    #[test]
    fn the_system_message_and_the_question_always_stay() {
        let fitted = fit(&chat(), 20, words).unwrap();
        assert_eq!(roles_and_first_words(&fitted), ["system answer", "user Sources:"]);
    }

    #[test]
    fn a_question_that_cannot_fit_is_refused_with_what_to_do() {
        let err = fit(&chat(), 10, words).unwrap_err();
        assert_eq!(err, ContextError::QuestionTooLong { needed: 18, available: 10 });
        assert!(err.to_string().contains("ask a shorter question or about fewer files"));
    }

    #[test]
    fn a_lone_question_is_kept_as_it_is() {
        let one = vec![Message::new("user", "hi")];
        assert_eq!(fit(&one, 100, words).unwrap(), one);
        assert!(fit(&[], 100, words).unwrap().is_empty());
    }
}
