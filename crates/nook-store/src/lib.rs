//! Nook's on-disk index: embedded LanceDB with a `files` table and a `chunks`
//! table, behind Nook's own types.
//!
//! This crate is the only one that knows LanceDB or Arrow. Callers speak in
//! [`FileRecord`]s, [`NewChunk`]s and [`ChunkHit`]s; tables, record batches
//! and SQL stay inside.
//!
//! Invariants:
//! - **One writer.** A [`Store`] is the only handle that writes to its folder
//!   while it is open; the indexer owns it during a run.
//! - **Chunks before records.** [`Store::write`] replaces a file's chunks
//!   before it records the file as indexed, so a run that stops halfway leaves
//!   records that still describe the old state, and the next run redoes the
//!   rest.
//! - **Search covers every row.** New rows are searched by both retrievers
//!   at once; [`Store::maintain`] folds them into the indexes, compacts, and
//!   drops old versions so re-indexing does not grow the folder without bound.

mod schema;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use futures::TryStreamExt;
use lancedb::index::scalar::{BTreeIndexBuilder, FtsIndexBuilder, FullTextSearchQuery};
use lancedb::index::vector::IvfHnswSqIndexBuilder;
use lancedb::index::{Index, IndexType};
use lancedb::query::{ExecutableQuery, QueryBase, Select};
use lancedb::table::{CompactionOptions, Duration, OptimizeAction, OptimizeOptions};
use lancedb::{Connection, DistanceType, Table};
use nook_core::filter::sql_string;
use nook_core::{Chunk, ChunkHit, FileKind, FileRecord, FileStatus, SearchFilter};

pub use schema::{CHUNKS_TABLE, FILES_TABLE};

/// Below this many chunks vector search is exact (about 50 ms at 100,000
/// chunks on 2 cores); above it, an approximate index (IVF-HNSW-SQ) keeps
/// search fast at some cost in recall (docs/BENCHMARKS.md has both).
pub const VECTOR_INDEX_MIN_ROWS: usize = 250_000;

/// Largest number of paths put in one `IN (…)` list.
const PATHS_PER_STATEMENT: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("index at {path}: {source}")]
    Open { path: String, source: lancedb::Error },
    #[error("the index was built with {found}-dimensional vectors but the embedding model makes {expected}; \
             delete {path} (or run `nook reset`) and index again")]
    DimensionMismatch { path: String, found: usize, expected: usize },
    #[error("{context}: {source}")]
    Lance { context: &'static str, source: lancedb::Error },
    #[error("{context}: {source}")]
    Arrow { context: &'static str, source: arrow_schema::ArrowError },
    #[error("the index holds a row Nook cannot read: {0}")]
    BadRow(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

trait Context<T> {
    fn context(self, context: &'static str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, lancedb::Error> {
    fn context(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Lance { context, source })
    }
}

impl<T> Context<T> for std::result::Result<T, arrow_schema::ArrowError> {
    fn context(self, context: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Arrow { context, source })
    }
}

/// A chunk to add, with the vector the embedder made for it.
#[derive(Debug, Clone)]
pub struct NewChunk {
    pub path: String,
    /// Position of the chunk in its file, from 0.
    pub ordinal: u32,
    pub kind: FileKind,
    pub modified_ms: i64,
    pub chunk: Chunk,
    pub vector: Vec<f32>,
}

/// A file whose chunks are those of another file with the same content: a
/// file moved, renamed or copied. Its text and vectors are taken from the
/// index, not made again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkCopy {
    pub from: String,
    pub to: String,
    pub kind: FileKind,
    pub modified_ms: i64,
}

/// Everything one step of indexing changes, applied by [`Store::write`].
#[derive(Debug, Default)]
pub struct WriteBatch {
    /// Files whose chunks are all replaced by the ones in `chunks` and
    /// `copied`.
    pub replace_chunks_of: Vec<String>,
    pub chunks: Vec<NewChunk>,
    /// Chunks taken from another file, read before anything in this batch
    /// is removed.
    pub copied: Vec<ChunkCopy>,
    /// Records to insert or overwrite, by path.
    pub records: Vec<FileRecord>,
    /// Files whose content is unchanged but whose modification time moved.
    pub retimed: Vec<(String, i64)>,
    /// Files gone from disk: their records and chunks are removed.
    pub removed: Vec<String>,
}

impl WriteBatch {
    pub fn is_empty(&self) -> bool {
        self.replace_chunks_of.is_empty()
            && self.chunks.is_empty()
            && self.copied.is_empty()
            && self.records.is_empty()
            && self.retimed.is_empty()
            && self.removed.is_empty()
    }
}

/// Row counts of the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub files_by_status: HashMap<FileStatus, usize>,
    pub chunks: usize,
}

