//! Prints the logits a model gives after a list of token ids, one per line:
//! `cargo run -p nook-llm --example logits -- MODEL.gguf 1,2,3 > logits.txt`
//! (for comparing with another runtime, number by number).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(model), Some(ids)) = (args.first(), args.get(1)) else {
        eprintln!("usage: logits MODEL.gguf ID,ID,...");
        std::process::exit(2);
    };
    let ids: Vec<u32> = ids.split(',').map(str::parse).collect::<Result<_, _>>()?;
    let mut model = nook_llm::Model::load(model.as_ref())?;
    for logit in model.forward(&ids)? {
        println!("{logit}");
    }
    Ok(())
}
