//! `nook`: the command-line client of Nook's engine. It parses arguments,
//! calls the engine and prints; it holds no logic of its own.

mod act;
mod desktop;
mod output;

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use nook_core::date::parse_instant;
use std::sync::atomic::AtomicBool;

use nook_engine::{AskRequest, Conversations, Engine, FileKind, IndexOptions, NookPaths, Plan, Route, SearchFilter, Settings};

#[derive(Parser)]
#[command(name = "nook", version, about = "Nook: a private assistant for your files. Nothing leaves this machine.")]
struct Cli {
    /// Show the desktop app's quick-ask window, starting the app if it is not
    /// running. Bind a desktop shortcut to this where global shortcuts do not
    /// work (Wayland).
    #[arg(long, conflicts_with = "command")]
    quick_ask: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Index a folder, or bring its index up to date.
    Index {
        path: PathBuf,
        /// Print the run's report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Search what is indexed, by meaning and by words.
    Search {
        /// What to find, in words: "reports from this quarter", "big videos in Downloads", "invoices from ACME".
        query: String,
        /// Print results as JSON, best first, with the search plan.
        #[arg(long)]
        json: bool,
        /// Print the search plan read from the request (words, kinds, dates, folder, size, name, order) before the results.
        #[arg(long)]
        explain: bool,
        /// Search the words as typed: no dates, kinds or folders read from them.
        #[arg(long)]
        literal: bool,
        /// Only files of this kind (text, markdown, code, html, data, pdf, document, spreadsheet, presentation, email, image, video, audio, archive); repeat or separate with commas. Replaces kinds read from the request.
        #[arg(long, value_delimiter = ',')]
        kind: Vec<FileKind>,
        /// Only files modified since DATE (2024-05-01, today, yesterday, 7d, 2w, 3mo, 1y), counted in whole days. Replaces dates read from the request.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only files modified before DATE (same forms as --since).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Only files under this folder. Replaces a folder read from the request.
        #[arg(long)]
        folder: Option<PathBuf>,
        /// Most files to show.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
        limit: u16,
    },
    /// Show what is indexed, and every file skipped or failed with the reason.
    Status {
        #[arg(long)]
        json: bool,
        /// List every skipped or failed file, not only the first 50.
        #[arg(long)]
        all: bool,
    },
    /// Explain why a file is or is not found: indexed, skipped by which rule, failed and why, or not read yet.
    Why {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Follow the watched folders (and add FOLDERs to them) without the desktop app: index, then keep the index up to date as files change, until stopped.
    Watch {
        folders: Vec<PathBuf>,
        /// Print each event as a line of JSON.
        #[arg(long)]
        json: bool,
    },
    /// Index a folder (default ~/Documents), then take searches, questions
    /// and requests to act typed at a prompt, each sent where the quick-ask
    /// box sends it.
    Run { path: Option<PathBuf> },
    /// Ask a question; the answer comes from your indexed files, with the sources it cites.
    Ask {
        question: String,
        /// Continue this conversation (`nook conversations list` shows them).
        #[arg(long, value_name = "ID")]
        conversation: Option<String>,
        /// Print the answer and its sources as JSON when done.
        #[arg(long)]
        json: bool,
        /// Only the sentence of your files that answers, with its file and
        /// lines: no chat model, in about a second.
        #[arg(long)]
        quote_only: bool,
        /// Answer from this file only, or from the files under this folder.
        #[arg(long = "in", value_name = "PATH")]
        within: Option<PathBuf>,
        /// Show how the passages' pieces were scored for the answer (with
        /// `--json`: every piece, as `scored`).
        #[arg(long)]
        explain: bool,
    },
    /// The conversations kept from `nook ask` and the desktop app's Ask view.
    Conversations {
        #[command(subcommand)]
        action: ConversationsAction,
    },
    /// The models Nook has: the defaults and any GGUF dropped into a models folder.
    Models {
        #[command(subcommand)]
        action: ModelsAction,
    },
    /// Do something with your files or apps: "move the screenshots from last week into Pictures/Screenshots", "create a folder called drafts in Documents", "open the spreadsheet application". Shows exactly what will happen and asks first.
    Do {
        request: String,
        /// Print the plan and what was done as JSON (questions still go to the terminal).
        #[arg(long)]
        json: bool,
    },
    /// What `nook do` and the app have done, newest first, with the ids to undo.
    Activity {
        #[arg(long)]
        json: bool,
    },
    /// Undo an action, or a whole request by its plan id (`nook activity` shows them).
    Undo { id: String },
    /// The watched folders: Nook indexes them, and changes files only inside them.
    Folders {
        #[command(subcommand)]
        action: FoldersAction,
    },
}

#[derive(Subcommand)]
enum FoldersAction {
    /// List the watched folders.
    List,
    /// Watch a folder (it is indexed by `nook watch` or the app).
    Add { path: PathBuf },
    /// Stop watching a folder; its files leave the index the next time `nook watch` or the app runs.
    Remove { path: PathBuf },
}

#[derive(Subcommand)]
enum ConversationsAction {
    /// Every conversation, the most recent first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One conversation, question by question.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Give a conversation another title.
    Rename { id: String, title: String },
    /// Delete a conversation.
    Delete { id: String },
}

#[derive(Subcommand)]
enum ModelsAction {
    /// List every model with its task, architecture, context length, size and location.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a GGUF chat model (llama, qwen2, qwen3, gemma3 or phi3) to Nook's models folder.
    Add { path: PathBuf },
    /// Remove a model added before (the default models stay).
    Remove { name: String },
    /// Use a chat model for a task: `chat` (answers) or `plan` (searches and actions).
    Use {
        name: String,
        #[arg(long, default_value = "chat")]
        task: String,
    },
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let cli = Cli::parse();
    if let Err(err) = run(cli).await {
        eprintln!("nook: {err:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<()> {
    if cli.quick_ask {
        return desktop::quick_ask();
    }
    let paths = NookPaths::from_env()?;
    match cli.command {
        Some(Command::Index { path, json }) => {
            let engine = Engine::open(paths).await?;
            let report = index_with_progress(&engine, &path).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                output::print_report(&report);
            }
        }
        Some(Command::Search { query, json, explain, literal, kind, since, until, folder, limit }) => {
            let engine = Engine::open(paths).await?;
            let mut plan = if literal { Plan::words_only(query.trim()) } else { engine.plan(&query)? };
            apply_flags(&mut plan, kind, since, until, folder)?;
            let found = engine.find(&plan, limit.into()).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&output::found_json(&found))?);
            } else {
                if explain {
                    println!("{}", found.plan);
                }
                output::print_found(&found);
            }
        }
        Some(Command::Status { json, all }) => {
            let engine = Engine::open(paths).await?;
            let status = engine.status(if all { usize::MAX } else { 50 }).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                output::print_status(&status, all);
            }
        }
        Some(Command::Why { path, json }) => {
            let folders = Settings::peek(&paths.config_dir).unwrap_or_default().folders;
            let engine = Engine::open(paths).await?;
            let why = engine.why(&path, &folders).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&why)?);
            } else {
                output::print_why(&why);
            }
        }
        Some(Command::Watch { folders, json }) => watch(paths, folders, json).await?,
        Some(Command::Run { path }) => interactive(paths, path).await?,
        Some(Command::Ask { question, conversation, json, quote_only, within, explain }) => {
            let engine = Engine::open(paths).await?;
            let filter = match within {
                Some(path) => nook_engine::scope_filter(&path)?,
                None => SearchFilter::default(),
            };
            let request = AskRequest { question, conversation, quote_only, filter, explain, ..AskRequest::default() };
            let mut view = output::AnswerView::new(!json);
            let cancel = AtomicBool::new(false);
            let answer = engine.ask(&request, &cancel, &mut |event| view.event(event)).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&output::answer_json(&answer, &view))?);
            } else {
                view.finish(&answer);
            }
        }
        Some(Command::Conversations { action }) => {
            let conversations = Conversations::new(&paths.conversations_dir);
            match action {
                ConversationsAction::List { json } => {
                    let list = conversations.list()?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&list)?);
                    } else {
                        output::print_conversations(&list);
                    }
                }
                ConversationsAction::Show { id, json } => {
                    let conversation = conversations.get(&id)?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&conversation)?);
                    } else {
                        output::print_conversation(&conversation);
                    }
                }
                ConversationsAction::Rename { id, title } => {
                    let conversation = conversations.rename(&id, &title)?;
                    println!("Renamed {id} to “{}”.", conversation.title);
                }
                ConversationsAction::Delete { id } => {
                    conversations.delete(&id)?;
                    println!("Deleted conversation {id}.");
                }
            }
        }
        Some(Command::Models { action }) => models_command(&paths, action)?,
        Some(Command::Do { request, json }) => {
            let settings = Settings::load(&paths.config_dir)?.settings;
            let engine = Engine::open(paths).await?;
            act::run_request(&engine, &settings, request, json).await?;
        }
        Some(Command::Activity { json }) => {
            let engine = Engine::open(paths).await?;
            let entries = engine.activity()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&entries)?);
            } else {
                act::print_activity(&entries);
            }
        }
        Some(Command::Undo { id }) => {
            let settings = Settings::load(&paths.config_dir)?.settings;
            let engine = Engine::open(paths).await?;
            act::print_undone(&engine.undo(&id, &settings)?);
        }
        Some(Command::Folders { action }) => folders_command(paths, action).await?,
        None => interactive(paths, None).await?,
    }
    Ok(())
}

