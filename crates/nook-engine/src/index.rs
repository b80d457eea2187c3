//! Indexing a folder: walk it, find what changed since the last run, read and
//! chunk the changed files, embed the chunks in batches and write them.
//!
//! A file whose size and modification time match its record is not read. A
//! file that is read but whose content hash matches is not embedded again.
//! Writes go out in batches, chunks before records, so a run that stops at any
//! point loses nothing already indexed and the next run picks up the rest.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use nook_core::{FileKind, FileRecord, FileStatus};
use nook_embed::Embedder;
use nook_ingest::{
    chunk_text, content_hash, extract, read_file, walk, walk_within, ChunkParams, Entry, ReadError, SkipReason, WalkOptions,
};
use nook_extractor::{ExtractError, Extractor, FormatError};
use nook_store::{ChunkCopy, NewChunk, WriteBatch};
use serde::Serialize;
use tokio::task::block_in_place;

use crate::{Engine, EngineError, Result};

#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub walk: WalkOptions,
    pub chunk: ChunkParams,
    /// Chunks embedded and written together.
    pub batch_chunks: usize,
    /// Set to stop the run after the file at hand. What was read so far is
    /// written; the next run picks up the rest.
    pub stop: Option<Arc<AtomicBool>>,
    /// Only these paths (files or folders inside the root, which may no
    /// longer exist) are brought up to date; `None`: the whole folder. A
    /// scoped run leaves search-index upkeep to [`Engine::maintain`].
    pub scope: Option<Vec<PathBuf>>,
}

impl IndexOptions {
    fn stop_requested(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    }
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            walk: WalkOptions::default(),
            chunk: ChunkParams::default(),
            batch_chunks: 256,
            stop: None,
            scope: None,
        }
    }
}

/// Where a run is, reported as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Walking the folder; `found` entries so far.
    Scanning { found: usize },
    /// Reading and embedding the files that changed.
    Indexing { done: usize, total: usize, bytes_done: u64, bytes_total: u64 },
    /// Updating search indexes and compacting the store.
    Optimizing,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndexReport {
    pub root: PathBuf,
    /// Files the walk kept (not skipped by a rule).
    pub files_found: usize,
    /// Files not read because size and modification time were unchanged.
    pub unchanged: usize,
    /// Files whose text was (re-)embedded.
    pub indexed: usize,
    /// Files read again whose content turned out unchanged.
    pub retimed: usize,
    /// New paths whose content the index already held under another path
    /// (moved, renamed or copied files): their chunks were copied, not
    /// embedded again.
    pub reused: usize,
    pub chunks_embedded: usize,
    /// Videos, audio and archives recorded by name, size and dates; their
    /// content is never read.
    pub listed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Records dropped because their files are gone.
    pub removed: usize,
    pub bytes_read: u64,
    pub elapsed_ms: u64,
    /// The run was asked to stop before it read every changed file.
    pub stopped: bool,
}

/// A file the walk kept, with its metadata.
struct Candidate {
    path: String,
    size: u64,
    modified_ms: i64,
}

/// The chunks of one file before they are embedded.
struct PendingChunk {
    path: String,
    ordinal: u32,
    kind: FileKind,
    modified_ms: i64,
    chunk: nook_core::Chunk,
}

/// What reading one file came to.
enum Outcome {
    Chunks { record: FileRecord, chunks: Vec<PendingChunk> },
    Retimed { record: FileRecord },
    /// Same content as `from`, already indexed: its chunks are copied.
    Reused { record: FileRecord, from: String },
    Skipped { record: FileRecord },
    Failed { record: FileRecord },
    Vanished,
}

