//! Question answering measured on real text nobody here wrote: the READMEs
//! of the crates Nook builds with (from cargo's registry), indexed for real,
//! and question sets written by others with answer patterns
//! (`tests/eval/qa/`). Each question is asked through `Engine::ask`; the
//! extractive answer, the checked generated answer and the sources are
//! scored against the patterns, and the times are taken.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use nook_engine::{models, AskEvent, AskRequest, Engine, IndexOptions, NookPaths, Settings, Support};
use fancy_regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct QuestionSet {
    questions: Vec<Question>,
}

#[derive(Deserialize)]
struct Question {
    id: String,
    question: String,
    /// The file that answers, relative to the corpus folder; `None` for a
    /// question no file answers.
    file: Option<String>,
    answer: Option<Vec<String>>,
}

pub struct Options {
    pub questions: Vec<PathBuf>,
    pub corpus: PathBuf,
    pub home: Option<PathBuf>,
    pub chat_model: Option<PathBuf>,
    pub quote_only: bool,
    /// The chat model weighs the extractor's best spans; it writes no
    /// answer.
    pub weigh_only: bool,
    pub out: Option<PathBuf>,
    pub limit: Option<usize>,
    /// Two questions to a conversation, the second a follow-up.
    pub pairs: bool,
    /// Write every scored piece of every question here (JSON lines), each
    /// marked when its span matches an answer pattern and when it is of
    /// the file that answers: the data the extractor's weights are fitted on
    /// (`scripts/bench/fit_weights.py`).
    pub pieces: Option<PathBuf>,
}

/// Where a benchmark on a corpus keeps its Nook home: the folder given
/// (kept, so a second run reuses the index) or a temporary one.
pub struct BenchHome {
    dir: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl BenchHome {
    pub fn new(given: Option<&Path>) -> Result<BenchHome> {
        Ok(match given {
            Some(dir) => BenchHome { dir: dir.to_path_buf(), _temporary: None },
            None => {
                let temporary = tempfile::tempdir()?;
                BenchHome { dir: temporary.path().to_path_buf(), _temporary: Some(temporary) }
            }
        })
    }

    /// Nook's paths under the home, with the models of the environment.
    pub fn paths(&self) -> Result<NookPaths> {
        let mut paths = NookPaths::under(&self.dir, None);
        paths.model_dirs.extend(NookPaths::from_env()?.model_dirs);
        Ok(paths)
    }

    /// The folder the corpus is copied to and indexed from.
    pub fn corpus(&self) -> PathBuf {
        self.dir.join("corpus")
    }
}

/// cargo's unpacked crates: `$CARGO_HOME/registry/src/index.crates.io-*`.
fn registry() -> Result<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
    });
    let src = cargo_home.join("registry/src");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&src)
        .with_context(|| format!("reading {}", src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("index.crates.io-")))
        .collect();
    found.sort();
    found.pop().with_context(|| format!("no crates.io sources under {}", src.display()))
}

