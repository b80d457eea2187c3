//! Writes every intermediate result of one forward pass, under llama.cpp's
//! names, as raw little-endian f32 files `DIR/NAME.f32`:
//! `cargo run -p nook-llm --example trace -- MODEL.gguf 1,2,3 DIR`
//! (compare with llama.cpp's eval callback to find where two runtimes part).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(model), Some(ids), Some(dir)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: trace MODEL.gguf ID,ID,... DIR");
        std::process::exit(2);
    };
    let ids: Vec<u32> = ids.split(',').map(str::parse).collect::<Result<_, _>>()?;
    std::fs::create_dir_all(dir)?;
    let mut model = nook_llm::Model::load(model.as_ref())?;
    let mut failure = None;
    model.forward_traced(&ids, &mut |name, values| {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        if let Err(e) = std::fs::write(std::path::Path::new(dir).join(format!("{name}.f32")), bytes) {
            failure.get_or_insert(e);
        }
    })?;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
