//! Chat templates: a conversation turned into the one prompt text a model
//! was trained on. A GGUF file usually carries its template
//! (`tokenizer.chat_template`, Jinja as Hugging Face writes it), rendered
//! here with minijinja with a bounded amount of work; a file without one, or
//! with one that fails, gets the built-in template of its family.

use minijinja::syntax::SyntaxConfig;
use minijinja::{context, Environment, Error, ErrorKind, Value};

/// Template instructions one render may run: far more than any real chat
/// template needs, few enough that a template that loops stops at once.
const FUEL: u64 = 2_000_000;
/// The longest prompt text a render may produce.
const MAX_PROMPT_BYTES: usize = 4 << 20;

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// "system", "user" or "assistant".
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn new(role: &str, content: impl Into<String>) -> Message {
        Message { role: role.to_string(), content: content.into() }
    }
}

/// The prompt formats Nook knows without a template from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `<|im_start|>role … <|im_end|>`: SmolLM, Qwen.
    ChatMl,
    /// `<|start_header_id|>role<|end_header_id|>`: Llama 3.
    Llama3,
    /// `[INST] … [/INST]`: Mistral, Llama 2.
    Mistral,
    /// `<start_of_turn>user … <end_of_turn>`: Gemma.
    Gemma,
    /// `<|user|> … <|end|>`: Phi-3.
    Phi3,
    /// "User: … / Assistant:", for a vocabulary with no chat markup.
    Plain,
}

impl Family {
    /// The family of a model: from the chat markup its vocabulary has, then
    /// from its architecture.
    pub fn detect(architecture: &str, has_token: impl Fn(&str) -> bool) -> Family {
        if has_token("<|im_start|>") {
            Family::ChatMl
        } else if has_token("<|start_header_id|>") {
            Family::Llama3
        } else if has_token("<start_of_turn>") {
            Family::Gemma
        } else if has_token("<|user|>") {
            Family::Phi3
        } else if has_token("[INST]") {
            Family::Mistral
        } else {
            match architecture {
                "qwen2" | "qwen3" => Family::ChatMl,
                "gemma" | "gemma2" | "gemma3" => Family::Gemma,
                "phi3" => Family::Phi3,
                _ => Family::Plain,
            }
        }
    }

    fn source(self) -> &'static str {
        match self {
            Family::ChatMl => {
                "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}\
                 {% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
            }
            Family::Llama3 => {
                "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m.role }}<|end_header_id|>\n\n\
                 {{ m.content | trim }}<|eot_id|>{% endfor %}\
                 {% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
            }
            Family::Mistral => {
                "{{ bos_token }}{% set system = namespace(text='') %}{% for m in messages %}\
                 {% if m.role == 'system' %}{% set system.text = m.content + '\n\n' %}\
                 {% elif m.role == 'user' %}[INST] {{ system.text }}{{ m.content }} [/INST]{% set system.text = '' %}\
                 {% else %}{{ m.content }}{{ eos_token }}{% endif %}{% endfor %}"
            }
            Family::Gemma => {
                "{{ bos_token }}{% set system = namespace(text='') %}{% for m in messages %}\
                 {% if m.role == 'system' %}{% set system.text = m.content + '\n\n' %}\
                 {% else %}<start_of_turn>{{ 'model' if m.role == 'assistant' else m.role }}\n\
                 {{ system.text }}{{ m.content | trim }}<end_of_turn>\n{% set system.text = '' %}{% endif %}{% endfor %}\
                 {% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
            }
            Family::Phi3 => {
                "{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}<|end|>\n{% endfor %}\
                 {% if add_generation_prompt %}<|assistant|>\n{% endif %}"
            }
            Family::Plain => {
                "{% for m in messages %}{{ m.role | capitalize }}: {{ m.content }}\n\n{% endfor %}\
                 {% if add_generation_prompt %}Assistant:{% endif %}"
            }
        }
    }
}

/// Why a template could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the chat template has a syntax error: {0}")]
    Syntax(String),
    #[error("the chat template failed: {0}")]
    Render(String),
    #[error("the chat template ran too long (it may loop)")]
    TooLong,
    #[error("the chat template produced more than {} MB", MAX_PROMPT_BYTES >> 20)]
    TooBig,
}

/// A chat template ready to render.
#[derive(Debug)]
pub struct ChatTemplate {
    env: Environment<'static>,
    builtin: Option<Family>,
}

impl ChatTemplate {
    /// The template `source` (Hugging Face Jinja).
    pub fn new(source: &str) -> Result<ChatTemplate, TemplateError> {
        let mut env = Environment::new();
        let syntax = SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build().expect("default delimiters are valid");
        env.set_syntax(syntax);
        env.set_fuel(Some(FUEL));
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        env.add_function("raise_exception", |message: String| -> Result<Value, Error> {
            Err(Error::new(ErrorKind::InvalidOperation, message))
        });
        env.add_function("strftime_now", strftime_now);
        env.add_template_owned("chat", source.to_string()).map_err(|e| TemplateError::Syntax(describe(&e)))?;
        Ok(ChatTemplate { env, builtin: None })
    }

    /// The built-in template of `family`.
    pub fn builtin(family: Family) -> ChatTemplate {
        let mut template = ChatTemplate::new(family.source()).expect("built-in templates parse (tested)");
        template.builtin = Some(family);
        template
    }

    /// The template for a model: the file's own when it renders a sample
    /// conversation, else the family's built-in one, with the reason.
    pub fn for_model(file_template: Option<&str>, family: Family) -> (ChatTemplate, Option<TemplateError>) {
        let Some(source) = file_template else {
            return (ChatTemplate::builtin(family), None);
        };
        let sample = [
            Message::new("system", "You answer briefly."),
            Message::new("user", "Hello?"),
            Message::new("assistant", "Hi."),
            Message::new("user", "Which files mention taxes?"),
        ];
        let tried = ChatTemplate::new(source).and_then(|t| t.render(&sample, true, "<s>", "</s>").map(|_| t));
        match tried {
            Ok(template) => (template, None),
            Err(err) => (ChatTemplate::builtin(family), Some(err)),
        }
    }

