//! Nook's shared vocabulary: the types every engine crate speaks (files, chunks,
//! hits, filters) and the pure algorithms on them (rank fusion, date parsing).
//!
//! This crate does no I/O and links no heavy dependency, so everything in it is
//! tested in seconds. The store, the embedder and the indexer all depend on it;
//! it depends on none of them.

pub mod date;
pub mod eta;
pub mod filter;
pub mod folders;
pub mod fusion;
pub mod kind;
pub mod record;
pub mod snippet;

pub use filter::SearchFilter;
pub use fusion::{group_by_file, reciprocal_rank_fusion, ChunkHit, FileHit};
pub use kind::FileKind;
pub use record::{Chunk, FileRecord, FileStatus};