impl Engine {
    /// Brings the index of `root` up to date with what is on disk.
    pub async fn index(
        &self,
        root: &Path,
        options: &IndexOptions,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<IndexReport> {
        let started = Instant::now();
        let _writer = WriterLock::acquire(&self.paths().index_dir)?;
        let root = canonical_folder(root)?;
        let root_str = root.to_str().expect("checked by canonical_folder");
        let folder = format!("{}/", root_str.trim_end_matches('/'));
        let mut report = IndexReport { root: root.clone(), ..IndexReport::default() };

        let scope: Option<Vec<PathBuf>> =
            options.scope.as_ref().map(|paths| paths.iter().filter(|p| p.starts_with(&root)).cloned().collect());
        let known_records = match &scope {
            None => self.store().file_records(Some(&folder)).await?,
            Some(paths) => {
                let paths: Vec<&str> = paths.iter().filter_map(|p| p.to_str()).collect();
                self.store().file_records_within(&paths).await?
            }
        };
        let known: HashMap<String, FileRecord> = known_records.into_iter().map(|r| (r.path.clone(), r)).collect();

        let entries = block_in_place(|| {
            let mut entries = Vec::new();
            let walker = match &scope {
                None => walk(&root, &options.walk),
                Some(paths) => walk_within(&root, paths, &options.walk),
            };
            for entry in walker {
                entries.push(entry);
                if entries.len() % 256 == 0 {
                    progress(Progress::Scanning { found: entries.len() });
                }
            }
            entries
        });
        progress(Progress::Scanning { found: entries.len() });

        let mut batch = WriteBatch::default();
        let mut seen = HashSet::new();
        let mut unreadable_folders = Vec::new();
        let mut to_read = Vec::new();
        for entry in entries {
            let path = entry.path().to_string_lossy().into_owned();
            seen.insert(path.clone());
            match entry {
                Entry::File { size, modified_ms, .. } => {
                    report.files_found += 1;
                    match known.get(&path) {
                        Some(r) if r.size == size && r.modified_ms == modified_ms && settled(r) => {
                            report.unchanged += 1;
                        }
                        known_record => match FileKind::from_path(Path::new(&path)).filter(|k| k.is_listed_only()) {
                            Some(kind) => {
                                report.listed += 1;
                                record_change(&mut batch, known_record, listed(path, size, modified_ms, kind));
                            }
                            None => to_read.push(Candidate { path, size, modified_ms }),
                        },
                    }
                }
                Entry::Skipped { path: p, is_dir, size, modified_ms, reason } => {
                    report.skipped += 1;
                    let kind = if is_dir { None } else { FileKind::from_path(&p) };
                    let record = left_out(path, size, modified_ms, kind, FileStatus::Skipped, reason.to_string());
                    record_change(&mut batch, known.get(&record.path), record);
                }
                Entry::Unreadable { is_dir, reason, .. } => {
                    report.failed += 1;
                    if is_dir {
                        unreadable_folders.push(format!("{path}/"));
                    }
                    let record = left_out(path, 0, 0, None, FileStatus::Failed, reason);
                    record_change(&mut batch, known.get(&record.path), record);
                }
            }
        }
        // Gone from disk, unless below a folder that could not be read this
        // time: what is not seen there is unknown, not deleted. Chunks with
        // no record at all (a run killed between writing a new file's chunks
        // and its record) go too.
        // Removals are written last, so that a file moved within the run can
        // take its chunks from its old path first.
        let is_unknown = |path: &str| unreadable_folders.iter().any(|f| path.starts_with(f.as_str()));
        let mut removed = Vec::new();
        for path in known.keys() {
            if !seen.contains(path) && !is_unknown(path) {
                removed.push(path.clone());
                report.removed += 1;
            }
        }
        if scope.is_none() {
            for path in self.store().chunk_paths(&folder).await? {
                if !known.contains_key(&path) && !seen.contains(&path) && !is_unknown(&path) {
                    removed.push(path);
                }
            }
        }

        let total = to_read.len();
        let bytes_total: u64 = to_read.iter().map(|c| c.size).sum();
        let embedder = if total > 0 { Some(block_in_place(|| self.embedder())?) } else { None };
        let content = if to_read.iter().any(|c| !known.contains_key(&c.path)) {
            self.known_content(&to_read).await?
        } else {
            KnownContent::default()
        };
        let mut pending: Vec<PendingChunk> = Vec::new();
        for (done, candidate) in to_read.iter().enumerate() {
            if options.stop_requested() {
                report.stopped = true;
                break;
            }
            let model = embedder.as_deref().expect("loaded when there are files to read");
            let known_record = known.get(&candidate.path);
            let outcome = block_in_place(|| {
                catch_unwind(AssertUnwindSafe(|| {
                    read_one(candidate, known_record, &content, model, self.extractor(), options)
                }))
                    .unwrap_or_else(|panic| Outcome::Failed { record: internal_failure(candidate, &panic) })
            });
            report.bytes_read += candidate.size;
            match outcome {
                Outcome::Chunks { record, chunks } => {
                    report.indexed += 1;
                    batch.replace_chunks_of.push(record.path.clone());
                    batch.records.push(record);
                    pending.extend(chunks);
                }
                Outcome::Reused { record, from } => {
                    report.reused += 1;
                    batch.replace_chunks_of.push(record.path.clone());
                    batch.copied.push(ChunkCopy {
                        from,
                        to: record.path.clone(),
                        kind: record.kind.unwrap_or(FileKind::Text),
                        modified_ms: record.modified_ms,
                    });
                    batch.records.push(record);
                }
                Outcome::Retimed { record } => {
                    report.retimed += 1;
                    batch.retimed.push((record.path.clone(), record.modified_ms));
                    batch.records.push(record);
                }
                Outcome::Skipped { record } => {
                    report.skipped += 1;
                    record_change(&mut batch, known_record, record);
                }
                Outcome::Failed { record } => {
                    report.failed += 1;
                    record_change(&mut batch, known_record, record);
                }
                Outcome::Vanished => {
                    if known_record.is_some() {
                        removed.push(candidate.path.clone());
                        report.removed += 1;
                    }
                }
            }
            progress(Progress::Indexing { done: done + 1, total, bytes_done: report.bytes_read, bytes_total });
            if pending.len() >= options.batch_chunks || batch.records.len() >= 4 * options.batch_chunks {
                self.flush(&mut batch, &mut pending, embedder.as_deref(), &mut report).await?;
            }
        }
        batch.removed.extend(removed);
        self.flush(&mut batch, &mut pending, embedder.as_deref(), &mut report).await?;
        if report.stopped || scope.is_some() {
            // Full-text search still finds rows not yet in its index; the
            // next complete run (or `maintain`) folds them in.
            report.elapsed_ms = started.elapsed().as_millis() as u64;
            return Ok(report);
        }

        progress(Progress::Optimizing);
        self.store().maintain().await?;
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Folds new rows into the search indexes, compacts and drops old
    /// versions: what a complete run does at its end, for after scoped runs.
    pub async fn maintain(&self) -> Result<()> {
        let _writer = WriterLock::acquire(&self.paths().index_dir)?;
        self.store().maintain().await?;
        Ok(())
    }

    /// What the index holds by content hash for files new to it: indexed
    /// files whose chunks a file with the same content (and the same
    /// extension, which decides how text is extracted) may take, and
    /// quarantined documents. Files about to be read again are left out:
    /// their verdicts may change in this run.
    async fn known_content(&self, to_read: &[Candidate]) -> Result<KnownContent> {
        let rereading: HashSet<&str> = to_read.iter().map(|c| c.path.as_str()).collect();
        let mut content = KnownContent::default();
        for record in self.store().file_records(None).await? {
            if record.content_hash.is_empty() || rereading.contains(record.path.as_str()) {
                continue;
            }
            if record.status == FileStatus::Indexed && record.chunk_count > 0 {
                content.reusable.entry(record.content_hash.clone()).or_insert(record);
            } else if is_quarantine(&record) {
                content.quarantined.entry(record.content_hash.clone()).or_insert(record);
            }
        }
        Ok(content)
    }

    /// Drops everything the index holds under `folder`: its files' records
    /// and chunks. The files on disk are not touched.
    pub async fn forget(&self, folder: &Path) -> Result<usize> {
        let _writer = WriterLock::acquire(&self.paths().index_dir)?;
        let prefix = nook_core::folders::index_prefix(folder);
        let mut removed: HashSet<String> =
            self.store().file_records(Some(&prefix)).await?.into_iter().map(|r| r.path).collect();
        let files = removed.len();
        removed.extend(self.store().chunk_paths(&prefix).await?);
        if !removed.is_empty() {
            self.store().write(WriteBatch { removed: removed.into_iter().collect(), ..WriteBatch::default() }).await?;
            self.store().maintain().await?;
        }
        Ok(files)
    }

    /// Embeds the pending chunks and writes the batch. A file the model fails
    /// on is marked failed; the others are written.
    async fn flush(
        &self,
        batch: &mut WriteBatch,
        pending: &mut Vec<PendingChunk>,
        embedder: Option<&Embedder>,
        report: &mut IndexReport,
    ) -> Result<()> {
        if let (false, Some(embedder)) = (pending.is_empty(), embedder) {
            let chunks = std::mem::take(pending);
            let vectors = match self.embed_yielding(embedder, &chunks) {
                Ok(vectors) => vectors.into_iter().map(Some).collect(),
                Err(_) => embed_file_by_file(embedder, &chunks, batch, report),
            };
            for (p, vector) in chunks.into_iter().zip(vectors) {
                let Some(vector) = vector else { continue };
                report.chunks_embedded += 1;
                batch.chunks.push(NewChunk {
                    path: p.path,
                    ordinal: p.ordinal,
                    kind: p.kind,
                    modified_ms: p.modified_ms,
                    chunk: p.chunk,
                    vector,
                });
            }
        }
        let batch = std::mem::take(batch);
        if !batch.is_empty() {
            self.store().write(batch).await?;
        }
        Ok(())
    }
}

/// Chunks embedded between two looks at interactive work.
const EMBED_SLICE: usize = 32;

impl Engine {
    /// Embeds chunks a slice at a time, waiting before each while a search
    /// or an answer runs.
    fn embed_yielding(&self, embedder: &Embedder, chunks: &[PendingChunk]) -> Result<Vec<Vec<f32>>, String> {
        let mut vectors = Vec::with_capacity(chunks.len());
        for slice in chunks.chunks(EMBED_SLICE) {
            block_in_place(|| self.foreground.wait_until_free(crate::foreground::MAX_WAIT));
            vectors.extend(embed_guarded(embedder, slice)?);
        }
        Ok(vectors)
    }
}

/// Embeds chunks; a model error or panic becomes a message.
fn embed_guarded(embedder: &Embedder, chunks: &[PendingChunk]) -> Result<Vec<Vec<f32>>, String> {
    let texts: Vec<&str> = chunks.iter().map(|p| p.chunk.text.as_str()).collect();
    block_in_place(|| catch_unwind(AssertUnwindSafe(|| embedder.embed(&texts))))
        .map_err(|panic| panic_message(&panic))?
        .map_err(|err| err.to_string())
}

/// After a batch failed: embeds each file's chunks on their own, and marks
/// the files the model still fails on as failed. `None` for their chunks.
fn embed_file_by_file(
    embedder: &Embedder,
    chunks: &[PendingChunk],
    batch: &mut WriteBatch,
    report: &mut IndexReport,
) -> Vec<Option<Vec<f32>>> {
    let mut vectors = Vec::with_capacity(chunks.len());
    for file in chunks.chunk_by(|a, b| a.path == b.path) {
        match embed_guarded(embedder, file) {
            Ok(v) => vectors.extend(v.into_iter().map(Some)),
            Err(message) => {
                vectors.extend(file.iter().map(|_| None));
                if let Some(record) = batch.records.iter_mut().find(|r| r.path == file[0].path) {
                    record.status = FileStatus::Failed;
                    record.chunk_count = 0;
                    record.reason = Some(format!("the embedding model failed on this file ({message})"));
                }
                report.indexed -= 1;
                report.failed += 1;
            }
        }
    }
    vectors
}

/// What the index already holds, by content hash, for files new to it.
#[derive(Default)]
struct KnownContent {
    /// Indexed files whose chunks a file with the same content may take.
    reusable: HashMap<String, FileRecord>,
    /// Documents the current readers failed on or refused for their
    /// content: the same bytes elsewhere get the same verdict unread.
    quarantined: HashMap<String, FileRecord>,
}

/// Whether a record holds a verdict of the current document readers on the
/// file's content: the file is not read again until its content changes.
fn is_quarantine(record: &FileRecord) -> bool {
    record.status != FileStatus::Indexed
        && !record.content_hash.is_empty()
        && record.reader.as_deref() == Some(nook_extractor::VERSION)
}

/// The text of one file, section by section.
struct Text {
    kind: FileKind,
    sections: Vec<nook_extractor::Section>,
    /// Said in the file's record: bytes replaced, text cut short.
    note: Option<String>,
    /// The readers' version, for documents.
    reader: Option<String>,
}

/// Reads, extracts and chunks one file.
fn read_one(
    file: &Candidate,
    known: Option<&FileRecord>,
    content: &KnownContent,
    embedder: &Embedder,
    extractor: &Extractor,
    options: &IndexOptions,
) -> Outcome {
    let path = Path::new(&file.path);
    let kind = FileKind::from_path(path);
    let record = |status, reason: Option<String>, hash: String, kind, chunk_count| FileRecord {
        path: file.path.clone(),
        size: file.size,
        modified_ms: file.modified_ms,
        content_hash: hash,
        kind,
        status,
        reason,
        chunk_count,
        reader: None,
    };
    let bytes = match read_file(path, options.walk.size_limit(path)) {
        Ok(bytes) => bytes,
        Err(ReadError::Vanished { .. }) => return Outcome::Vanished,
        Err(err @ ReadError::TooLarge { .. }) => {
            return Outcome::Skipped { record: record(FileStatus::Skipped, Some(err.reason()), String::new(), kind, 0) }
        }
        Err(err) => return Outcome::Failed { record: record(FileStatus::Failed, Some(err.reason()), String::new(), kind, 0) },
    };
    let hash = content_hash(&bytes);
    let moved_here = |source: &FileRecord| {
        let mut record = source.clone();
        record.path = file.path.clone();
        record.size = file.size;
        record.modified_ms = file.modified_ms;
        record
    };
    if let Some(known) = known.filter(|k| k.content_hash == hash) {
        if known.status == FileStatus::Indexed {
            return Outcome::Retimed { record: moved_here(known) };
        }
        if is_quarantine(known) {
            return verdict(moved_here(known));
        }
    }
    if let Some(source) = content.reusable.get(&hash).filter(|s| same_extension(&s.path, &file.path)) {
        return Outcome::Reused { record: moved_here(source), from: source.path.clone() };
    }
    if let Some(source) = content.quarantined.get(&hash).filter(|s| same_extension(&s.path, &file.path)) {
        return verdict(moved_here(source));
    }
    let text = match nook_extractor::format_of(path) {
        Some(_) if bytes.is_empty() => {
            return Outcome::Skipped { record: record(FileStatus::Skipped, Some(SkipReason::Empty.to_string()), hash, kind, 0) }
        }
        Some(format) => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            match extractor.extract(format, name, &bytes) {
                Ok(document) => {
                    let note = document.truncated.then(|| {
                        "indexed the beginning only: its text is longer than Nook reads from one document".to_string()
                    });
                    let kind = kind.unwrap_or(FileKind::Document);
                    if document.is_blank() {
                        let reason = match format {
                            nook_extractor::Format::Pdf => {
                                "no text layer (a scan?); Nook does not read text in pictures".to_string()
                            }
                            _ => SkipReason::Empty.to_string(),
                        };
                        let mut record = record(FileStatus::Skipped, Some(reason), hash, Some(kind), 0);
                        record.reader = Some(nook_extractor::VERSION.to_string());
                        return Outcome::Skipped { record };
                    }
                    Text { kind, sections: document.sections, note, reader: Some(nook_extractor::VERSION.to_string()) }
                }
                Err(err) => {
                    let (status, reason) = match &err {
                        ExtractError::Refused(FormatError::Encrypted) => (FileStatus::Skipped, err.to_string()),
                        e if e.is_about_content() => {
                            (FileStatus::Failed, format!("{err}; Nook will not try this file again until it changes"))
                        }
                        _ => (FileStatus::Failed, err.to_string()),
                    };
                    // A verdict on the content is kept with its hash: the
                    // file is quarantined. Otherwise it is tried again.
                    let about_content = err.is_about_content();
                    let hash = if about_content { hash } else { String::new() };
                    let mut record = record(status, Some(reason), hash, kind, 0);
                    record.reader = about_content.then(|| nook_extractor::VERSION.to_string());
                    return verdict(record);
                }
            }
        }
        None => match extract(path, &bytes) {
            Ok(extracted) => Text {
                kind: extracted.kind,
                sections: vec![nook_extractor::Section { label: None, text: extracted.text }],
                note: extracted.lossy.then(|| "indexed; some bytes were not valid text and were replaced".to_string()),
                reader: None,
            },
            Err(reason) => {
                return Outcome::Skipped { record: record(FileStatus::Skipped, Some(reason.to_string()), hash, kind, 0) }
            }
        },
    };
    let mut chunks = Vec::new();
    for section in &text.sections {
        let spans = match embedder.token_spans(&section.text) {
            Ok(spans) => spans,
            Err(err) => {
                return Outcome::Failed { record: record(FileStatus::Failed, Some(err.to_string()), hash, Some(text.kind), 0) }
            }
        };
        chunks.extend(chunk_text(&section.text, &spans, &options.chunk).into_iter().map(|mut chunk| {
            chunk.section = section.label.clone();
            chunk
        }));
    }
    if chunks.is_empty() {
        return Outcome::Skipped {
            record: record(FileStatus::Skipped, Some(SkipReason::Empty.to_string()), hash, Some(text.kind), 0),
        };
    }
    let mut record = record(FileStatus::Indexed, text.note, hash, Some(text.kind), chunks.len() as u32);
    record.reader = text.reader;
    let chunks = chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| PendingChunk {
            path: file.path.clone(),
            ordinal: i as u32,
            kind: text.kind,
            modified_ms: file.modified_ms,
            chunk,
        })
        .collect();
    Outcome::Chunks { record, chunks }
}