/// What [`Store::maintain`] did.
#[derive(Debug, Clone, Default)]
pub struct Maintenance {
    pub chunks: usize,
    /// Chunks the full-text index does not cover (0 after maintenance).
    pub unindexed_text_rows: u64,
    pub vector_index: bool,
}

pub struct Store {
    _db: Connection,
    files: Table,
    chunks: Table,
    dimension: usize,
}

impl Store {
    /// Opens the index in `dir`, creating it when it does not exist.
    /// `dimension` is the length of the embedder's vectors.
    pub async fn open(dir: &Path, dimension: usize) -> Result<Store> {
        let path = dir.display().to_string();
        let open_err = |source| StoreError::Open { path: path.clone(), source };
        let db = lancedb::connect(&path).execute().await.map_err(open_err)?;
        let files = open_or_create(&db, FILES_TABLE, schema::files()).await.map_err(open_err)?;
        add_missing_column(&files, schema::reader()).await.map_err(open_err)?;
        let chunks = open_or_create(&db, CHUNKS_TABLE, schema::chunks(dimension))
            .await
            .map_err(open_err)?;
        add_missing_column(&chunks, schema::section()).await.map_err(open_err)?;
        let found = schema::vector_dimension(chunks.schema().await.map_err(open_err)?.as_ref());
        if found != Some(dimension) {
            return Err(StoreError::DimensionMismatch { path, found: found.unwrap_or(0), expected: dimension });
        }
        Ok(Store { _db: db, files, chunks, dimension })
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Every file record, or those under `folder` (an absolute path ending
    /// with `/`).
    pub async fn file_records(&self, folder: Option<&str>) -> Result<Vec<FileRecord>> {
        let mut query = self.files.query();
        if let Some(folder) = folder {
            query = query.only_if(format!("starts_with(path, {})", sql_string(folder)));
        }
        schema::records_from(&collect(query, "reading file records").await?)
    }

    /// The records of `paths` and of everything below those that are
    /// folders.
    pub async fn file_records_within(&self, paths: &[&str]) -> Result<Vec<FileRecord>> {
        let mut records = Vec::new();
        for group in paths.chunks(PATHS_PER_STATEMENT / 2) {
            let below = group
                .iter()
                .map(|p| format!("starts_with(path, {})", sql_string(&format!("{}/", p.trim_end_matches('/')))))
                .collect::<Vec<_>>()
                .join(" OR ");
            let query = self.files.query().only_if(format!("path IN ({}) OR {below}", sql_list(group)));
            records.extend(schema::records_from(&collect(query, "reading file records").await?)?);
        }
        Ok(records)
    }

    /// Records of indexed files that `filter` lets through (sizes
    /// included), at most `limit` of them, in no particular order.
    pub async fn files_matching(&self, filter: &SearchFilter, limit: usize) -> Result<Vec<FileRecord>> {
        let query = self.files.query().only_if(filter.to_file_sql()).limit(limit);
        schema::records_from(&collect(query, "finding files").await?)
    }

    /// Records of files that were skipped or failed, for `nook status`.
    pub async fn problem_records(&self, limit: usize) -> Result<Vec<FileRecord>> {
        let query = self.files.query().only_if("status <> 'indexed'").limit(limit);
        let mut records = schema::records_from(&collect(query, "reading skipped files").await?)?;
        records.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(records)
    }

    /// Applies a batch: chunks first, then records (see the crate invariants).
    pub async fn write(&self, mut batch: WriteBatch) -> Result<()> {
        let copies = self.copied_chunks(&batch.copied).await?;
        batch.chunks.extend(copies);
        let mut stale: Vec<&str> = batch.replace_chunks_of.iter().map(String::as_str).collect();
        stale.extend(batch.removed.iter().map(String::as_str));
        for group in stale.chunks(PATHS_PER_STATEMENT) {
            let predicate = format!("path IN ({})", sql_list(group));
            self.chunks.delete(&predicate).await.context("removing old chunks")?;
        }
        if !batch.chunks.is_empty() {
            let rows = schema::chunk_batch(&batch.chunks, self.dimension).context("building chunk rows")?;
            self.chunks.add(rows).execute().await.context("adding chunks")?;
        }
        // Lance's SQL has no CASE: one update per distinct time, which is
        // one for a whole `touch -R` or checkout that gave files one time.
        let mut by_time: HashMap<i64, Vec<&str>> = HashMap::new();
        for (path, modified_ms) in &batch.retimed {
            by_time.entry(*modified_ms).or_default().push(path);
        }
        for (modified_ms, paths) in by_time {
            for group in paths.chunks(PATHS_PER_STATEMENT) {
                self.chunks
                    .update()
                    .only_if(format!("path IN ({})", sql_list(group)))
                    .column("modified_ms", modified_ms.to_string())
                    .execute()
                    .await
                    .context("updating modification times")?;
            }
        }
        if !batch.records.is_empty() {
            let mut latest: HashMap<&str, &FileRecord> = HashMap::new();
            for record in &batch.records {
                latest.insert(&record.path, record);
            }
            let records: Vec<&FileRecord> = latest.into_values().collect();
            let rows = schema::record_batch(&records).context("building file rows")?;
            let schema = rows.schema();
            let reader: Box<dyn RecordBatchReader + Send> =
                Box::new(RecordBatchIterator::new(vec![Ok(rows)], schema));
            let mut merge = self.files.merge_insert(&["path"]);
            merge.when_matched_update_all(None).when_not_matched_insert_all();
            merge.execute(reader).await.context("recording files")?;
        }
        let removed: Vec<&str> = batch.removed.iter().map(String::as_str).collect();
        for group in removed.chunks(PATHS_PER_STATEMENT) {
            let predicate = format!("path IN ({})", sql_list(group));
            self.files.delete(&predicate).await.context("forgetting removed files")?;
        }
        Ok(())
    }

    /// The chunks that `copies` ask for, under their new paths.
    async fn copied_chunks(&self, copies: &[ChunkCopy]) -> Result<Vec<NewChunk>> {
        let mut by_source: HashMap<&str, Vec<&ChunkCopy>> = HashMap::new();
        for copy in copies {
            by_source.entry(copy.from.as_str()).or_default().push(copy);
        }
        let sources: Vec<&str> = by_source.keys().copied().collect();
        let mut chunks = Vec::new();
        for group in sources.chunks(PATHS_PER_STATEMENT) {
            let query = self.chunks.query().only_if(format!("path IN ({})", sql_list(group)));
            for chunk in schema::chunks_from(&collect(query, "reading chunks to copy").await?)? {
                for copy in &by_source[chunk.path.as_str()] {
                    chunks.push(NewChunk {
                        path: copy.to.clone(),
                        kind: copy.kind,
                        modified_ms: copy.modified_ms,
                        ..chunk.clone()
                    });
                }
            }
        }
        Ok(chunks)
    }

    /// The distinct paths that have chunks, under `folder` (ending with `/`).
    pub async fn chunk_paths(&self, folder: &str) -> Result<HashSet<String>> {
        let query = self
            .chunks
            .query()
            .only_if(format!("starts_with(path, {})", sql_string(folder)))
            .select(Select::columns(&["path"]));
        let mut paths = HashSet::new();
        for batch in collect(query, "listing indexed paths").await? {
            let column = schema::strings(&batch, "path")?;
            paths.extend((0..batch.num_rows()).map(|i| column.value(i).to_string()));
        }
        Ok(paths)
    }

    /// Every chunk of the file at `path`, in the file's order (none when it
    /// is not indexed).
    pub async fn file_chunks(&self, path: &str) -> Result<Vec<ChunkHit>> {
        let query = self
            .chunks
            .query()
            .only_if(format!("path = {}", sql_string(path)))
            .select(Select::columns(schema::HIT_COLUMNS));
        let mut hits = schema::hits_from(&collect(query, "reading a file's chunks").await?)?;
        hits.sort_by_key(|hit| schema::ordinal(&hit.chunk_id));
        Ok(hits)
    }

    /// Nearest chunks to `vector` by cosine distance, best first.
    pub async fn vector_search(&self, vector: &[f32], filter: &SearchFilter, limit: usize) -> Result<Vec<ChunkHit>> {
        self.nearest(vector, filter, limit, false).await
    }

    /// Exact nearest chunks, ignoring any vector index: the reference that
    /// recall is measured against.
    pub async fn exact_vector_search(&self, vector: &[f32], filter: &SearchFilter, limit: usize) -> Result<Vec<ChunkHit>> {
        self.nearest(vector, filter, limit, true).await
    }

    async fn nearest(&self, vector: &[f32], filter: &SearchFilter, limit: usize, exact: bool) -> Result<Vec<ChunkHit>> {
        let mut query = self
            .chunks
            .query()
            .nearest_to(vector)
            .context("vector search")?
            .distance_type(DistanceType::Cosine)
            .select(Select::columns(schema::HIT_COLUMNS))
            .limit(limit);
        if exact {
            query = query.bypass_vector_index();
        } else {
            // HNSW's candidate list defaults to 1.5 × limit, too few for
            // close neighbours; a wider one keeps recall high for little time.
            query = query.nprobes(50).context("vector search")?.ef((limit * 4).max(100)).refine_factor(4);
        }
        if let Some(predicate) = filter.to_sql() {
            query = query.only_if(predicate);
        }
        schema::hits_from(&collect(query, "vector search").await?)
    }

    /// Chunks matching the words of `text` by BM25, best first. Empty while
    /// nothing has been indexed yet.
    pub async fn text_search(&self, text: &str, filter: &SearchFilter, limit: usize) -> Result<Vec<ChunkHit>> {
        if !self.has_index(&self.chunks, IndexType::FTS).await? {
            return Ok(Vec::new());
        }
        let fts = FullTextSearchQuery::new(text.to_string())
            .with_column("text".to_string())
            .map_err(|e| StoreError::Lance { context: "full-text search", source: e.into() })?;
        let mut query = self
            .chunks
            .query()
            .full_text_search(fts)
            .select(Select::columns(schema::HIT_COLUMNS))
            .limit(limit);
        if let Some(predicate) = filter.to_sql() {
            query = query.only_if(predicate);
        }
        schema::hits_from(&collect(query, "full-text search").await?)
    }

    /// Brings indexes up to date with every row, compacts small fragments and
    /// deletes old versions. Run after each indexing run.
    pub async fn maintain(&self) -> Result<Maintenance> {
        let chunks = self.chunks.count_rows(None).await.context("counting chunks")?;
        if chunks > 0 && !self.has_index(&self.chunks, IndexType::FTS).await? {
            let fts = FtsIndexBuilder::default()
                .stem(true)
                .remove_stop_words(true)
                .ascii_folding(true)
                .lower_case(true);
            self.chunks
                .create_index(&["text"], Index::FTS(fts))
                .execute()
                .await
                .context("building the full-text index")?;
        }
        for table in [&self.chunks, &self.files] {
            if !self.has_index(table, IndexType::BTree).await? && table.count_rows(None).await.context("counting rows")? > 0 {
                table
                    .create_index(&["path"], Index::BTree(BTreeIndexBuilder::default()))
                    .execute()
                    .await
                    .context("building the path index")?;
            }
        }
        if chunks >= VECTOR_INDEX_MIN_ROWS && !self.has_index(&self.chunks, IndexType::IvfHnswSq).await? {
            self.build_vector_index().await?;
        }
        for table in [&self.chunks, &self.files] {
            table
                .optimize(OptimizeAction::Compact { options: CompactionOptions::default(), remap_options: None })
                .await
                .context("compacting the index")?;
            table
                .optimize(OptimizeAction::Index(OptimizeOptions::default()))
                .await
                .context("updating search indexes")?;
            // Nook is the only writer of its index folder (crate invariant),
            // so versions older than this one are safe to delete at once.
            table
                .optimize(OptimizeAction::Prune {
                    older_than: Some(Duration::zero()),
                    delete_unverified: Some(true),
                    error_if_tagged_old_versions: Some(false),
                })
                .await
                .context("removing old versions")?;
        }
        let unindexed_text_rows = self.unindexed_text_rows().await?.unwrap_or(0);
        let vector_index = self.has_index(&self.chunks, IndexType::IvfHnswSq).await?;
        Ok(Maintenance { chunks, unindexed_text_rows, vector_index })
    }

    /// Chunks the full-text index does not cover yet (they are still searched,
    /// more slowly), or `None` before the index exists.
    pub async fn unindexed_text_rows(&self) -> Result<Option<u64>> {
        let indices = self.chunks.list_indices().await.context("listing indexes")?;
        Ok(indices
            .iter()
            .find(|i| i.index_type == IndexType::FTS)
            .map(|i| i.num_unindexed_rows.unwrap_or(0)))
    }

    /// Builds the approximate vector index (IVF-HNSW-SQ, cosine) now,
    /// whatever the number of chunks.
    pub async fn build_vector_index(&self) -> Result<()> {
        let ivf = IvfHnswSqIndexBuilder::default().distance_type(DistanceType::Cosine);
        self.chunks
            .create_index(&["vector"], Index::IvfHnswSq(ivf))
            .execute()
            .await
            .context("building the vector index")
    }

    pub async fn counts(&self) -> Result<Counts> {
        let mut files_by_status = HashMap::new();
        for status in [FileStatus::Indexed, FileStatus::Skipped, FileStatus::Failed] {
            let n = self
                .files
                .count_rows(Some(format!("status = '{}'", status.as_str())))
                .await
                .context("counting files")?;
            files_by_status.insert(status, n);
        }
        let chunks = self.chunks.count_rows(None).await.context("counting chunks")?;
        Ok(Counts { files_by_status, chunks })
    }

    async fn has_index(&self, table: &Table, kind: IndexType) -> Result<bool> {
        let indices = table.list_indices().await.context("listing indexes")?;
        Ok(indices.iter().any(|i| i.index_type == kind))
    }
}

/// Appends `field` (all nulls) to a table made before the column existed.
async fn add_missing_column(table: &Table, field: arrow_schema::Field) -> lancedb::Result<()> {
    if table.schema().await?.field_with_name(field.name()).is_ok() {
        return Ok(());
    }
    let added = Arc::new(arrow_schema::Schema::new(vec![field]));
    table.add_columns().transform(lancedb::table::NewColumnTransform::AllNulls(added)).execute().await?;
    Ok(())
}

async fn open_or_create(db: &Connection, name: &str, schema: arrow_schema::SchemaRef) -> lancedb::Result<Table> {
    match db.open_table(name).execute().await {
        Ok(table) => Ok(table),
        Err(lancedb::Error::TableNotFound { .. }) => db.create_empty_table(name, schema).execute().await,
        Err(err) => Err(err),
    }
}

/// Runs a query and gathers its rows.
async fn collect(query: impl ExecutableQuery, context: &'static str) -> Result<Vec<RecordBatch>> {
    query.execute().await.context(context)?.try_collect().await.context(context)
}

fn sql_list(values: &[&str]) -> String {
    values.iter().map(|v| sql_string(v)).collect::<Vec<_>>().join(", ")
}
