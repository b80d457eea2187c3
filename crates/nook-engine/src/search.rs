//! Hybrid search — by meaning (vectors) and by words (BM25), fused by
//! reciprocal rank, one result per file — and the index's status.

use std::path::PathBuf;

use nook_core::{group_by_file, reciprocal_rank_fusion, snippet, ChunkHit, FileHit, FileRecord, FileStatus, SearchFilter};
use nook_core::fusion::RRF_K;
use serde::Serialize;
use tokio::task::block_in_place;

use crate::{Engine, EngineError, Result};

/// Lines and characters a snippet shows at most.
const SNIPPET_LINES: usize = 3;
const SNIPPET_CHARS: usize = 320;

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filter: SearchFilter,
    /// Most files returned.
    pub limit: usize,
}

impl SearchRequest {
    pub fn new(text: impl Into<String>) -> Self {
        SearchRequest { text: text.into(), filter: SearchFilter::default(), limit: 10 }
    }
}

/// Narrows each hit's snippet to the lines that best match `text`.
pub(crate) fn focus_snippets(hits: &mut [FileHit], text: &str) {
    for hit in hits {
        let focused = snippet::focus(&hit.snippet, hit.line_start, text, SNIPPET_LINES, SNIPPET_CHARS);
        hit.snippet = focused.text;
        hit.line_start = focused.line_start;
        hit.line_end = focused.line_end;
    }
}

/// The state of the index, for `nook status`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub index_dir: PathBuf,
    pub model_dir: PathBuf,
    pub files_indexed: usize,
    pub files_skipped: usize,
    pub files_failed: usize,
    pub chunks: usize,
    /// Skipped and failed files with their reasons, by path.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub path: String,
    pub status: String,
    pub reason: String,
}

impl Engine {
    /// The files that best match `request`, best first.
    pub async fn search(&self, request: &SearchRequest) -> Result<Vec<FileHit>> {
        let _foreground = self.foreground();
        let text = request.text.trim();
        if text.is_empty() {
            return Err(EngineError::EmptyQuery);
        }
        request.filter.validate()?;
        // Each retriever returns more chunks than files asked for: several
        // chunks of one file collapse into one result.
        let depth = (request.limit * 5).max(50);
        let fused = self.retrieve(text, text, &request.filter, depth).await?;
        let mut hits = group_by_file(&fused, request.limit);
        focus_snippets(&mut hits, text);
        Ok(hits)
    }

    /// Chunks matching `text` by meaning and `words` by BM25, `depth` from
    /// each, fused by reciprocal rank, best first.
    pub(crate) async fn retrieve(
        &self,
        text: &str,
        words: &str,
        filter: &SearchFilter,
        depth: usize,
    ) -> Result<Vec<(ChunkHit, f32)>> {
        // The model may be loading on another thread: wait off the async
        // workers.
        let embedder = block_in_place(|| self.embedder())?;
        let vector = block_in_place(|| embedder.embed(&[text]))?.remove(0);
        let store = self.store();
        let retrieve = || async {
            let (by_meaning, by_words) = tokio::join!(
                store.vector_search(&vector, filter, depth),
                store.text_search(words, filter, depth),
            );
            Ok::<_, EngineError>([by_meaning?, by_words?])
        };
        // Maintenance deletes old versions of the index as soon as a run
        // ends; a search that overlapped that moment is asked once more.
        let lists = match retrieve().await {
            Ok(lists) => lists,
            Err(_) => retrieve().await?,
        };
        Ok(reciprocal_rank_fusion(&lists, RRF_K))
    }

    /// Counts and the files left out, with why; at most `max_problems` of them.
    pub async fn status(&self, max_problems: usize) -> Result<StatusReport> {
        let counts = self.store().counts().await?;
        let count = |s| counts.files_by_status.get(&s).copied().unwrap_or(0);
        let problems = self
            .store()
            .problem_records(max_problems)
            .await?
            .into_iter()
            .map(|r: FileRecord| Problem {
                path: r.path,
                status: r.status.to_string(),
                reason: r.reason.unwrap_or_default(),
            })
            .collect();
        Ok(StatusReport {
            index_dir: self.paths().index_dir.clone(),
            model_dir: self.model_dir().to_path_buf(),
            files_indexed: count(FileStatus::Indexed),
            files_skipped: count(FileStatus::Skipped),
            files_failed: count(FileStatus::Failed),
            chunks: counts.chunks,
            problems,
        })
    }
}
