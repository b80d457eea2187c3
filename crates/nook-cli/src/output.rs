//! How the CLI shows things: progress bars, results, reports.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;

use nook_engine::library::LibraryEvent;
use nook_engine::{Answer, AskEvent, CheckedSentence, Conversation, ConversationSummary, Extract, FileHit, IndexReport, Progress, ScoredPiece, SourceRef, StatusReport, SummaryStage, Support, Why};
use serde_json::{json, Value};

/// A spinner while scanning, then a bar with ETA while indexing. Hidden when
/// stderr is not a terminal.
pub struct ProgressView {
    bar: ProgressBar,
    indexing: bool,
}

impl ProgressView {
    pub fn new() -> Self {
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} scanning: {pos} entries").expect("valid template"));
        bar.enable_steady_tick(Duration::from_millis(120));
        ProgressView { bar, indexing: false }
    }

    pub fn update(&mut self, progress: Progress) {
        match progress {
            Progress::Scanning { found } => self.bar.set_position(found as u64),
            Progress::Indexing { done, total, bytes_done, bytes_total } => {
                if !self.indexing {
                    self.indexing = true;
                    self.bar.set_style(
                        ProgressStyle::with_template(
                            "[{elapsed_precise}] {wide_bar} {pos}/{len} files · {msg} · ETA {eta}",
                        )
                        .expect("valid template"),
                    );
                    self.bar.set_length(total as u64);
                }
                self.bar.set_position(done as u64);
                self.bar.set_message(format!("{} of {}", mib(bytes_done), mib(bytes_total)));
            }
            Progress::Optimizing => {
                self.bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
                self.bar.set_message("updating search indexes…");
            }
        }
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub fn print_report(r: &IndexReport) {
    let secs = r.elapsed_ms as f64 / 1000.0;
    println!(
        "Indexed {}: {} files found, {} (re)indexed ({} chunks embedded), {} listed by name (videos, audio, archives), {} unchanged, {} touched but unchanged, \
         {} skipped, {} failed, {} removed, in {secs:.1} s.",
        r.root.display(),
        r.files_found,
        r.indexed,
        r.chunks_embedded,
        r.listed,
        r.unchanged,
        r.retimed,
        r.skipped,
        r.failed,
        r.removed
    );
    if r.skipped + r.failed > 0 {
        println!("Run `nook status` to see what was skipped or failed, and why.");
    }
}

fn date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The files a search found, then its notes.
pub fn print_found(found: &nook_engine::Found) {
    print_hits(&found.hits);
    for note in &found.notes {
        eprintln!("Note: {note}.");
    }
}

pub fn print_hits(hits: &[FileHit]) {
    if hits.is_empty() {
        println!("No matching files. Try other words, or index more folders with `nook index FOLDER`.");
        return;
    }
    for (i, hit) in hits.iter().enumerate() {
        let kind = hit.kind.map_or("file", |k| k.as_str());
        match &hit.section {
            _ if hit.snippet.is_empty() => println!("{:>2}. {}", i + 1, hit.path),
            Some(section) => println!("{:>2}. {} ({section})", i + 1, hit.path),
            None => println!("{:>2}. {}:{}-{}", i + 1, hit.path, hit.line_start, hit.line_end),
        }
        let size = hit.size.map(|s| format!(" · {}", nook_plan::human_size(s))).unwrap_or_default();
        let by_name = if hit.name_match { " · name matches" } else { "" };
        println!("    {kind}{size} · modified {}{by_name}", date(hit.modified_ms));
        if !hit.snippet.is_empty() {
            println!("    {}", hit.snippet);
        }
    }
}

/// Results of `nook search` as JSON: the plan, the files, the notes.
pub fn found_json(found: &nook_engine::Found) -> Value {
    let mut value = hits_json(&found.plan.request, &found.hits);
    value["plan"] = serde_json::to_value(&found.plan).unwrap_or(Value::Null);
    value["chips"] = serde_json::to_value(found.plan.chips()).unwrap_or(Value::Null);
    value["notes"] = json!(found.notes);
    value
}

pub fn hits_json(query: &str, hits: &[FileHit]) -> Value {
    let results: Vec<Value> = hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            json!({
                "rank": i + 1,
                "path": h.path,
                "kind": h.kind.map(|k| k.as_str()),
                "modified": chrono::DateTime::from_timestamp_millis(h.modified_ms).map(|d| d.to_rfc3339()),
                "modified_ms": h.modified_ms,
                "score": h.score,
                "line_start": h.line_start,
                "line_end": h.line_end,
                "section": h.section,
                "snippet": h.snippet,
                "size": h.size,
                "name_match": h.name_match,
            })
        })
        .collect();
    json!({ "query": query, "results": results })
}