async fn folders_command(paths: NookPaths, action: FoldersAction) -> Result<()> {
    let engine = std::sync::Arc::new(Engine::open(paths).await?);
    let (library, warning) = nook_engine::Library::open(engine, std::sync::Arc::new(|_| {}))?;
    if let Some(warning) = warning {
        eprintln!("nook: {warning}");
    }
    match action {
        FoldersAction::List => {
            let folders = library.settings().folders;
            if folders.is_empty() {
                println!("No folder is watched. Add one with: nook folders add ~/Documents");
            }
            for folder in folders {
                println!("{}", folder.display());
            }
        }
        FoldersAction::Add { path } => {
            let folder = library.add(&path)?;
            println!("Watching {}. `nook watch` or the app indexes it and keeps it up to date.", folder.display());
        }
        FoldersAction::Remove { path } => {
            let folder = std::fs::canonicalize(nook_engine::expand_user(&path)).unwrap_or(path);
            library.remove(&folder)?;
            println!("No longer watching {}.", folder.display());
        }
    }
    Ok(())
}

fn models_command(paths: &NookPaths, action: ModelsAction) -> Result<()> {
    let config = &paths.config_dir;
    match action {
        ModelsAction::List { json } => {
            let settings = Settings::peek(config).unwrap_or_default();
            let models = nook_engine::models::summaries(paths, &settings);
            if json {
                println!("{}", serde_json::to_string_pretty(&models)?);
            } else {
                output::print_models(&models);
            }
        }
        ModelsAction::Add { path } => {
            eprintln!("Checking and copying {} …", path.display());
            let model = nook_engine::models::add(paths, &path)?;
            let location = model.location.unwrap_or_default();
            println!("Added {} ({}). Use it with: nook models use {}", model.name, location.display(), model.name);
        }
        ModelsAction::Remove { name } => {
            let mut settings = Settings::load(config)?.settings;
            let removed = nook_engine::models::remove(paths, &mut settings, &name)?;
            settings.save(config)?;
            println!("Removed {name} ({}).", removed.display());
        }
        ModelsAction::Use { name, task } => {
            let mut settings = Settings::load(config)?.settings;
            nook_engine::models::choose(paths, &mut settings, &name, &task)?;
            settings.save(config)?;
            println!("Nook now uses {name} for {task}.");
        }
    }
    Ok(())
}

