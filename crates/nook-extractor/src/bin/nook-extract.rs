//! Nook's document reader, run by Nook itself as a separate process with
//! limited memory and CPU time. It speaks the pipe protocol of
//! `nook_extractor::protocol` on standard input and output; there is no
//! reason to run it by hand.

fn main() {
    if std::env::args_os().len() > 1 {
        eprintln!("nook-extract reads documents for Nook over a pipe; it takes no arguments and is not meant to be run by hand");
        std::process::exit(2);
    }
    if let Err(e) = nook_extractor::worker::serve_stdio() {
        eprintln!("nook-extract: {e}");
        std::process::exit(1);
    }
}
