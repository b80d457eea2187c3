//! The on-device model's part in planning: what the rules saw but could not
//! read (`Plan::unread`: "photos from oktoberfest", "photoshop files") is put
//! to the planning model as a question with a closed set of answers, scored
//! by likelihood (`Model::score_answers`), so that what it fills in is a
//! valid plan whatever it makes of the question. When no model is
//! available, the words stay among those searched and a note says so.

use std::sync::{Mutex, MutexGuard};

use nook_chat::Message;
use nook_llm::Model;
use nook_plan::{Context, Field, Plan, KIND_ANSWERS};
use tokio::task::block_in_place;

use crate::settings::Settings;
use crate::{models, Engine, Result};

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// How far the chosen answer must lead every other, in calibrated mean
/// log-probability per token; below it the model is taken as not knowing.
const MARGIN: f32 = 0.5;

/// The answer that declines: not a time of year, not a kind of file. It is
/// the last answer of every question.
const NONE: &str = "none";

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// Fills in what the rules could not read with the planning model's
    /// answers; the parts it declines, or all of them when it cannot run,
    /// stay words to search.
    pub(crate) fn guess(&self, plan: &mut Plan, context: &Context, settings: &Settings) {
        let hints = std::mem::take(&mut plan.unread);
        if hints.is_empty() {
            return;
        }
        let answered = models::chat_model_file(self.paths(), settings, "plan").and_then(|file| {
            block_in_place(|| {
                let model = self.chat.get(&file, &mut |_| {})?;
                let mut model = lock(&model);
                for hint in &hints {
                    match hint.field {
                        Field::Dates => {
                            let question = |subject: &str| {
                                format!("In which month of the year is {subject}? Answer with the name of the month, or \"{NONE}\" if it is not a time of year.")
                            };
                            let answers: Vec<&str> = MONTHS.iter().copied().chain([NONE]).collect();
                            let best = choose(&mut model, &question(&hint.phrase), &question("it"), &answers)?;
                            if best < MONTHS.len() {
                                plan.fill_month(hint, best as u32 + 1, context);
                            } else {
                                plan.notes.push(declined(&hint.phrase));
                            }
                        }
                        Field::Kinds => {
                            let names: Vec<&str> = KIND_ANSWERS.iter().map(|(name, _)| *name).collect();
                            let question = |subject: &str| {
                                format!("What kind of file are {subject}? Answer with one word: {}, or \"{NONE}\".", names.join(", "))
                            };
                            let answers: Vec<&str> = names.iter().copied().chain([NONE]).collect();
                            let best = choose(&mut model, &question(&hint.phrase), &question("these files"), &answers)?;
                            if best < names.len() {
                                plan.fill_kind(hint, names[best]);
                            } else {
                                plan.notes.push(declined(&hint.phrase));
                            }
                        }
                        _ => {}
                    }
                }
                Ok(())
            })
        });
        if let Err(err) = answered {
            let phrases: Vec<String> = hints.iter().map(|h| format!("“{}”", h.phrase)).collect();
            plan.notes.push(format!("{} searched as words: the on-device model could not read them ({err})", phrases.join(" and ")));
        }
    }
}

fn declined(phrase: &str) -> String {
    format!("“{phrase}” is searched as words: the on-device model could not tell what it means as a filter")
}

/// The index of the answer to `question` that the model favours most over
/// what it answers when the subject is left out (`neutral`): a small model
/// leans to some answers whatever it is asked, and that lean is taken off
/// (contextual calibration). The last answer (none) when no answer leads
/// the others by [`MARGIN`].
pub(crate) fn choose(model: &mut Model, question: &str, neutral: &str, answers: &[&str]) -> Result<usize> {
    choose_as(model, SYSTEM, question, neutral, answers)
}

const SYSTEM: &str = "You answer questions about dates and files with a single word.";

/// [`choose`] with another system message.
pub(crate) fn choose_as(model: &mut Model, system: &str, question: &str, neutral: &str, answers: &[&str]) -> Result<usize> {
    let asked = score(model, system, question, answers)?;
    let prior = score(model, system, neutral, answers)?;
    let calibrated: Vec<f32> = asked.iter().zip(&prior).map(|(a, p)| a - p).collect();
    let mut order: Vec<usize> = (0..answers.len()).collect();
    order.sort_by(|&a, &b| calibrated[b].total_cmp(&calibrated[a]));
    // A lead too small to tell from the model's noise is no answer.
    match order[..] {
        [best, second, ..] if calibrated[best] - calibrated[second] >= MARGIN => Ok(best),
        _ => Ok(answers.len() - 1),
    }
}

fn score(model: &mut Model, system: &str, question: &str, answers: &[&str]) -> Result<Vec<f32>> {
    let messages = [
        Message::new("system", system),
        Message::new("user", question),
    ];
    let prompt = model.chat_prompt(&messages, 8)?;
    let tokens: Vec<Vec<u32>> = answers.iter().map(|a| model.tokenizer().encode(a, false, false)).collect();
    Ok(model.score_answers(&prompt.ids, &tokens)?)
}