async fn index_with_progress(engine: &Engine, path: &std::path::Path) -> Result<nook_engine::IndexReport> {
    let mut bar = output::ProgressView::new();
    let report = engine
        .index(path, &IndexOptions::default(), &mut |p| bar.update(p))
        .await?;
    bar.finish();
    Ok(report)
}

/// Puts the search flags into `plan`; each replaces what the request said
/// of the same thing. Dates from the flags count in whole local days.
fn apply_flags(
    plan: &mut Plan,
    kinds: Vec<FileKind>,
    since: Option<String>,
    until: Option<String>,
    folder: Option<PathBuf>,
) -> Result<()> {
    if plan.request.trim().is_empty() {
        anyhow::bail!(nook_engine::PlanError::Empty);
    }
    if !kinds.is_empty() {
        plan.kinds = Some(nook_plan::KindFilter { label: "--kind".into(), kinds, soft: false, extensions: Vec::new(), taken: false, except: Vec::new() });
    }
    let now = chrono::Local::now();
    let day = |text: &str, flag: &str| -> Result<chrono::NaiveDate> {
        let ms = parse_instant(text, &now).context(flag.to_string())?;
        let instant = chrono::DateTime::from_timestamp_millis(ms).context("date out of range")?;
        Ok(instant.with_timezone(&chrono::Local).date_naive())
    };
    if since.is_some() || until.is_some() {
        let from = since.as_deref().map(|d| day(d, "--since")).transpose()?;
        let until = until.as_deref().map(|d| day(d, "--until")).transpose()?;
        if let (Some(from), Some(until)) = (from, until) {
            if from >= until {
                anyhow::bail!(nook_core::filter::FilterError::EmptyTimeRange);
            }
        }
        plan.dates = Some(nook_plan::DateFilter { label: "--since/--until".into(), from, until, target: Default::default(), done: false });
    }
    if let Some(folder) = folder {
        let absolute = std::path::absolute(&folder).with_context(|| format!("--folder {}", folder.display()))?;
        let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        plan.folder = Some(nook_plan::FolderFilter { name: absolute.to_string_lossy().into_owned() });
    }
    Ok(())
}