/// A record that says the file was not indexed, as the outcome of reading.
fn verdict(record: FileRecord) -> Outcome {
    match record.status {
        FileStatus::Skipped => Outcome::Skipped { record },
        _ => Outcome::Failed { record },
    }
}

fn same_extension(a: &str, b: &str) -> bool {
    let extension = |p: &str| Path::new(p).extension().map(|e| e.to_ascii_lowercase());
    extension(a) == extension(b)
}

fn left_out(path: String, size: u64, modified_ms: i64, kind: Option<FileKind>, status: FileStatus, reason: String) -> FileRecord {
    FileRecord {
        path,
        size,
        modified_ms,
        content_hash: String::new(),
        kind,
        status,
        reason: Some(reason),
        chunk_count: 0,
        reader: None,
    }
}

/// The record of a file known by its name, size and dates only.
fn listed(path: String, size: u64, modified_ms: i64, kind: FileKind) -> FileRecord {
    FileRecord {
        path,
        size,
        modified_ms,
        content_hash: String::new(),
        kind: Some(kind),
        status: FileStatus::Indexed,
        reason: None,
        chunk_count: 0,
        reader: None,
    }
}

/// Queues `record` unless the index already says exactly that, and drops the
/// file's chunks when it had some.
fn record_change(batch: &mut WriteBatch, known: Option<&FileRecord>, record: FileRecord) {
    if known == Some(&record) {
        return;
    }
    if known.is_some_and(|k| k.chunk_count > 0) {
        batch.replace_chunks_of.push(record.path.clone());
    }
    batch.records.push(record);
}