/// The corpus folder: each listed file copied under `dir`. A line
/// `NAME-VERSION/README…` is a README of cargo's registry, copied to that
/// path; an absolute line (`/usr/share/doc/PACKAGE/README`) is a file of
/// this system, copied to `PACKAGE/README`; a manual page
/// (`/usr/share/man/man1/xargs.1.gz`) is written as `man` shows it at 80
/// columns, to `man1/xargs.1.txt`; an info manual
/// (`/usr/share/info/sed.info.gz`) is written as one text, its parts
/// (`sed.info-1.gz`…) joined, to `sed.txt` ([`info_manual`]); any other
/// `.gz` file (`/usr/share/doc/gnupg/FAQ.gz`) is written uncompressed, to
/// `gnupg/FAQ`. Made once; a missing file is an
/// error naming it (`cargo fetch` brings the registry's files, the set-up's
/// Debian packages the others).
pub fn corpus_folder(list: &Path, dir: &Path) -> Result<usize> {
    let list = std::fs::read_to_string(list).with_context(|| format!("reading {}", list.display()))?;
    let mut count = 0;
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let manual = line.starts_with("/usr/share/man/") && line.ends_with(".gz");
        let info = line.strip_prefix("/usr/share/info/").and_then(|name| name.strip_suffix(".info.gz"));
        let (source, target) = if let Some(name) = info {
            (PathBuf::from(line), dir.join(format!("{name}.txt")))
        } else if line.starts_with('/') {
            let source = PathBuf::from(line);
            let parts: Vec<_> = source.iter().rev().take(2).collect();
            let [file, folder] = parts[..] else { bail!("{line}: not a file in a folder") };
            let file = file.to_string_lossy();
            let file = match manual {
                true => format!("{}.txt", file.trim_end_matches(".gz")),
                false => file.trim_end_matches(".gz").to_string(),
            };
            (source.clone(), dir.join(folder).join(file))
        } else {
            (registry()?.join(line), dir.join(line))
        };
        count += 1;
        if target.is_file() {
            continue;
        }
        if !source.is_file() {
            bail!("{} is missing; run `cargo fetch` in the repository (or the set-up, for system files) first", source.display());
        }
        std::fs::create_dir_all(target.parent().context("a file in a folder")?)?;
        if manual {
            std::fs::write(&target, rendered_manual(&source)?)?;
        } else if info.is_some() {
            std::fs::write(&target, info_manual(&source)?)?;
        } else if line.starts_with('/') && line.ends_with(".gz") {
            std::fs::write(&target, gunzip(&source)?)?;
        } else {
            std::fs::copy(&source, &target)?;
        }
    }
    Ok(count)
}

/// The bytes of a gzip file, as `zcat` gives them.
fn gunzip(file: &Path) -> Result<Vec<u8>> {
    let out = std::process::Command::new("zcat").arg(file).output().with_context(|| format!("running zcat for {}", file.display()))?;
    if !out.status.success() {
        bail!("zcat could not read {}", file.display());
    }
    Ok(out.stdout)
}

/// A manual page as `man` shows it in an 80-column terminal, without its
/// bold and underline (`MANWIDTH=80 man -l PAGE | col -bx`).
fn rendered_manual(page: &Path) -> Result<String> {
    use std::process::{Command, Stdio};
    let man = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANWIDTH", "80")
        .env("LC_ALL", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("running man for {}", page.display()))?;
    let plain = Command::new("col").arg("-bx").stdin(man.stdout.context("man's output")?).output().context("running col")?;
    if !plain.status.success() || plain.stdout.is_empty() {
        bail!("man could not render {}", page.display());
    }
    Ok(String::from_utf8_lossy(&plain.stdout).into_owned())
}

/// An info manual as one plain text, as a person would keep it: its parts
/// (`NAME.info-1.gz`, `NAME.info-2.gz`… after `NAME.info.gz`) joined in
/// order, without the info reader's byte-offset tables (`Indirect:`, `Tag
/// Table:`) and node separators, runs of blank lines made one.
/// `scripts/bench/qa_corpus_i.py` chose the manuals (and wrote the set's
/// writer the same text).
fn info_manual(first: &Path) -> Result<String> {
    let folder = first.parent().context("a file in a folder")?;
    let name = first.file_name().context("a file")?.to_string_lossy().trim_end_matches(".info.gz").to_string();
    let mut parts = vec![(0, first.to_path_buf())];
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let file = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let number = file.strip_prefix(&format!("{name}.info-")).and_then(|rest| rest.strip_suffix(".gz")).and_then(|n| n.parse::<u32>().ok());
        if let Some(n) = number {
            parts.push((n, path));
        }
    }
    parts.sort();
    let mut raw = String::new();
    for (_, part) in &parts {
        raw.push_str(&String::from_utf8_lossy(&gunzip(part)?));
    }
    let mut segments = raw.split('\u{1f}');
    let mut text = segments.next().unwrap_or_default().to_string();
    for segment in segments.filter(|s| !s.starts_with("\nIndirect:\n") && !s.starts_with("\nTag Table:\n")) {
        text.push_str(segment);
    }
    let mut readable = String::with_capacity(text.len());
    let mut newlines = 0;
    for c in text.trim().chars() {
        newlines = if c == '\n' { newlines + 1 } else { 0 };
        if newlines <= 2 {
            readable.push(c);
        }
    }
    readable.push('\n');
    Ok(readable)
}