/// Index a folder, then search at a prompt until EOF or `quit`.
/// Runs the Library headless: the folders are indexed, then followed; each
/// event is printed as it comes. Ends when the process is stopped.
async fn watch(paths: NookPaths, add: Vec<PathBuf>, json: bool) -> Result<()> {
    let engine = std::sync::Arc::new(Engine::open(paths).await?);
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let sink: nook_engine::library::Sink = std::sync::Arc::new(move |event| {
        let _ = tx.send(event);
    });
    let (library, warning) = nook_engine::Library::open(engine, sink)?;
    if let Some(warning) = warning {
        eprintln!("nook: {warning}");
    }
    for folder in &add {
        let added = library.add(folder)?;
        eprintln!("Watching {}", added.display());
    }
    let folders = library.settings().folders;
    if folders.is_empty() {
        anyhow::bail!("no folders to watch; name one: nook watch FOLDER");
    }
    if add.is_empty() {
        for folder in &folders {
            eprintln!("Watching {}", folder.display());
        }
    }
    library.start();
    eprintln!("Following changes; stop with Ctrl-C.");
    while let Some(event) = events.recv().await {
        if json {
            println!("{}", serde_json::to_string(&event)?);
        } else {
            output::print_library_event(&event);
        }
    }
    Ok(())
}

async fn interactive(paths: NookPaths, path: Option<PathBuf>) -> Result<()> {
    let folder = match path {
        Some(p) => p,
        None => std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join("Documents"))
            .context("HOME is not set; name the folder to index: nook run FOLDER")?,
    };
    let settings = Settings::load(&paths.config_dir)?.settings;
    let engine = Engine::open(paths).await?;
    eprintln!("Indexing {} …", folder.display());
    let report = index_with_progress(&engine, &folder).await?;
    output::print_report(&report);
    eprintln!("Type a search, a question or a request to act, and press Enter (empty line or Ctrl-D to quit).");
    let stdin = std::io::stdin();
    let mut line = String::new();
    loop {
        eprint!("nook> ");
        std::io::stderr().flush().ok();
        line.clear();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let text = line.trim();
        if text.is_empty() || text == "quit" || text == "exit" {
            break;
        }
        if let Err(err) = answer_line(&engine, &settings, text).await {
            eprintln!("nook: {err:#}");
        }
    }
    Ok(())
}

/// One line typed at `nook run`'s prompt, sent where the quick-ask box
/// sends it (`Engine::route`): files found as `nook search` finds them, a
/// question answered as `nook ask` answers it, a request to act shown as a
/// plan and run only on yes, as `nook do` does.
async fn answer_line(engine: &Engine, settings: &Settings, text: &str) -> Result<()> {
    match engine.route(text).route {
        Route::Find => output::print_found(&engine.find(&engine.plan(text)?, 5).await?),
        Route::Ask => {
            let request = AskRequest { question: text.to_string(), ..AskRequest::default() };
            let mut view = output::AnswerView::new(true);
            let answer = engine.ask(&request, &AtomicBool::new(false), &mut |event| view.event(event)).await?;
            view.finish(&answer);
        }
        Route::Act => act::run_request(engine, settings, text.to_string(), false).await?,
    }
    Ok(())
}
