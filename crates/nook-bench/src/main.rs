//! `nook-bench`: Nook's benchmarks. Each subcommand prints one JSON object of
//! figures on standard output; `scripts/bench.sh` runs them all, next to the
//! sentence-transformers oracle, and docs/BENCHMARKS.md records the results.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use nook_core::{Chunk, FileKind, SearchFilter};
use nook_corpus::Rng;
use nook_engine::{models, Engine, IndexOptions, NookPaths, SearchRequest};
use nook_store::{NewChunk, WriteBatch};
use serde_json::json;

mod content;
mod qa;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Embedding throughput on chunks of a generated corpus.
    Embed {
        #[arg(long, default_value_t = 2000)]
        texts: usize,
        /// Also write the texts here, for the oracle to embed the same ones.
        #[arg(long)]
        texts_out: Option<PathBuf>,
    },
    /// Indexing throughput on a generated corpus, then an unchanged re-index.
    Index {
        #[arg(long, default_value_t = 2000)]
        files: usize,
        /// Also this many documents (PDF, Office, OpenDocument, e-mail, RTF,
        /// EPUB, photos), read through the isolated reader.
        #[arg(long, default_value_t = 0)]
        documents: usize,
        /// Also time a search every second while the first index runs, and
        /// the same searches once it is done.
        #[arg(long)]
        probe: bool,
    },
    /// Hybrid search latency and vector recall@10 at a given index size.
    Search {
        #[arg(long, default_value_t = 10_000)]
        chunks: usize,
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Build the approximate vector index whatever the size.
        #[arg(long)]
        ann: bool,
    },
    /// Requests in words at a given index size: planning alone, then plan
    /// and search together, over the labeled requests of the evaluation.
    Find {
        #[arg(long, default_value_t = 100_000)]
        chunks: usize,
        /// The labeled requests (tests/eval/requests.json).
        #[arg(long, default_value = "tests/eval/requests.json")]
        requests: PathBuf,
    },
    /// Live folders: time from a saved file to finding it, through the real
    /// watcher and library, and the start-up reconcile of an unchanged tree.
    Watch {
        /// Saves timed, one after another.
        #[arg(long, default_value_t = 40)]
        saves: usize,
        /// Files in the tree reconciled at start-up.
        #[arg(long, default_value_t = 20_000)]
        files: usize,
    },
    /// Question answering on real text: the crate READMEs of cargo's
    /// registry indexed, question sets written by others asked through the
    /// engine, answers scored against their patterns, times taken.
    Qa {
        /// Question sets (`tests/eval/qa/*.json`).
        #[arg(long, required = true)]
        questions: Vec<PathBuf>,
        /// The corpus: one `NAME-VERSION/README…` of the registry a line.
        #[arg(long, default_value = "tests/eval/qa/corpus.txt")]
        corpus: PathBuf,
        /// Keep the corpus, index and conversations here (a fresh folder
        /// otherwise); a second run reuses the index.
        #[arg(long)]
        home: Option<PathBuf>,
        /// Answer with this GGUF chat model instead of the default.
        #[arg(long)]
        chat_model: Option<PathBuf>,
        /// Only extractive answers: no chat model.
        #[arg(long)]
        quote_only: bool,
        /// The chat model only weighs the extractor's best spans (written
        /// with `--pieces`, for `scripts/bench/weigh_spans.py`); it writes
        /// no answer.
        #[arg(long, conflicts_with = "quote_only")]
        weigh_only: bool,
        /// Write every question's answer and scores here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Ask only the first N questions.
        #[arg(long)]
        limit: Option<usize>,
        /// Ask the questions two to a conversation, the second as a
        /// follow-up of the first, and time follow-ups apart (for speed: an
        /// unrelated question before one changes what is searched).
        #[arg(long)]
        pairs: bool,
        /// Write every scored piece of every question here (JSON lines,
        /// each marked right or not), to fit the extractor's weights on.
        #[arg(long)]
        pieces: Option<PathBuf>,
    },
    /// Content queries on real text: the crate READMEs indexed, searches
    /// written by others to find a file by what it says (`tests/eval/content/`),
    /// scored by where an accepted file ranks.
    Content {
        /// The query set (`tests/eval/content/set-*.json`).
        #[arg(long)]
        queries: PathBuf,
        /// The corpus lists (`tests/eval/qa/corpus*.txt`), one file a line;
        /// several are indexed together.
        #[arg(long, default_value = "tests/eval/qa/corpus.txt")]
        corpus: Vec<PathBuf>,
        /// Keep the corpus and index here (a fresh folder otherwise); a
        /// second run reuses the index.
        #[arg(long)]
        home: Option<PathBuf>,
        /// Write every query's plan, rank and first results here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Chat model speed: load time, prompt processing, time to first token
    /// and generation on a prompt of English prose, and peak memory.
    Chat {
        /// The GGUF file.
        #[arg(long)]
        model: PathBuf,
        #[arg(long, default_value_t = 500)]
        prompt_tokens: usize,
        #[arg(long, default_value_t = 128)]
        generate: usize,
        /// Also write the prompt's token ids here, for llama.cpp to read the same.
        #[arg(long)]
        ids_out: Option<PathBuf>,
    },
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<()> {
    let figures = match Cli::parse().command {
        Command::Embed { texts, texts_out } => bench_embed(texts, texts_out.as_deref())?,
        Command::Index { files, documents, probe } => bench_index(files, documents, probe).await?,
        Command::Watch { saves, files } => bench_watch(saves, files).await?,
        Command::Search { chunks, queries, ann } => bench_search(chunks, queries, ann).await?,
        Command::Find { chunks, requests } => bench_find(chunks, &requests).await?,
        Command::Chat { model, prompt_tokens, generate, ids_out } => bench_chat(&model, prompt_tokens, generate, ids_out.as_deref())?,
        Command::Content { queries, corpus, home, out } => content::run(content::Options { queries, corpus, home, out }).await?,
        Command::Qa { questions, corpus, home, chat_model, quote_only, weigh_only, out, limit, pairs, pieces } => {
            qa::run(qa::Options { questions, corpus, home, chat_model, quote_only, weigh_only, out, limit, pairs, pieces }).await?
        }
    };
    println!("{}", serde_json::to_string_pretty(&figures)?);
    Ok(())
}

/// Threads candle computes with: `RAYON_NUM_THREADS`, else every core.
fn threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Chunk texts cut from a generated corpus by Nook's own chunker.
fn corpus_chunks(count: usize, embedder: &nook_embed::Embedder) -> Result<Vec<String>> {
    let dir = tempfile::tempdir()?;
    let corpus = nook_corpus::generate(dir.path(), count, 17)?;
    let mut texts = Vec::new();
    for file in &corpus.files {
        let text = std::fs::read_to_string(dir.path().join(file))?;
        let spans = embedder.token_spans(&text)?;
        for chunk in nook_ingest::chunk_text(&text, &spans, &nook_ingest::ChunkParams::default()) {
            texts.push(chunk.text);
            if texts.len() == count {
                return Ok(texts);
            }
        }
    }
    Ok(texts)
}

fn load_embedder() -> Result<nook_embed::Embedder> {
    let dir = models::embedding_model_dir(&NookPaths::from_env()?)?;
    Ok(nook_embed::Embedder::load(&dir)?)
}

fn bench_embed(count: usize, texts_out: Option<&Path>) -> Result<serde_json::Value> {
    let embedder = load_embedder()?;
    let texts = corpus_chunks(count, &embedder)?;
    if let Some(out) = texts_out {
        std::fs::write(out, serde_json::to_string(&texts)?).with_context(|| out.display().to_string())?;
    }
    let tokens: usize = texts.iter().map(|t| embedder.token_spans(t).map_or(0, |s| s.len())).sum();
    embedder.embed(&texts[..texts.len().min(64)])?; // warm-up
    let started = Instant::now();
    let vectors = embedder.embed(&texts)?;
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(vectors.len(), texts.len());
    Ok(json!({
        "bench": "embed",
        "implementation": "nook (candle)",
        "texts": texts.len(),
        "mean_tokens": tokens as f64 / texts.len() as f64,
        "threads": threads(),
        "seconds": secs,
        "chunks_per_second": texts.len() as f64 / secs,
    }))
}

/// A prompt of `count` tokens cut from generated English prose.
fn prose_tokens(model: &nook_llm::Model, count: usize) -> Vec<u32> {
    let mut rng = Rng::new(7);
    let mut ids = Vec::new();
    while ids.len() < count {
        let notes = nook_corpus::notes(&mut rng);
        ids.extend(model.tokenizer().encode(&format!("{notes}\n"), false, false));
    }
    ids.truncate(count);
    ids
}

/// Peak resident memory of this process so far (`VmHWM`), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
}

