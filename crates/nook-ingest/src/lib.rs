//! From a folder on disk to chunks of text: walking with Nook's rules,
//! reading and decoding files, and cutting text into embeddable chunks.
//!
//! - [`rules`] decides, from names and first bytes alone, what Nook must not
//!   read (hidden, excluded, secret, binary, too large). Pure.
//! - [`walk`] walks a folder with those rules and `.gitignore`, and reports
//!   every file it keeps or skips, with the reason.
//! - [`extract`] turns a file's bytes into text whose lines are the file's
//!   lines, so citations point at the right place.
//! - [`chunk`] cuts text into pieces of about 200 embedding tokens. Pure.

pub mod chunk;
pub mod extract;
pub mod rules;
pub mod walk;

pub use chunk::{chunk_text, ChunkParams};
pub use extract::{content_hash, extract, read_file, Extracted, ReadError};
pub use rules::SkipReason;
pub use walk::{walk, walk_within, Entry, WalkOptions};
