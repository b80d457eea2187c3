//! Nook's actions: what it may do on the user's computer, and the rules
//! that keep it from doing anything the user has not seen and confirmed.
//!
//! - [`Action`]: the typed actions (open, reveal, create a folder, move,
//!   copy, rename, move to the trash, launch an application, open a
//!   terminal, run an allowed program). There is no delete.
//! - [`safety`]: where actions may touch: inside the folders the user
//!   granted, never a system location, with paths checked as written and
//!   again, resolved, when the action runs.
//! - [`token`]: a plan runs only with the single-use token issued for
//!   exactly its content.
//! - [`trash`]: the freedesktop.org trash, restorable by Nook and by the
//!   file manager.
//! - [`journal`]: applied actions with how to undo each, durable line by
//!   line.
//! - [`apply`]: the changes to files applied and undone, paths resolved
//!   again right before, nothing overwritten.
//!
//! Issue 7, in progress: planning from requests, the desktop's programs
//! and the confirmation flow come next.

pub mod action;
pub mod apply;
pub mod apps;
pub mod desktop;
pub mod executor;
pub mod journal;
pub mod phrasing;
pub mod request;
pub mod safety;
pub mod token;
pub mod trash;

pub use action::{Action, ActionPlan, Effect};
pub use safety::{Grants, SafetyError};
pub use token::{Token, TokenError, Tokens};