fn bench_chat(path: &Path, prompt_tokens: usize, generate: usize, ids_out: Option<&Path>) -> Result<serde_json::Value> {
    let started = Instant::now();
    let mut model = nook_llm::Model::load(path)?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let prompt = prose_tokens(&model, prompt_tokens);
    if let Some(out) = ids_out {
        std::fs::write(out, serde_json::to_string(&prompt)?).with_context(|| out.display().to_string())?;
    }
    model.forward(&prompt[..8])?; // warm-up: threads, page faults
    model.reset();
    // Time to first token: the whole prompt read, then one token picked.
    let started = Instant::now();
    let logits = model.forward(&prompt)?;
    let mut next = nook_chat::argmax(&logits);
    let prompt_secs = started.elapsed().as_secs_f64();
    // Generation: one token at a time (end-of-text does not stop it).
    let started = Instant::now();
    for _ in 0..generate {
        next = nook_chat::argmax(&model.forward(&[next])?);
    }
    let generate_secs = started.elapsed().as_secs_f64();
    Ok(json!({
        "bench": "chat",
        "implementation": "nook",
        "model": path.file_name().map(|n| n.to_string_lossy().into_owned()),
        "threads": threads(),
        "load_ms": load_ms,
        "prompt_tokens": prompt.len(),
        "time_to_first_token_ms": prompt_secs * 1e3,
        "prompt_tokens_per_second": prompt.len() as f64 / prompt_secs,
        "generated_tokens": generate,
        "generation_tokens_per_second": generate as f64 / generate_secs,
        "peak_rss_mb": peak_rss().map(|b| b as f64 / 1e6),
    }))
}