fn patterns(question: &Question) -> Result<Vec<Regex>> {
    question
        .answer
        .iter()
        .flatten()
        .map(|p| RegexBuilder::new(p).case_insensitive(true).build().with_context(|| format!("pattern {p:?} of {}", question.id)))
        .collect()
}

fn percentile(mut values: Vec<f64>, p: f64) -> Value {
    if values.is_empty() {
        return Value::Null;
    }
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64 - 1.0) * p).round() as usize;
    json!((values[i] * 10.0).round() / 10.0)
}

fn share(n: usize, of: usize) -> Value {
    if of == 0 {
        Value::Null
    } else {
        json!((n as f64 / of as f64 * 1000.0).round() / 10.0)
    }
}

pub async fn run(options: Options) -> Result<Value> {
    let mut questions = Vec::new();
    for file in &options.questions {
        let set: QuestionSet =
            serde_json::from_str(&std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?)
                .with_context(|| format!("parsing {}", file.display()))?;
        questions.extend(set.questions);
    }
    if let Some(limit) = options.limit {
        questions.truncate(limit);
    }
    let home = BenchHome::new(options.home.as_deref())?;
    let paths = home.paths()?;
    let corpus_dir = home.corpus();
    let files = corpus_folder(&options.corpus, &corpus_dir)?;
    if let Some(model) = &options.chat_model {
        let name = model.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if !models::installed(&paths).iter().any(|m| m.name == name) {
            models::add(&paths, model)?;
        }
        let mut settings = Settings::load(&paths.config_dir)?.settings;
        models::choose(&paths, &mut settings, &name, "chat")?;
        settings.save(&paths.config_dir)?;
    }
    let engine = Engine::open(paths).await?;
    let started = Instant::now();
    let report = engine.index(&corpus_dir, &IndexOptions::default(), &mut |_| {}).await?;
    let index_s = started.elapsed().as_secs_f64();
    let root = corpus_dir.canonicalize()?;

    let mut records = Vec::new();
    let (mut extract_ms, mut first_token_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
    // With --pairs: first tokens and prompt tokens (read, reused) of
    // follow-ups apart.
    let (mut follow_up_first_token_ms, mut follow_up_read, mut follow_up_reused) = (Vec::new(), Vec::new(), Vec::new());
    let mut new_read = Vec::new();
    let mut conversation: Option<String> = None;
    let mut count = Counts::default();
    let mut pieces_out = match &options.pieces {
        Some(path) => Some(std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)),
        None => None,
    };
    for (i, question) in questions.iter().enumerate() {
        let follow_up = options.pairs && i % 2 == 1;
        let patterns = patterns(question)?;
        let matches = |text: &str| patterns.iter().any(|p| p.is_match(text).unwrap_or(false));
        let expected = question.file.as_ref().map(|f| root.join(f).to_string_lossy().into_owned());
        let request = AskRequest {
            question: question.question.clone(),
            quote_only: options.quote_only,
            weigh_only: options.weigh_only,
            conversation: conversation.take().filter(|_| follow_up),
            explain: options.pieces.is_some(),
            ..AskRequest::default()
        };
        let asked = Instant::now();
        let (mut t_extract, mut t_first, mut reading) = (None, None, None);
        let mut scored = Vec::new();
        let mut weighed = Vec::new();
        let mut t_weighed = None;
        let answer = engine
            .ask(&request, &AtomicBool::new(false), &mut |event| match event {
                AskEvent::Extract(_) => t_extract = Some(asked.elapsed().as_secs_f64() * 1000.0),
                AskEvent::Text(_) if t_first.is_none() => t_first = Some(asked.elapsed().as_secs_f64() * 1000.0),
                AskEvent::Reading { tokens, reused } => reading = Some((tokens, reused)),
                AskEvent::Scored(pieces) => scored = pieces,
                AskEvent::Weighed(candidates) => {
                    weighed = candidates;
                    t_weighed = Some(asked.elapsed().as_secs_f64() * 1000.0);
                }
                _ => {}
            })
            .await?;
        let t_total = asked.elapsed().as_secs_f64() * 1000.0;
        let turn = &answer.turn;
        conversation = Some(answer.conversation_id.clone());
        extract_ms.extend(t_extract);
        let t_first = t_first.filter(|_| !options.quote_only && !turn.model.is_empty());
        if follow_up {
            follow_up_first_token_ms.extend(t_first);
            if let Some((tokens, reused)) = reading {
                follow_up_read.push((tokens - reused) as f64);
                follow_up_reused.push(reused as f64);
            }
        } else {
            first_token_ms.extend(t_first);
            new_read.extend(reading.map(|(tokens, reused)| (tokens - reused) as f64));
        }
        total_ms.push(t_total);

        let source_paths: Vec<&str> = turn.sources.iter().map(|s| s.path.as_str()).collect();
        let extract_text = turn.extract.as_ref().map(|e| e.text.as_str()).unwrap_or("");
        let extract_path = turn.extract.as_ref().map(|e| e.path.as_str());
        let claims: Vec<_> = turn.sentences.iter().filter(|s| s.support != Support::NoClaim).collect();
        let supported: Vec<_> = claims.iter().filter(|s| s.support == Support::Supported).collect();
        let source_path = |n: usize| turn.sources.get(n.wrapping_sub(1)).map(|s| s.path.as_str());
        // A byte-identical copy (one README shipped by several crates) is
        // the same file.
        let bytes = expected.as_ref().and_then(|file| std::fs::read(file).ok());
        let judged = std::cell::RefCell::new(std::collections::HashMap::<String, bool>::new());
        let same = |path: Option<&str>| {
            path.is_some_and(|p| {
                *judged.borrow_mut().entry(p.to_string()).or_insert_with(|| {
                    expected.as_deref() == Some(p) || (bytes.is_some() && std::fs::read(p).ok() == bytes)
                })
            })
        };
        if let Some(out) = pieces_out.as_mut() {
            let pieces: Vec<Value> = scored
                .iter()
                .map(|p| json!({ "matches": expected.is_some() && matches(&p.span), "in_file": same(Some(&p.path)),
                                 "score": p.score, "features": p.features.iter().map(|(_, v)| v).collect::<Vec<_>>(),
                                 "path": p.path, "lines": [p.line_start, p.line_end], "span": p.span }))
                .collect();
            let names: Vec<&str> = scored.first().map(|p| p.features.iter().map(|(n, _)| n.as_str()).collect()).unwrap_or_default();
            let weighed: Vec<Value> = weighed
                .iter()
                .map(|c| json!({ "matches": expected.is_some() && matches(&c.span.text), "in_file": same(Some(&c.span.path)), "score": c.span.score,
                                 "source": c.span.source, "asked": c.asked, "neutral": c.neutral, "question": c.question, "span": c.span.text }))
                .collect();
            writeln!(out, "{}", json!({ "id": question.id, "question": question.question, "answerable": expected.is_some(), "names": names, "pieces": pieces, "weighed": weighed }))?;
        }
        let record = match &expected {
            Some(_) => {
                let in_sources = source_paths.iter().any(|p| same(Some(p)));
                let extract_right = matches(extract_text);
                let extract_quoted = extract_right && same(extract_path);
                let generated_right = matches(&turn.answer);
                let supported_right = supported.iter().any(|s| matches(&s.text));
                let cited_right = supported.iter().any(|s| matches(&s.text) && s.sources.iter().any(|&n| same(source_path(n))));
                let right = extract_right || supported_right;
                count.answerable += 1;
                count.in_sources += in_sources as usize;
                count.first_source += same(source_paths.first().copied()) as usize;
                count.extract_right += extract_right as usize;
                count.generated_right += generated_right as usize;
                count.supported_right += supported_right as usize;
                count.right += right as usize;
                count.right_and_cited += (extract_quoted || cited_right) as usize;
                json!({ "id": question.id, "right": right, "extract_right": extract_right, "supported_right": supported_right,
                        "generated_right": generated_right, "in_sources": in_sources })
            }
            None => {
                count.unanswerable += 1;
                let abstained = turn.extract.is_none() && supported.is_empty();
                count.abstained += abstained as usize;
                json!({ "id": question.id, "abstained": abstained })
            }
        };
        count.claims += claims.len();
        count.not_found += claims.len() - supported.len();
        let mut record = record;
        record["question"] = json!(question.question);
        record["extract"] = json!(turn.extract.as_ref().map(|e| json!({"path": e.path.strip_prefix(&*root.to_string_lossy()).unwrap_or(&e.path), "text": e.text, "score": e.score})));
        record["answer"] = json!(turn.answer);
        record["sentences"] = json!(turn.sentences);
        record["sources"] = json!(source_paths.iter().map(|p| p.strip_prefix(&*root.to_string_lossy()).unwrap_or(p)).collect::<Vec<_>>());
        record["ms"] = json!({"extract": t_extract, "weighed": t_weighed, "first_token": t_first, "total": t_total});
        record["prompt_tokens"] = json!(reading.map(|(tokens, reused)| json!({"tokens": tokens, "reused": reused})));
        record["follow_up"] = json!(follow_up);
        // The passages as the model read them, to audit what the check
        // marked supported.
        record["prompt"] = json!(turn.exchange.as_ref().map(|e| &e.prompt));
        records.push(record);
    }
    if let Some(out) = &options.out {
        std::fs::write(out, serde_json::to_string_pretty(&records)?)?;
    }
    let a = count.answerable;
    Ok(json!({
        "questions": questions.len(),
        "answerable": a,
        "corpus_files": files,
        "index": { "files": report.indexed + report.unchanged, "chunks": report.chunks_embedded, "seconds": (index_s * 10.0).round() / 10.0 },
        "model": if options.quote_only { "none (quotes only)".to_string() } else { options.chat_model.as_ref().map_or("default".into(), |m| m.display().to_string()) },
        "right_percent": share(count.right, a),
        "right_and_cited_percent": share(count.right_and_cited, a),
        "extract_right_percent": share(count.extract_right, a),
        "generated_right_percent": share(count.generated_right, a),
        "generated_supported_right_percent": share(count.supported_right, a),
        "file_in_sources_percent": share(count.in_sources, a),
        "file_first_percent": share(count.first_source, a),
        "unanswerable": count.unanswerable,
        "unanswerable_abstained_percent": share(count.abstained, count.unanswerable),
        "generated_sentences": count.claims,
        "not_found_sentences_percent": share(count.not_found, count.claims),
        "ms_to_extract": { "p50": percentile(extract_ms.clone(), 0.5), "p95": percentile(extract_ms, 0.95) },
        "ms_to_first_token": { "p50": percentile(first_token_ms.clone(), 0.5), "p95": percentile(first_token_ms, 0.95) },
        "ms_total": { "p50": percentile(total_ms.clone(), 0.5), "p95": percentile(total_ms, 0.95) },
        "prompt_tokens_read": { "p50": percentile(new_read.clone(), 0.5), "p95": percentile(new_read, 0.95) },
        "follow_ups": if options.pairs { json!({
            "ms_to_first_token": { "p50": percentile(follow_up_first_token_ms.clone(), 0.5), "p95": percentile(follow_up_first_token_ms, 0.95) },
            "prompt_tokens_read": { "p50": percentile(follow_up_read.clone(), 0.5), "p95": percentile(follow_up_read, 0.95) },
            "prompt_tokens_reused": { "p50": percentile(follow_up_reused.clone(), 0.5), "p95": percentile(follow_up_reused, 0.95) },
        }) } else { Value::Null },
    }))
}

#[derive(Default)]
struct Counts {
    answerable: usize,
    in_sources: usize,
    first_source: usize,
    extract_right: usize,
    generated_right: usize,
    supported_right: usize,
    right: usize,
    right_and_cited: usize,
    unanswerable: usize,
    abstained: usize,
    claims: usize,
    not_found: usize,
}
