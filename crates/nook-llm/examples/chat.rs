//! Answers one message with a model, as the assistant would (greedy, repeat
//! penalty 1.1): `cargo run -p nook-llm --example chat -- MODEL.gguf SYSTEM USER`
//! (for trying prompts by hand; an empty SYSTEM sends none).

use std::sync::atomic::AtomicBool;

use nook_chat::{Message, SamplingParams};
use nook_llm::{Generation, Model};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, system, user] = &args[..] else {
        eprintln!("usage: chat MODEL.gguf SYSTEM USER");
        std::process::exit(2);
    };
    let mut model = Model::load(model.as_ref())?;
    let mut messages = Vec::new();
    if !system.is_empty() {
        messages.push(Message::new("system", system.as_str()));
    }
    messages.push(Message::new("user", user.as_str()));
    let prompt = model.chat_prompt(&messages, 300)?;
    let sampling = SamplingParams { repeat_penalty: 1.1, repeat_last_n: 64, ..SamplingParams::greedy() };
    let generation = Generation { sampling, max_tokens: 300, stop: Vec::new() };
    let answer = model.generate(&prompt.ids, &generation, &AtomicBool::new(false), |_| {})?;
    println!("{}\n({:?}, {} prompt tokens)", answer.text, answer.finish, prompt.ids.len());
    Ok(())
}