fn fresh_home() -> Result<(tempfile::TempDir, NookPaths)> {
    let home = tempfile::tempdir()?;
    let mut paths = NookPaths::under(home.path(), None);
    paths.model_dirs.extend(NookPaths::from_env()?.model_dirs);
    Ok((home, paths))
}

async fn bench_index(files: usize, documents: usize, probe: bool) -> Result<serde_json::Value> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let docs = tempfile::tempdir()?;
    let corpus = nook_corpus::generate_mixed(docs.path(), files, documents, 23)?;
    let (_home, paths) = fresh_home()?;
    let engine = Arc::new(Engine::open(paths).await?);
    engine.embedder()?; // model loading is not indexing

    // While the first index runs, a search every second: what a user typing
    // in the search box meets during a long first index.
    let queries: Vec<String> = corpus.queries.iter().map(|q| q.query.to_string()).collect();
    let indexing = Arc::new(AtomicBool::new(true));
    let prober = probe.then(|| {
        let (engine, indexing, queries) = (engine.clone(), indexing.clone(), queries.clone());
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            for query in queries.iter().cycle() {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                if !indexing.load(Ordering::Relaxed) {
                    break;
                }
                let started = Instant::now();
                engine.search(&SearchRequest::new(query.as_str())).await?;
                latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(latencies)
        })
    });
    let first = engine.index(docs.path(), &IndexOptions::default(), &mut |_| {}).await?;
    indexing.store(false, Ordering::Relaxed);
    let during = match prober {
        Some(task) => Some(task.await??),
        None => None,
    };
    let again = engine.index(docs.path(), &IndexOptions::default(), &mut |_| {}).await?;
    let secs = first.elapsed_ms as f64 / 1000.0;
    let mb = corpus.bytes as f64 / 1e6;
    let mut figures = json!({
        "bench": "index",
        "files": corpus.files.len(),
        "documents": documents,
        "indexed": first.indexed,
        "failed": first.failed,
        "megabytes": mb,
        "chunks": first.chunks_embedded,
        "threads": threads(),
        "seconds": secs,
        "files_per_second": corpus.files.len() as f64 / secs,
        "megabytes_per_second": mb / secs,
        "chunks_per_second": first.chunks_embedded as f64 / secs,
        "unchanged_reindex_seconds": again.elapsed_ms as f64 / 1000.0,
        "unchanged_reindex_chunks_embedded": again.chunks_embedded,
    });
    if let Some(mut during) = during {
        // The same searches, in the same order, on the finished index.
        let mut idle = Vec::new();
        for query in queries.iter().cycle().take(during.len().max(1)) {
            let started = Instant::now();
            engine.search(&SearchRequest::new(query.as_str())).await?;
            idle.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        during.sort_by(f64::total_cmp);
        idle.sort_by(f64::total_cmp);
        figures["searches_while_indexing"] = json!(during.len());
        figures["search_while_indexing_p50_ms"] = json!(percentile(&during, 0.50));
        figures["search_while_indexing_p95_ms"] = json!(percentile(&during, 0.95));
        figures["search_while_indexing_max_ms"] = json!(during.last().copied().unwrap_or(0.0));
        figures["search_idle_p50_ms"] = json!(percentile(&idle, 0.50));
        figures["search_idle_p95_ms"] = json!(percentile(&idle, 0.95));
    }
    Ok(figures)
}

