//! `nook do`, `nook activity` and `nook undo`: a request becomes a plan
//! shown in full on the terminal, and runs only after the person types yes
//! (and, for a big batch, the number of files too).

use std::io::{BufRead, Write};

use anyhow::Result;
use nook_engine::{ActRequest, ActivityItem, Engine, Outcome, Proposed, Settings};
use serde_json::json;

/// Shows the plan for `request`, asks, and runs it on yes. Where the
/// words fit other files as well, they are listed by number: typing one
/// plans for that file instead.
pub async fn run_request(engine: &Engine, settings: &Settings, request: String, json: bool) -> Result<()> {
    let mut act = ActRequest { request, ..ActRequest::default() };
    let (proposed, answer) = loop {
        let proposed = engine.propose(&act, settings).await?;
        print_proposal(&proposed);
        let action = if proposed.proposal.plan.actions.len() == 1 { "this" } else { "all of this" };
        let others = if proposed.instead.is_empty() { String::new() } else { ", or the number of another file".to_string() };
        let answer = ask(&format!("Do {action}? [y/N{others}] "))?;
        let chosen = answer.as_deref().and_then(|a| a.parse::<usize>().ok()).and_then(|n| n.checked_sub(1)).and_then(|n| proposed.instead.get(n));
        match chosen {
            Some(choice) => {
                engine.cancel(&proposed.proposal.plan.id)?;
                act.meant.retain(|m| m.phrase != choice.phrase);
                act.meant.push(choice.clone());
                eprintln!();
            }
            None => break (proposed, answer),
        }
    };
    let plan_id = proposed.proposal.plan.id.clone();
    let yes = answer.is_some_and(|answer| matches!(answer.to_lowercase().as_str(), "y" | "yes"));
    let twice = if yes && proposed.proposal.confirm_twice {
        let changes = proposed.proposal.changes;
        let typed = ask(&format!("This changes {changes} files. Type {changes} to confirm: "))?;
        typed.as_deref() == Some(changes.to_string().as_str())
    } else {
        yes
    };
    if !yes || !twice {
        engine.cancel(&plan_id)?;
        eprintln!("Cancelled: nothing was changed.");
        if json {
            println!("{}", serde_json::to_string_pretty(&json!({ "proposal": proposed, "cancelled": true }))?);
        }
        return Ok(());
    }
    let outcome = engine.execute(&plan_id, &proposed.proposal.token.0, proposed.proposal.confirm_twice)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&json!({ "proposal": proposed, "outcome": outcome }))?);
    } else {
        print_outcome(&outcome);
    }
    if outcome.done.is_empty() {
        anyhow::bail!("nothing was done");
    }
    Ok(())
}

/// A line typed on the terminal; `None` at the end of input.
fn ask(prompt: &str) -> Result<Option<String>> {
    eprint!("{prompt}");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        eprintln!();
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

fn print_proposal(p: &Proposed) {
    let plan = &p.proposal.plan;
    eprintln!("Request: {}", plan.request);
    if p.read_by == nook_engine::ReadBy::Model {
        eprintln!("(what to do was chosen by the on-device model; check it)");
    }
    if let Some(search) = &p.search {
        let mut parts: Vec<String> = Vec::new();
        if !search.text.trim().is_empty() {
            parts.push(format!("words “{}”", search.text.trim()));
        }
        parts.extend(search.chips().iter().map(|c| format!("{} {} ({})", c.field, c.label, c.detail)));
        eprintln!("Files found by: {}", parts.join(" · "));
    }
    eprintln!();
    for (n, effect) in p.proposal.effects.iter().enumerate() {
        eprintln!("{:>4}. {} {}", n + 1, effect.verb, effect.detail);
        if let Some(conflict) = &effect.conflict {
            eprintln!("      ! {conflict}");
        }
    }
    eprintln!();
    for note in &p.notes {
        eprintln!("Note: {note}.");
    }
    if !p.instead.is_empty() {
        eprintln!("Or did you mean:");
        for (n, other) in p.instead.iter().enumerate() {
            eprintln!("{:>4}) {}", n + 1, other.path.display());
        }
    }
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut summary = vec![count(plan.actions.len(), "action", "actions")];
    if p.proposal.changes > 0 {
        summary.push(count(p.proposal.changes, "file change", "file changes"));
    }
    if p.proposal.conflicts > 0 {
        summary.push(count(p.proposal.conflicts, "conflict (skipped)", "conflicts (skipped)"));
    }
    eprintln!("{}.", summary.join(", "));
}

fn print_outcome(outcome: &Outcome) {
    for done in &outcome.done {
        println!("Done: {} {}", done.effect.verb, done.effect.detail);
    }
    for failed in &outcome.failed {
        println!("Not done: {} {}: {}", failed.effect.verb, failed.effect.detail, failed.reason);
    }
    if outcome.done.iter().any(|d| d.undoable) {
        println!("Undo with: nook undo {}", outcome.plan_id);
    }
}

/// Every applied action, newest first, grouped by plan.
pub fn print_activity(items: &[ActivityItem]) {
    if items.is_empty() {
        println!("Nothing has been done yet. Ask with: nook do \"move the screenshots from last week into Pictures/Screenshots\"");
        return;
    }
    let mut plan = "";
    for item in items {
        if item.plan_id != plan {
            plan = &item.plan_id;
            let when = chrono::DateTime::from_timestamp_millis(item.applied_ms)
                .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            println!("{plan}  {when}  “{}”", item.request);
        }
        let state = match (&item.cannot_undo, item.undone) {
            (_, true) => " (undone)".to_string(),
            _ if item.unfinished => " (interrupted: Nook stopped while doing it; Undo checks what happened)".to_string(),
            (Some(why), _) => format!(" (cannot be undone: {why})"),
            _ => String::new(),
        };
        println!("  {}  {} {}{state}", item.id, item.effect.verb, item.effect.detail);
    }
}

pub fn print_undone(undone: &[ActivityItem]) {
    for item in undone {
        println!("Undone: {} {}", item.effect.verb, item.effect.detail);
    }
}
