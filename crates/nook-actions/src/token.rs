//! Single-use confirmation tokens. A token is issued when a plan is shown
//! for confirmation, bound to the plan's id and to a digest of everything it
//! would do (a keyed hash with a secret that never leaves the process), and
//! is spent by the first attempt to run it: a replayed token, a token for
//! another plan, or a plan altered after it was shown is refused.

use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::ActionPlan;

/// What the confirmation hands back to run a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Token(pub String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("plan {0} has no confirmation waiting (it was run, cancelled or never shown); ask again to see it")]
    NotIssued(String),
    #[error("plan {0} is not the plan that was confirmed; nothing was done; ask again to see what would happen")]
    Altered(String),
}

/// The tokens issued and not yet spent.
pub struct Tokens {
    secret: [u8; 32],
    waiting: Mutex<HashMap<String, String>>,
}

impl Tokens {
    /// With a secret from the system's random source.
    pub fn new() -> io::Result<Tokens> {
        let mut secret = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut secret)?;
        Ok(Tokens::with_secret(secret))
    }

    pub fn with_secret(secret: [u8; 32]) -> Tokens {
        Tokens { secret, waiting: Mutex::new(HashMap::new()) }
    }

    fn token_for(&self, plan: &ActionPlan) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&self.secret);
        hasher.update(plan.id.as_bytes());
        hasher.update(&[0]);
        hasher.update(&plan.digest());
        hasher.finalize().to_hex().to_string()
    }

    /// The token that will run `plan` once, replacing any earlier one for
    /// the same id.
    pub fn issue(&self, plan: &ActionPlan) -> Token {
        let token = self.token_for(plan);
        self.lock().insert(plan.id.clone(), token.clone());
        Token(token)
    }

    /// Spends the token of `plan`: Ok only when it was issued for exactly
    /// this plan and not spent. Any attempt spends it.
    pub fn redeem(&self, plan: &ActionPlan, token: &Token) -> Result<(), TokenError> {
        let Some(issued) = self.lock().remove(&plan.id) else {
            return Err(TokenError::NotIssued(plan.id.clone()));
        };
        let expected = self.token_for(plan);
        if constant_time_eq(issued.as_bytes(), token.0.as_bytes()) && constant_time_eq(expected.as_bytes(), token.0.as_bytes()) {
            Ok(())
        } else {
            Err(TokenError::Altered(plan.id.clone()))
        }
    }

    /// Forgets the token of a plan the person cancelled.
    pub fn cancel(&self, plan_id: &str) {
        self.lock().remove(plan_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.waiting.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    fn plan(to: &str) -> ActionPlan {
        ActionPlan { id: "p1".into(), request: "move a".into(), actions: vec![Action::Move { from: "/h/a".into(), to: to.into() }] }
    }

    #[test]
    fn a_token_runs_its_plan_once() {
        let tokens = Tokens::new().unwrap();
        let token = tokens.issue(&plan("/h/b/a"));
        assert_eq!(tokens.redeem(&plan("/h/b/a"), &token), Ok(()));
        assert_eq!(tokens.redeem(&plan("/h/b/a"), &token), Err(TokenError::NotIssued("p1".into())), "replayed");
    }

    #[test]
    fn an_altered_plan_or_a_forged_token_is_refused_and_spends_the_token() {
        let tokens = Tokens::with_secret([7; 32]);
        let token = tokens.issue(&plan("/h/b/a"));
        assert_eq!(tokens.redeem(&plan("/etc/a"), &token), Err(TokenError::Altered("p1".into())));
        assert_eq!(tokens.redeem(&plan("/h/b/a"), &token), Err(TokenError::NotIssued("p1".into())));

        let token = tokens.issue(&plan("/h/b/a"));
        let mut forged = token.clone();
        forged.0.replace_range(0..1, if forged.0.starts_with('0') { "1" } else { "0" });
        assert_eq!(tokens.redeem(&plan("/h/b/a"), &forged), Err(TokenError::Altered("p1".into())));
        let other = Tokens::with_secret([8; 32]);
        assert_eq!(other.redeem(&plan("/h/b/a"), &token), Err(TokenError::NotIssued("p1".into())));
    }

    #[test]
    fn a_cancelled_plan_cannot_run() {
        let tokens = Tokens::with_secret([1; 32]);
        let token = tokens.issue(&plan("/h/b/a"));
        tokens.cancel("p1");
        assert!(tokens.redeem(&plan("/h/b/a"), &token).is_err());
    }
}