/// One line per event worth a line: runs done, changes followed, notices
/// and failures; progress only on a terminal, in place.
pub fn print_library_event(event: &LibraryEvent) {
    use std::io::IsTerminal;
    match event {
        LibraryEvent::Progress { folder, done, total, eta_seconds, .. } if std::io::stderr().is_terminal() => {
            let left = eta_seconds.map(|s| format!(", about {s} s left")).unwrap_or_default();
            eprint!("\r{}: {done}/{total} files{left}   ", folder.display());
        }
        LibraryEvent::Indexed { report, .. } => {
            eprint!("\r");
            print_report(report);
        }
        LibraryEvent::Updated { folder, report } => println!(
            "{}: {} read, {} moved, {} removed, {} skipped, {} failed",
            folder.display(),
            report.indexed + report.retimed,
            report.reused,
            report.removed,
            report.skipped,
            report.failed
        ),
        LibraryEvent::Notice { message, .. } => println!("note: {message}"),
        LibraryEvent::Failed { folder, message } => eprintln!("nook: {}: {message}", folder.display()),
        _ => {}
    }
}

pub fn print_why(why: &Why) {
    let state = serde_json::to_value(why.state).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    println!("{}: {state}", why.path.display());
    println!("  {}", why.reason);
    if let Some(folder) = &why.folder {
        println!("  in the indexed folder {}", folder.display());
    }
}

pub fn print_status(s: &StatusReport, all: bool) {
    println!("Index:  {}", s.index_dir.display());
    println!("Model:  {}", s.model_dir.display());
    println!(
        "Files:  {} indexed, {} skipped, {} failed · {} chunks",
        s.files_indexed, s.files_skipped, s.files_failed, s.chunks
    );
    if s.files_indexed + s.files_skipped + s.files_failed == 0 {
        println!("Nothing is indexed yet. Add a folder with `nook index FOLDER`.");
        return;
    }
    if !s.problems.is_empty() {
        println!("\nSkipped or failed:");
        for p in &s.problems {
            println!("  {:<8} {}  — {}", p.status, p.path, p.reason);
        }
        let listed = s.problems.len();
        let total = s.files_skipped + s.files_failed;
        if !all && listed < total {
            println!("  … and {} more (`nook status --all` lists them all)", total - listed);
        }
    }
}

/// One paragraph per model: name and task, what it is, where it is or what
/// is wrong with it.
pub fn print_models(models: &[nook_engine::models::ModelSummary]) {
    for model in models {
        let mut facts = vec![model.task.clone()];
        facts.extend(model.architecture.clone());
        facts.extend(model.context_length.map(|n| format!("{n} tokens of context")));
        if model.size_bytes > 0 {
            facts.push(format!("{:.0} MB", model.size_bytes as f64 / 1e6));
        }
        println!("{}  ({})", model.name, facts.join(", "));
        if let Some(location) = &model.location {
            println!("    {}", location.display());
        }
        if !model.used_for.is_empty() {
            println!("    used for: {}", model.used_for.join(", "));
        }
        if let Some(o) = &model.outlook {
            let gb = |bytes: u64| format!("{:.1} GB", bytes as f64 / 1e9);
            match (o.fits, o.memory_free_bytes) {
                (Some(true), Some(free)) => println!("    fits: needs about {} of the {} free now", gb(o.memory_needed_bytes), gb(free)),
                (Some(false), Some(free)) => {
                    println!("    does not fit: needs about {} but only {} is free now; close other programs first", gb(o.memory_needed_bytes), gb(free))
                }
                _ => println!("    needs about {} of memory", gb(o.memory_needed_bytes)),
            }
            println!(
                "    speed: reads about {:.0} and writes about {:.1} tokens a second here (estimated from its size); a question with its passages (1,000 tokens) is read in about {:.0} s",
                o.read_tokens_per_second, o.write_tokens_per_second, o.seconds_to_read_1000_tokens
            );
            println!("    good for: {}", o.good_for);
        }
        if let Some(problem) = &model.problem {
            println!("    problem: {problem}");
        }
    }
}

