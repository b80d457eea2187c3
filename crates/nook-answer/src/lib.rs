//! Answers read out of the passages of the user's files, and generated
//! answers checked against them. Pure text logic: no model, no IO. The
//! engine supplies what only a model can give — the similarity in meaning
//! between the question (or a generated sentence) and each piece of text —
//! and this crate decides what answers and what is supported.
//!
//! - [`units`]: passages cut into the pieces an answer can be: sentences of
//!   prose, lines of code, rows of tables, each with its byte span and lines.
//! - [`question`]: what kind of answer a question expects (a number, a
//!   command, a name) and the words it asks about.
//! - [`copying`]: the numbers a generated answer may write, those of the
//!   passages, checked token by token while the model writes.
//! - [`extract`]: the piece that answers best, scored from meaning, shared
//!   words and the kind of answer; passages reranked by their best piece.
//! - [`scope`]: the files a question names ("in lease.pdf", "tower's
//!   MSRV"), whose passages come first.
//! - [`summary`]: requests for a whole file's gist, the file's chunks
//!   joined into parts a model reads at once, and its key points.
//! - [`support`]: a generated answer cut into sentences, each checked
//!   against the passages; citations that do not support their sentence are
//!   dropped, and the passage that does is cited instead.

pub mod copying;
pub mod extract;
pub mod question;
pub mod scope;
pub mod summary;
pub mod support;
pub mod units;
mod words;

pub use copying::Copying;
pub use extract::{extract, rank_passages, Extraction, PieceScore, Weights};
pub use question::{search_text, Expect, Question};
pub use scope::{name_probes, named_among, names_file, names_said};
pub use summary::{asks_for_summary, key_points, parts, Part};
pub use support::{check_answer, render, sentences, CheckedSentence, Support};
pub use units::{units, Unit};
