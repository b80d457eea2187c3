//! A conversation made into the token ids a model reads: the model's own
//! chat template (or its family's built-in one when the file has none or it
//! fails), the oldest turns dropped until the prompt leaves room for the
//! answer, markup parsed as special tokens, one BOS.

use nook_chat::{fit_context, ChatTemplate, ContextError, Family, Message, TemplateError};

use crate::{LlmError, Model};

/// The prompt for a conversation.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub ids: Vec<u32>,
    /// Turns left out to fit the context window (oldest first).
    pub dropped_messages: usize,
    /// Why the file's own template was not used, when it was not.
    pub template_fallback: Option<String>,
}

impl Model {
    /// The model's chat family: from its vocabulary's markup, then its
    /// architecture.
    pub fn family(&self) -> Family {
        Family::detect(self.architecture(), |text| self.has_token(text))
    }

    /// Whether the model writes its reasoning between `<think>` tags
    /// before the answer (Qwen3, DeepSeek-R1 distills): its vocabulary has
    /// both tags as tokens.
    pub fn thinks(&self) -> bool {
        self.has_token(nook_chat::THINK_OPEN) && self.has_token(nook_chat::THINK_CLOSE)
    }

    /// Whether `text` is one token of the vocabulary, markup included.
    fn has_token(&self, text: &str) -> bool {
        let tokenizer = self.tokenizer();
        let ids = tokenizer.encode(text, false, true);
        ids.len() == 1 && tokenizer.token_text(ids[0]) == Some(text)
    }

    /// `messages` as token ids, leaving `answer_tokens` of the context for
    /// the answer. The system message and the last message always stay; a
    /// last message too long for the model is refused with what to do.
    pub fn chat_prompt(&self, messages: &[Message], answer_tokens: usize) -> Result<Prompt, LlmError> {
        let (template, fallback) = ChatTemplate::for_model(self.chat_template(), self.family());
        let tokenizer = self.tokenizer();
        let bos = tokenizer.bos().and_then(|id| tokenizer.token_text(id)).unwrap_or("");
        let eos = tokenizer.eos().and_then(|id| tokenizer.token_text(id)).unwrap_or("");
        let render = |messages: &[Message]| template.render(messages, true, bos, eos);
        // Counting renders every candidate; a template error shows on the
        // first and is reported from the final render below.
        let count = |messages: &[Message]| render(messages).map_or(usize::MAX, |text| tokenizer.encode_prompt(&text).len());
        let budget = self.context().saturating_sub(answer_tokens);
        let fitted = match fit_context(messages, budget, count) {
            Ok(fitted) => fitted,
            Err(ContextError::QuestionTooLong { needed, .. }) if needed == usize::MAX => {
                return Err(LlmError::Template(render(messages).err().unwrap_or(TemplateError::TooLong)));
            }
            Err(err) => return Err(LlmError::Context(err)),
        };
        let text = render(&fitted).map_err(LlmError::Template)?;
        Ok(Prompt {
            ids: tokenizer.encode_prompt(&text),
            dropped_messages: messages.len() - fitted.len(),
            template_fallback: fallback.map(|e| e.to_string()),
        })
    }
}