/// An answer as it comes: loading and reading on a spinner (stderr), the
/// text streamed to stdout, then the sources.
pub struct AnswerView {
    stream: bool,
    bar: ProgressBar,
    /// The pieces as scored, with `--explain`.
    pub scored: Vec<ScoredPiece>,
    /// The tokens the model read and wrote, with `--explain`.
    pub generation: Option<Value>,
    /// Words of reasoning a thinking model wrote so far (shown collapsed:
    /// counted on the spinner, not printed).
    thought_words: usize,
}

/// Pieces shown by `nook ask --explain` (the JSON has them all).
const EXPLAINED: usize = 8;

/// How the best pieces of the passages were scored, and what of each.
fn print_scored(pieces: &[ScoredPiece]) {
    println!("How the passages' pieces scored (best first):");
    for piece in pieces.iter().take(EXPLAINED) {
        let first_line = piece.span.lines().next().unwrap_or("");
        let short: String = first_line.chars().take(70).collect();
        println!("  {:.3} {}:{}  {short}", piece.score, piece.path, piece.line_start);
        let parts: Vec<String> = piece.features.iter().filter(|(_, v)| *v != 0.0).map(|(name, v)| format!("{name} {v:.2}")).collect();
        println!("          {}", parts.join(", "));
    }
    println!();
}

/// The span that answers, shown before the model's answer: its file and
/// lines, then the span itself.
fn print_extract(extract: Option<&Extract>) {
    match extract {
        Some(e) => {
            let place = match &e.section {
                Some(section) => format!("{} ({section})", e.path),
                None if e.line_start == e.line_end => format!("{}:{}", e.path, e.line_start),
                None => format!("{}:{}-{}", e.path, e.line_start, e.line_end),
            };
            println!("From your files [{}] {place}:", e.source);
            for line in e.text.lines() {
                println!("  > {}", line.trim());
            }
            println!();
        }
        None => println!("No passage of your files answers this directly; the model's answer is checked against them.\n"),
    }
}

/// The key points of a file summarized, each with its lines, before the
/// model's summary.
fn print_key_points(points: &[Extract]) {
    let Some(first) = points.first() else {
        println!("No sentence of this file stands out as a key point.\n");
        return;
    };
    println!("Key points of {}:", first.path);
    for point in points {
        let place = match &point.section {
            Some(section) => section.clone(),
            None => format!("lines {}-{}", point.line_start, point.line_end),
        };
        println!("  - {} [{}] ({place})", point.text.split_whitespace().collect::<Vec<_>>().join(" "), point.source);
    }
    println!();
}

impl AnswerView {
    /// `stream`: show progress and text as they come (not for `--json`).
    pub fn new(stream: bool) -> Self {
        let bar = if stream { ProgressBar::new_spinner() } else { ProgressBar::hidden() };
        bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar.set_message("searching your files…");
        AnswerView { stream, bar, scored: Vec::new(), generation: None, thought_words: 0 }
    }