/// Whether a record's verdict still holds while the file's size and time are
/// unchanged: indexed, skipped for what its content is, or quarantined. A
/// file skipped by a walking rule is looked at again, in case the rule no
/// longer applies; another failed one is retried.
fn settled(record: &FileRecord) -> bool {
    match record.status {
        FileStatus::Indexed => true,
        // Documents the readers refused or failed on are settled while the
        // readers are the same ones.
        _ if record.reader.is_some() => is_quarantine(record),
        FileStatus::Skipped => !record.content_hash.is_empty(),
        FileStatus::Failed => false,
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

fn internal_failure(file: &Candidate, panic: &Box<dyn std::any::Any + Send>) -> FileRecord {
    let message = panic_message(panic);
    left_out(
        file.path.clone(),
        file.size,
        file.modified_ms,
        FileKind::from_path(Path::new(&file.path)),
        FileStatus::Failed,
        format!("Nook hit an internal error reading this file ({message}); it will retry on the next run"),
    )
}

/// Held while a run writes: a second writer is refused, not interleaved. The
/// lock lives as long as the open file.
struct WriterLock {
    _file: std::fs::File,
}

impl WriterLock {
    fn acquire(index_dir: &Path) -> Result<WriterLock> {
        let path = index_dir.join(".writer.lock");
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| EngineError::Busy { index_dir: index_dir.to_path_buf(), reason: e.to_string() })?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(EngineError::Busy {
                index_dir: index_dir.to_path_buf(),
                reason: "another Nook process is indexing it; wait for it to finish".to_string(),
            }),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(EngineError::Busy { index_dir: index_dir.to_path_buf(), reason: e.to_string() })
            }
        }
    }
}

pub(crate) fn canonical_folder(root: &Path) -> Result<PathBuf> {
    let not_a_folder = |reason: String| EngineError::NotAFolder { path: root.to_path_buf(), reason };
    let canonical = std::fs::canonicalize(root).map_err(|e| {
        not_a_folder(match e.kind() {
            std::io::ErrorKind::NotFound => "no such folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        })
    })?;
    if !canonical.is_dir() {
        return Err(not_a_folder("it is a file, not a folder".to_string()));
    }
    if canonical.to_str().is_none() {
        return Err(not_a_folder("its path is not valid UTF-8".to_string()));
    }
    Ok(canonical)
}
