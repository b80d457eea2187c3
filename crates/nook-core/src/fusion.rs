//! Hybrid ranking: reciprocal rank fusion of the vector and full-text result
//! lists, then one result per file with its best chunk as the snippet.

use std::collections::{HashMap, HashSet};

use crate::FileKind;

/// The constant of reciprocal rank fusion (Cormack et al., 2009): a chunk at
/// rank `r` in one list scores `1 / (RRF_K + r)`.
pub const RRF_K: f32 = 60.0;

/// One chunk returned by one retriever.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkHit {
    /// Unique id of the chunk row; the same chunk found by both retrievers
    /// carries the same id.
    pub chunk_id: String,
    pub path: String,
    pub kind: Option<FileKind>,
    pub modified_ms: i64,
    pub text: String,
    pub line_start: u32,
    pub line_end: u32,
    /// The page, sheet or slide the chunk comes from, for documents that
    /// have them.
    pub section: Option<String>,
    /// Cosine distance to the query (0 same direction, 1 unrelated, 2
    /// opposite), for chunks found by meaning.
    pub distance: Option<f32>,
}

/// One file in a search result, with the chunk that matched best.
#[derive(Debug, Clone, PartialEq)]
pub struct FileHit {
    pub path: String,
    pub kind: Option<FileKind>,
    pub modified_ms: i64,
    /// Fused score of the best chunk; only the order it induces is meaningful.
    pub score: f32,
    pub snippet: String,
    pub line_start: u32,
    pub line_end: u32,
    /// The page, sheet or slide of the best chunk, when the file has them.
    pub section: Option<String>,
    /// How many of the file's chunks appeared in any result list.
    pub matching_chunks: u32,
    /// The file's size in bytes, when the search looked it up.
    pub size: Option<u64>,
    /// Found (also) by its name or folder, not only by its content.
    pub name_match: bool,
    /// How near the file's text comes to the query's meaning: the cosine
    /// similarity of its nearest chunk found by meaning (1 the same, 0
    /// unrelated); none when it was found only by its words or its name.
    pub closeness: Option<f32>,
}

/// Fuses ranked lists (best first) into one list, best first. Ties keep the
/// order in which chunks were first seen, so the result is deterministic.
pub fn reciprocal_rank_fusion(lists: &[Vec<ChunkHit>], k: f32) -> Vec<(ChunkHit, f32)> {
    let mut slot_of: HashMap<&str, usize> = HashMap::new();
    let mut fused: Vec<(ChunkHit, f32)> = Vec::new();
    for list in lists {
        for (rank, hit) in list.iter().enumerate() {
            let contribution = 1.0 / (k + rank as f32 + 1.0);
            match slot_of.get(hit.chunk_id.as_str()) {
                Some(&slot) => fused[slot].1 += contribution,
                None => {
                    slot_of.insert(&hit.chunk_id, fused.len());
                    fused.push((hit.clone(), contribution));
                }
            }
        }
    }
    // Stable sort: equal scores stay in first-seen order.
    fused.sort_by(|a, b| b.1.total_cmp(&a.1));
    fused
}

/// One hit per file, best file first: each file is represented by its
/// best-scoring chunk.
pub fn group_by_file(fused: &[(ChunkHit, f32)], limit: usize) -> Vec<FileHit> {
    let mut chunks_per_file: HashMap<&str, u32> = HashMap::new();
    let mut closeness: HashMap<&str, f32> = HashMap::new();
    for (hit, _) in fused {
        *chunks_per_file.entry(hit.path.as_str()).or_default() += 1;
        if let Some(distance) = hit.distance {
            let near = closeness.entry(hit.path.as_str()).or_insert(f32::MIN);
            *near = near.max(1.0 - distance);
        }
    }
    let mut seen = HashSet::new();
    fused
        .iter()
        .filter(|(hit, _)| seen.insert(hit.path.as_str()))
        .take(limit)
        .map(|(hit, score)| FileHit {
            path: hit.path.clone(),
            kind: hit.kind,
            modified_ms: hit.modified_ms,
            score: *score,
            snippet: hit.text.clone(),
            line_start: hit.line_start,
            line_end: hit.line_end,
            section: hit.section.clone(),
            matching_chunks: chunks_per_file[hit.path.as_str()],
            size: None,
            name_match: false,
            closeness: closeness.get(hit.path.as_str()).copied(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str) -> ChunkHit {
        let (path, line) = id.split_once(':').unwrap();
        let line: u32 = line.parse().unwrap();
        ChunkHit {
            chunk_id: id.to_string(),
            path: path.to_string(),
            kind: Some(FileKind::Text),
            modified_ms: 0,
            text: format!("text of {id}"),
            line_start: line,
            line_end: line + 1,
            section: None,
            distance: None,
        }
    }

    fn list(ids: &[&str]) -> Vec<ChunkHit> {
        ids.iter().map(|id| hit(id)).collect()
    }

    fn ids(fused: &[(ChunkHit, f32)]) -> Vec<&str> {
        fused.iter().map(|(h, _)| h.chunk_id.as_str()).collect()
    }

    #[test]
    fn a_chunk_found_by_both_retrievers_outranks_one_found_once() {
        let vector = list(&["a:1", "b:1", "c:1"]);
        let text = list(&["c:1", "d:1"]);
        let fused = reciprocal_rank_fusion(&[vector, text], RRF_K);
        // b and d tie (both second in one list): first seen wins.
        assert_eq!(ids(&fused), ["c:1", "a:1", "b:1", "d:1"]);
        let expected_c = 1.0 / 63.0 + 1.0 / 61.0;
        assert!((fused[0].1 - expected_c).abs() < 1e-7);
    }

    #[test]
    fn equal_scores_keep_first_seen_order() {
        let fused = reciprocal_rank_fusion(&[list(&["x:1"]), list(&["y:1"])], RRF_K);
        assert_eq!(ids(&fused), ["x:1", "y:1"]);
    }

    #[test]
    fn files_are_represented_by_their_best_chunk() {
        let fused = reciprocal_rank_fusion(
            &[list(&["a:10", "b:1", "a:20"]), list(&["a:20", "c:5"])],
            RRF_K,
        );
        let files = group_by_file(&fused, 10);
        let summary: Vec<(&str, u32, u32)> =
            files.iter().map(|f| (f.path.as_str(), f.line_start, f.matching_chunks)).collect();
        assert_eq!(summary, [("a", 20, 2), ("b", 1, 1), ("c", 5, 1)]);
        assert_eq!(files[0].snippet, "text of a:20");
    }

    #[test]
    fn the_limit_counts_files_not_chunks() {
        let fused = reciprocal_rank_fusion(&[list(&["a:1", "a:2", "b:1", "c:1"])], RRF_K);
        let files: Vec<String> = group_by_file(&fused, 2).into_iter().map(|f| f.path).collect();
        assert_eq!(files, ["a", "b"]);
    }
}