async fn bench_watch(saves: usize, files: usize) -> Result<serde_json::Value> {
    use nook_engine::library::{LibraryEvent, Sink};
    use std::sync::Arc;

    let docs = tempfile::tempdir()?;
    let corpus = nook_corpus::generate_tree(docs.path(), files, 29)?;
    let (_home, paths) = fresh_home()?;
    let engine = Arc::new(Engine::open(paths.clone()).await?);
    let first = engine.index(docs.path(), &IndexOptions::default(), &mut |_| {}).await?;

    // Start-up reconcile: a new library over the unchanged tree walks it
    // and compares it with the index.
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let sink: Sink = Arc::new(move |event| {
        let _ = tx.send(event);
    });
    let (library, _) = nook_engine::Library::open(engine.clone(), sink)?;
    let started = Instant::now();
    library.add(docs.path())?;
    library.start();
    let reconcile = loop {
        match events.recv().await.context("the worker stopped")? {
            LibraryEvent::Indexed { report, .. } => break report,
            LibraryEvent::Failed { message, .. } => anyhow::bail!(message),
            _ => {}
        }
    };
    let reconcile_seconds = started.elapsed().as_secs_f64();

    // Saves: a new file with a word of its own, found by full-text search.
    let mut latencies = Vec::new();
    for i in 0..saves {
        let word = format!("zq{i}x{}", Rng::new(i as u64).below(1_000_000));
        let path = docs.path().join(format!("saved/note-{i}.md"));
        std::fs::create_dir_all(path.parent().expect("a folder"))?;
        let saved = Instant::now();
        std::fs::write(&path, format!("Meeting notes {i}: the {word} budget was approved.\n"))?;
        loop {
            let hits = engine.store().text_search(&word, &SearchFilter::default(), 1).await?;
            if !hits.is_empty() {
                break;
            }
            anyhow::ensure!(saved.elapsed().as_secs() < 60, "save {i} was not searchable after 60 s");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        latencies.push(saved.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let mut sorted = latencies.clone();
    sorted.sort_by(f64::total_cmp);
    let percentile = |p: f64| sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1];
    Ok(json!({
        "bench": "watch",
        "files": corpus.files.len(),
        "threads": threads(),
        "first_index_seconds": first.elapsed_ms as f64 / 1000.0,
        "reconcile_seconds": reconcile_seconds,
        "reconcile_files_found": reconcile.files_found,
        "reconcile_unchanged": reconcile.unchanged,
        "reconcile_chunks_embedded": reconcile.chunks_embedded,
        "saves": saves,
        "save_to_searchable_ms_p50": percentile(0.5),
        "save_to_searchable_ms_p95": percentile(0.95),
        "save_to_searchable_ms_max": sorted.last(),
    }))
}

/// Fills an index with `total` chunks: real embeddings of up to 2,000 corpus
/// chunks, and, past those, copies whose vectors are perturbed by noise (so they are
/// distinct neighbours, not duplicates) and whose texts vary by a word.
/// Folders of the generated index's files, as a person's home has them.
const BENCH_FOLDERS: [&str; 10] =
    ["Documents", "Downloads", "Desktop", "projects/nook", "projects/garden", "notes", "work/slides", "Pictures", "Mail", "Music"];

/// An index of `total` chunks, four per file, with the files' records:
/// kinds, folders, sizes and modification days spread over the two years
/// before the dated corpus's day.
async fn fill_index(engine: &Engine, total: usize) -> Result<Vec<String>> {
    let embedder = engine.embedder()?;
    let base_count = total.min(2_000);
    let base_texts = corpus_chunks(base_count, &embedder)?;
    let base_vectors = embedder.embed(&base_texts)?;
    let mut rng = Rng::new(99);
    let mut batch = WriteBatch::default();
    let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
    let today = chrono::NaiveDate::parse_from_str(nook_corpus::dated::TODAY, "%Y-%m-%d")?;
    let today_ms = nook_corpus::dated::local_noon(today).duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let files = total.div_ceil(4).max(1);
    let two_years_ms: i64 = 730 * 86_400_000;
    let kinds = [FileKind::Text, FileKind::Markdown, FileKind::Code, FileKind::Pdf, FileKind::Document, FileKind::Spreadsheet, FileKind::Presentation, FileKind::Email];
    let mut file_kind = FileKind::Text;
    for i in 0..total {
        let b = i % base_texts.len();
        let (text, vector) = if i < base_texts.len() {
            (base_texts[b].clone(), base_vectors[b].clone())
        } else {
            let mut v: Vec<f32> = base_vectors[b].iter().map(|x| x + 0.03 * gaussian(&mut rng)).collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.iter_mut().for_each(|x| *x /= norm);
            (format!("{} {}", base_texts[b], rng.pick(&words)), v)
        };
        let file = i / 4;
        let path = format!("/bench/{}/file{file}.txt", BENCH_FOLDERS[file % BENCH_FOLDERS.len()]);
        let modified_ms = today_ms - (file as i64) * two_years_ms / files as i64;
        if i % 4 == 0 {
            file_kind = *rng.pick(&kinds);
            batch.records.push(nook_core::FileRecord {
                path: path.clone(),
                size: 1_000 + rng.below(5_000_000) as u64,
                modified_ms,
                content_hash: String::new(),
                kind: Some(file_kind),
                status: nook_core::FileStatus::Indexed,
                reason: None,
                chunk_count: 4,
                reader: None,
            });
        }
        batch.chunks.push(NewChunk {
            path,
            ordinal: (i % 4) as u32,
            kind: file_kind,
            modified_ms,
            chunk: Chunk { text, line_start: 1, line_end: 10, section: None },
            vector,
        });
        if batch.chunks.len() == 10_000 {
            engine.store().write(std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        engine.store().write(batch).await?;
    }
    Ok(base_texts)
}

async fn bench_find(total: usize, requests: &Path) -> Result<serde_json::Value> {
    let labels: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(requests).with_context(|| format!("reading {}", requests.display()))?)?;
    let requests: Vec<String> = labels.iter().filter_map(|l| l["request"].as_str().map(str::to_string)).collect();
    let (_home, paths) = fresh_home()?;
    let engine = Engine::open(paths).await?;
    fill_index(&engine, total).await?;
    let maintenance = engine.store().maintain().await?;
    let context = nook_plan::Context::new(chrono::NaiveDate::parse_from_str(nook_corpus::dated::TODAY, "%Y-%m-%d")?);
    engine.search(&SearchRequest::new("warm up")).await?;

    let (mut planning, mut by_words, mut by_filters) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..2 {
        for request in &requests {
            let started = Instant::now();
            let plan = nook_plan::plan(request, &context)?;
            let planned = started.elapsed().as_secs_f64() * 1000.0;
            engine.find(&plan, 10).await?;
            let total_ms = started.elapsed().as_secs_f64() * 1000.0;
            if round == 0 {
                continue; // the first round warms caches
            }
            planning.push(planned);
            let listed = plan.text.is_empty() && plan.dates.as_ref().is_none_or(|d| d.target == nook_plan::DateTarget::Modified);
            if listed { by_filters.push(total_ms) } else { by_words.push(total_ms) }
        }
    }
    let mut all: Vec<f64> = by_words.iter().chain(&by_filters).copied().collect();

    // Requests with parts only the on-device model reads: planned by the
    // engine (rules, then the planning model), then searched. The first
    // loads the model.
    let guessed = [
        "photos from christmas", "videos since thanksgiving", "photoshop files", "documents before easter",
        "keynote files from last year", "pictures from halloween", "notes after christmas", "sketch files",
        "invoices from valentine's day", "blender files in projects",
    ];
    let started = Instant::now();
    engine.plan(guessed[0])?;
    let model_load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut with_model = Vec::new();
    let mut filled = 0;
    for request in guessed.iter().cycle().take(guessed.len() * 3) {
        let started = Instant::now();
        let plan = engine.plan(request)?;
        engine.find(&plan, 10).await?;
        with_model.push(started.elapsed().as_secs_f64() * 1000.0);
        filled += usize::from(!plan.guessed.is_empty());
    }
    for l in [&mut planning, &mut by_words, &mut by_filters, &mut all, &mut with_model] {
        l.sort_by(f64::total_cmp);
    }
    Ok(json!({
        "bench": "find",
        "chunks": maintenance.chunks,
        "files": total.div_ceil(4),
        "requests": requests.len(),
        "threads": threads(),
        "plan_p50_ms": percentile(&planning, 0.50),
        "plan_p95_ms": percentile(&planning, 0.95),
        "plan_and_search_p50_ms": percentile(&all, 0.50),
        "plan_and_search_p95_ms": percentile(&all, 0.95),
        "with_words": by_words.len(),
        "with_words_p50_ms": percentile(&by_words, 0.50),
        "with_words_p95_ms": percentile(&by_words, 0.95),
        "filters_only": by_filters.len(),
        "filters_only_p50_ms": percentile(&by_filters, 0.50),
        "filters_only_p95_ms": percentile(&by_filters, 0.95),
        "model_requests": with_model.len(),
        "model_filled_a_field": filled,
        "model_load_ms": model_load_ms,
        "with_model_p50_ms": percentile(&with_model, 0.50),
        "with_model_p95_ms": percentile(&with_model, 0.95),
    }))
}

/// A standard normal sample (Box–Muller).
fn gaussian(rng: &mut Rng) -> f32 {
    let u1 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    ((-2.0 * u1.max(1e-12).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn bench_search(total: usize, query_count: usize, ann: bool) -> Result<serde_json::Value> {
    let (_home, paths) = fresh_home()?;
    let engine = Engine::open(paths).await?;
    let fill_started = Instant::now();
    let base_texts = fill_index(&engine, total).await?;
    if ann {
        engine.store().build_vector_index().await?;
    }
    let maintenance = engine.store().maintain().await?;
    let build_secs = fill_started.elapsed().as_secs_f64();

    // Questions: the corpus's known queries, then first lines of chunks.
    let mut queries: Vec<String> = nook_corpus::generate(tempfile::tempdir()?.path(), 0, 1)?
        .queries
        .iter()
        .map(|q| q.query.to_string())
        .collect();
    let mut rng = Rng::new(5);
    while queries.len() < query_count {
        let text = rng.pick(&base_texts);
        queries.push(text.split_whitespace().take(8).collect::<Vec<_>>().join(" "));
    }
    queries.truncate(query_count);

    let embedder = engine.embedder()?;
    engine.search(&SearchRequest::new("warm up")).await?;
    let (mut latencies, mut vector_latencies, mut exact_latencies) = (Vec::new(), Vec::new(), Vec::new());
    let mut recall_sum = 0.0;
    let filter = SearchFilter::default();
    for query in &queries {
        let started = Instant::now();
        engine.search(&SearchRequest::new(query.as_str())).await?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);

        let vector = embedder.embed(&[query.as_str()])?.remove(0);
        let started = Instant::now();
        let approx = engine.store().vector_search(&vector, &filter, 10).await?;
        vector_latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let exact = engine.store().exact_vector_search(&vector, &filter, 10).await?;
        exact_latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        let found = approx.iter().filter(|h| exact.iter().any(|e| e.chunk_id == h.chunk_id)).count();
        recall_sum += found as f64 / exact.len().max(1) as f64;
    }
    // The same searches right after the idle library handed memory back
    // (heap and the executable's mapped code): what unmapping code costs
    // the first search after a quiet spell.
    let mut after_trim = Vec::new();
    for query in queries.iter().take(20) {
        nook_engine::memory::release_idle_memory();
        let started = Instant::now();
        engine.search(&SearchRequest::new(query.as_str())).await?;
        after_trim.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    for l in [&mut latencies, &mut vector_latencies, &mut exact_latencies, &mut after_trim] {
        l.sort_by(f64::total_cmp);
    }
    Ok(json!({
        "bench": "search",
        "chunks": maintenance.chunks,
        "vector_index": maintenance.vector_index,
        "queries": queries.len(),
        "threads": threads(),
        "build_seconds": build_secs,
        "hybrid_p50_ms": percentile(&latencies, 0.50),
        "hybrid_p95_ms": percentile(&latencies, 0.95),
        "hybrid_after_idle_trim_p50_ms": percentile(&after_trim, 0.50),
        "hybrid_after_idle_trim_queries": after_trim.len(),
        "vector_p50_ms": percentile(&vector_latencies, 0.50),
        "exact_vector_p50_ms": percentile(&exact_latencies, 0.50),
        "vector_recall_at_10": recall_sum / queries.len() as f64,
    }))
}
