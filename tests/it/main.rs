//! Nook's integration tests, one module per capability, each written as a
//! specification: what a person does, what Nook must do. They use the real
//! default models, a real LanceDB index on disk and the real `nook` binary.

mod act_eval;
mod actions;
mod ask;
mod bad_input;
mod cli;
mod documents;
mod embedding;
mod eval;
mod find;
mod indexing;
mod library;
mod models;
mod request_eval;
mod search;
mod watch;