    pub fn event(&mut self, event: AskEvent) {
        match event {
            AskEvent::Sources(sources) => self.bar.set_message(format!("{} passages found", sources.len())),
            AskEvent::Extract(extract) => {
                if self.stream {
                    self.bar.suspend(|| print_extract(extract.as_ref()));
                }
            }
            AskEvent::Checked { .. } | AskEvent::Weighed(_) => {}
            AskEvent::Scored(pieces) => {
                if self.stream {
                    self.bar.suspend(|| print_scored(&pieces));
                }
                self.scored = pieces;
            }
            AskEvent::Summarizing { stage, done, total } => {
                let doing = match stage {
                    SummaryStage::Reading => "reading",
                    SummaryStage::Summarizing => "summarizing",
                };
                self.bar.set_message(format!("{doing} the file: {done} of {total} parts…"))
            }
            AskEvent::KeyPoints(points) => {
                if self.stream {
                    self.bar.suspend(|| print_key_points(&points));
                }
            }
            AskEvent::LoadingModel { model, progress } => self.bar.set_message(format!("loading {model}: {:.0}%", progress * 100.0)),
            AskEvent::Reading { tokens, reused: 0 } => self.bar.set_message(format!("reading {tokens} tokens…")),
            AskEvent::Reading { tokens, reused } => {
                self.bar.set_message(format!("reading {} new tokens ({reused} read before)…", tokens - reused))
            }
            AskEvent::Thinking(text) => {
                self.thought_words += text.split_whitespace().count();
                self.bar.set_message(format!("thinking… {} words", self.thought_words));
            }
            AskEvent::Generation { prompt, tokens, first_refused } => {
                self.generation = Some(json!({ "prompt_ids": prompt, "tokens": tokens, "first_refused": first_refused }));
            }
            AskEvent::Text(text) => {
                if !self.bar.is_finished() {
                    self.bar.finish_and_clear();
                }
                if self.stream {
                    print!("{text}");
                    std::io::stdout().flush().ok();
                }
            }
        }
    }

    pub fn finish(self, answer: &Answer) {
        self.bar.finish_and_clear();
        println!();
        print_check(&answer.turn.sentences);
        for note in &answer.turn.notes {
            println!("\nNote: {note}");
        }
        print_sources(&answer.turn.sources);
        if let Some(thinking) = &answer.turn.thinking {
            let words = thinking.split_whitespace().count();
            println!("(The model thought for {words} words before answering; `nook conversations show --json` has its reasoning.)");
        }
        if answer.turn.finish == "max_tokens" {
            println!("(The answer was cut at its length limit.)");
        }
        println!("Conversation {} · continue with: nook ask --conversation {} \"…\"", answer.conversation_id, answer.conversation_id);
    }
}

/// What the check of the answer found: the sentences no passage supports.
fn print_check(sentences: &[CheckedSentence]) {
    let claims = sentences.iter().filter(|s| s.support != Support::NoClaim).count();
    if claims == 0 {
        return;
    }
    let missing: Vec<&CheckedSentence> = sentences.iter().filter(|s| s.support == Support::NotFound).collect();
    if missing.is_empty() {
        println!("\nChecked: every sentence is found in your files.");
    } else {
        println!("\nChecked: {} of {claims} sentences are not found in your files:", missing.len());
        for sentence in missing {
            println!("  ✗ {}", sentence.text);
        }
    }
}

fn print_sources(sources: &[SourceRef]) {
    if sources.is_empty() {
        return;
    }
    println!("\nSources:");
    for source in sources {
        let mark = if source.cited { "cited" } else { "not cited" };
        match &source.section {
            Some(section) => println!("  [{}] {} ({section}) ({mark})", source.number, source.path),
            None => println!("  [{}] {}:{}-{} ({mark})", source.number, source.path, source.line_start, source.line_end),
        }
    }
}

/// The answer as `nook ask --json` prints it; with `--explain`, every
/// piece's score too (`scored`), and the token ids the model read and wrote
/// (`generation`: `prompt_ids`, `tokens`, `first_refused`).
pub fn answer_json(answer: &Answer, view: &AnswerView) -> Value {
    let mut value = json!({ "conversation": answer.conversation_id, "turn": answer.turn });
    if !view.scored.is_empty() {
        value["scored"] = json!(view.scored);
    }
    if let Some(generation) = &view.generation {
        value["generation"] = generation.clone();
    }
    value
}

pub fn print_conversations(list: &[ConversationSummary]) {
    if list.is_empty() {
        println!("No conversations yet. Ask something: nook ask \"…\"");
        return;
    }
    for c in list {
        let when = chrono::DateTime::from_timestamp_millis(c.updated_ms).map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        let turns = if c.turns == 1 { "1 question".to_string() } else { format!("{} questions", c.turns) };
        println!("{}  {}  ({turns}, {when} UTC)", c.id, c.title);
    }
}

pub fn print_conversation(c: &Conversation) {
    println!("{}  ({})", c.title, c.id);
    for turn in &c.turns {
        println!("\n> {}\n\n{}", turn.question, turn.answer);
        print_sources(&turn.sources);
    }
}