    /// The family whose built-in template this is; `None` for the file's.
    pub fn builtin_family(&self) -> Option<Family> {
        self.builtin
    }

    /// The prompt for `messages`; `add_generation_prompt` ends it where the
    /// assistant's answer starts.
    pub fn render(&self, messages: &[Message], add_generation_prompt: bool, bos_token: &str, eos_token: &str) -> Result<String, TemplateError> {
        let messages: Vec<Value> = messages.iter().map(|m| context! { role => m.role.as_str(), content => m.content.as_str() }).collect();
        let template = self.env.get_template("chat").map_err(|e| TemplateError::Render(describe(&e)))?;
        let ctx = context! { messages, add_generation_prompt, bos_token, eos_token };
        let prompt = template.render(ctx).map_err(|e| match e.kind() {
            ErrorKind::OutOfFuel => TemplateError::TooLong,
            _ => TemplateError::Render(describe(&e)),
        })?;
        if prompt.len() > MAX_PROMPT_BYTES {
            return Err(TemplateError::TooBig);
        }
        Ok(prompt)
    }
}

/// An error's message with its cause, on one line.
fn describe(err: &Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `strftime_now(format)`, which some templates call for today's date. Only
/// the date fields templates use are supported; it reads the UTC clock.
fn strftime_now(format: String) -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&year.to_string()),
            Some('m') => out.push_str(&format!("{month:02}")),
            Some('d') => out.push_str(&format!("{day:02}")),
            Some('B') => out.push_str(MONTHS[(month - 1) as usize]),
            Some('b') => out.push_str(&MONTHS[(month - 1) as usize][..3]),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SmolLM2-135M-Instruct's template, verbatim from its GGUF file.
    const SMOLLM2: &str = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    fn chat() -> Vec<Message> {
        vec![Message::new("user", "Hi")]
    }

    #[test]
    fn a_file_template_renders_as_hugging_face_does() {
        let template = ChatTemplate::new(SMOLLM2).unwrap();
        assert_eq!(
            template.render(&chat(), true, "", "").unwrap(),
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }

    #[test]
    fn python_string_methods_and_raise_exception_work() {
        let source = "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with the user') }}{% endif %}\
                      {{ messages[0].content.strip().upper() }}";
        let template = ChatTemplate::new(source).unwrap();
        assert_eq!(template.render(&[Message::new("user", "  hi  ")], false, "", "").unwrap(), "HI");
        let err = template.render(&[Message::new("assistant", "x")], false, "", "").unwrap_err();
        assert!(err.to_string().contains("Conversation must start with the user"), "{err}");
    }

    #[test]
    fn a_template_that_loops_is_stopped() {
        let source = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
        let template = ChatTemplate::new(source).unwrap();
        assert_eq!(template.render(&chat(), true, "", ""), Err(TemplateError::TooLong));
    }

    #[test]
    fn a_broken_template_falls_back_to_the_family_s() {
        let (template, why) = ChatTemplate::for_model(Some("{% for m in messages %}"), Family::ChatMl);
        assert!(matches!(why, Some(TemplateError::Syntax(_))), "{why:?}");
        assert_eq!(template.builtin_family(), Some(Family::ChatMl));
        let (template, why) = ChatTemplate::for_model(Some("{{ raise_exception('no system role') }}"), Family::Gemma);
        assert!(matches!(why, Some(TemplateError::Render(_))), "{why:?}");
        assert_eq!(template.builtin_family(), Some(Family::Gemma));
        let (template, why) = ChatTemplate::for_model(Some(SMOLLM2), Family::Plain);
        assert_eq!((template.builtin_family(), why), (None, None));
    }

    #[test]
    fn built_in_templates_render_a_whole_conversation() {
        let messages = [
            Message::new("system", "Be brief."),
            Message::new("user", "Hello"),
            Message::new("assistant", "Hi."),
            Message::new("user", "Bye"),
        ];
        let render = |f| ChatTemplate::builtin(f).render(&messages, true, "<bos>", "<eos>").unwrap();
        assert_eq!(
            render(Family::Gemma),
            "<bos><start_of_turn>user\nBe brief.\n\nHello<end_of_turn>\n<start_of_turn>model\nHi.<end_of_turn>\n<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n"
        );
        assert_eq!(
            render(Family::ChatMl),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n"
        );
        assert_eq!(render(Family::Mistral), "<bos>[INST] Be brief.\n\nHello [/INST]Hi.<eos>[INST] Bye [/INST]");
        for family in [Family::Llama3, Family::Phi3, Family::Plain] {
            let prompt = render(family);
            assert!(prompt.contains("Be brief.") && prompt.contains("Bye"), "{family:?}: {prompt}");
        }
    }

    #[test]
    fn the_family_comes_from_the_vocabulary_first() {
        assert_eq!(Family::detect("llama", |t| t == "<|im_start|>"), Family::ChatMl);
        assert_eq!(Family::detect("llama", |t| t == "<|start_header_id|>"), Family::Llama3);
        assert_eq!(Family::detect("gemma3", |_| false), Family::Gemma);
        assert_eq!(Family::detect("llama", |_| false), Family::Plain);
    }

    #[test]
    fn strftime_now_knows_the_date_fields() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_594), (2026, 5, 21));
        let today = strftime_now("%d %B %Y".into());
        assert_eq!(today.split(' ').count(), 3, "{today}");
    }
}
