//! Shows how a GGUF model's vocabulary tokenizes a text:
//! `cargo run -p nook-chat --example tokenize -- MODEL.gguf "some text" [--special]`
//! prints each token id with its text.

use nook_chat::{Tokenizer, VocabSpec};
use nook_gguf::Gguf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(model), Some(text)) = (args.first(), args.get(1)) else {
        eprintln!("usage: tokenize MODEL.gguf TEXT [--special]");
        std::process::exit(2);
    };
    let special = args.iter().any(|a| a == "--special");
    let started = std::time::Instant::now();
    let gguf = Gguf::open(model.as_ref())?;
    let tokenizer = Tokenizer::new(VocabSpec::from_gguf(&gguf.metadata)?)?;
    eprintln!("{} tokens in the vocabulary, loaded in {:?}", tokenizer.vocab_size(), started.elapsed());
    let ids = tokenizer.encode(text, special, special);
    for id in &ids {
        println!("{id:>7}  {:?}", tokenizer.token_text(*id).unwrap_or("?"));
    }
    println!("{ids:?}");
    Ok(())
}
