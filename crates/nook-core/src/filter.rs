//! Search filters (`--kind`, `--since`, `--until`, `--folder`, and what a
//! search plan asks for) and the SQL predicates they become over the chunks
//! table and the files table.
//!
//! The predicates are plain SQL over the column names the store documents
//! (`path`, `kind`, `modified_ms`, and `size` and `status` for files);
//! building them here keeps them testable without the store.

use crate::FileKind;

/// Which files a search may return. The default lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// Only files under this folder: an absolute path, normalised by
    /// [`SearchFilter::with_folder`] to end with `/`.
    pub folder: Option<String>,
    /// Only files of these kinds; empty means any kind.
    pub kinds: Vec<FileKind>,
    /// No files of these kinds ("… not the photos").
    pub kinds_not: Vec<FileKind>,
    /// Only files modified at or after this instant (ms since the epoch).
    pub modified_since_ms: Option<i64>,
    /// Only files modified before this instant (ms since the epoch).
    pub modified_until_ms: Option<i64>,
    /// Only paths that contain each of these, ignoring case (given in lower
    /// case): a folder's name as `/name/`, or a name pattern.
    pub path_contains: Vec<String>,
    /// Only paths that contain at least one of these, ignoring case (given
    /// in lower case); empty means no such condition.
    pub path_contains_any: Vec<String>,
    /// Only files of at least this many bytes. Files only: chunks do not
    /// know their file's size.
    pub min_size: Option<u64>,
    /// Only files of at most this many bytes. Files only.
    pub max_size: Option<u64>,
    /// Only files whose name ends with one of these extensions (lower
    /// case, no dot): "zip files" are not every archive.
    pub extensions: Vec<String>,
    /// Only these paths.
    pub paths: Option<Vec<String>>,
}

/// A filter that can match nothing, refused before it reaches the store.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("the folder filter must be an absolute path, got `{0}`")]
    RelativeFolder(String),
    #[error("--since is not before --until: no file can match; swap or widen the dates")]
    EmptyTimeRange,
}

impl SearchFilter {
    /// Restricts results to files below `folder` (an absolute path).
    pub fn with_folder(mut self, folder: &str) -> Result<Self, FilterError> {
        if !folder.starts_with('/') {
            return Err(FilterError::RelativeFolder(folder.to_string()));
        }
        let mut folder = folder.trim_end_matches('/').to_string();
        folder.push('/');
        self.folder = Some(folder);
        Ok(self)
    }

    /// Checks that the filter can match something.
    pub fn validate(&self) -> Result<(), FilterError> {
        if let (Some(since), Some(until)) = (self.modified_since_ms, self.modified_until_ms) {
            if since >= until {
                return Err(FilterError::EmptyTimeRange);
            }
        }
        Ok(())
    }

    /// The SQL predicate selecting matching chunk rows, or `None` when the
    /// filter lets everything through. Sizes are not part of it.
    pub fn to_sql(&self) -> Option<String> {
        let clauses = self.common_clauses();
        if clauses.is_empty() {
            None
        } else {
            Some(clauses.join(" AND "))
        }
    }

    /// The SQL predicate selecting records of indexed files that match,
    /// sizes included.
    pub fn to_file_sql(&self) -> String {
        let mut clauses = vec!["status = 'indexed'".to_string()];
        clauses.extend(self.common_clauses());
        if let Some(min) = self.min_size {
            clauses.push(format!("size >= {min}"));
        }
        if let Some(max) = self.max_size {
            clauses.push(format!("size <= {max}"));
        }
        clauses.join(" AND ")
    }

    /// Whether the filter has parts the chunks table cannot check.
    pub fn needs_file_records(&self) -> bool {
        self.min_size.is_some() || self.max_size.is_some()
    }

    fn common_clauses(&self) -> Vec<String> {
        let mut clauses = Vec::new();
        if let Some(folder) = &self.folder {
            clauses.push(format!("starts_with(path, {})", sql_string(folder)));
        }
        if !self.kinds.is_empty() {
            let list: Vec<String> = self.kinds.iter().map(|k| sql_string(k.as_str())).collect();
            clauses.push(format!("kind IN ({})", list.join(", ")));
        }
        if !self.kinds_not.is_empty() {
            let list: Vec<String> = self.kinds_not.iter().map(|k| sql_string(k.as_str())).collect();
            clauses.push(format!("(kind IS NULL OR kind NOT IN ({}))", list.join(", ")));
        }
        if let Some(since) = self.modified_since_ms {
            clauses.push(format!("modified_ms >= {since}"));
        }
        if let Some(until) = self.modified_until_ms {
            clauses.push(format!("modified_ms < {until}"));
        }
        for part in &self.path_contains {
            clauses.push(format!("strpos(lower(path), {}) > 0", sql_string(part)));
        }
        if !self.path_contains_any.is_empty() {
            let any: Vec<String> =
                self.path_contains_any.iter().map(|p| format!("strpos(lower(path), {}) > 0", sql_string(p))).collect();
            clauses.push(format!("({})", any.join(" OR ")));
        }
        if !self.extensions.is_empty() {
            let any: Vec<String> = self.extensions.iter().map(|e| format!("lower(path) LIKE {}", sql_string(&format!("%.{e}")))).collect();
            clauses.push(format!("({})", any.join(" OR ")));
        }
        if let Some(paths) = &self.paths {
            if paths.is_empty() {
                clauses.push("false".to_string());
            } else {
                let list: Vec<String> = paths.iter().map(|p| sql_string(p)).collect();
                clauses.push(format!("path IN ({})", list.join(", ")));
            }
        }
        clauses
    }
}

/// A SQL string literal: single quotes doubled, nothing else needs escaping.
pub fn sql_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_filter_is_no_predicate() {
        assert_eq!(SearchFilter::default().to_sql(), None);
    }

    #[test]
    fn every_field_becomes_a_clause() {
        let filter = SearchFilter {
            kinds: vec![FileKind::Markdown, FileKind::Code],
            modified_since_ms: Some(1_000),
            modified_until_ms: Some(2_000),
            ..SearchFilter::default()
        }
        .with_folder("/home/ann/Notes/")
        .unwrap();
        assert_eq!(
            filter.to_sql().unwrap(),
            "starts_with(path, '/home/ann/Notes/') AND kind IN ('markdown', 'code') \
             AND modified_ms >= 1000 AND modified_ms < 2000"
        );
    }

    #[test]
    fn extensions_narrow_a_kind() {
        let filter = SearchFilter { kinds: vec![FileKind::Archive], extensions: vec!["zip".into(), "7z".into()], ..SearchFilter::default() };
        assert_eq!(filter.to_sql().unwrap(), "kind IN ('archive') AND (lower(path) LIKE '%.zip' OR lower(path) LIKE '%.7z')");
    }

    #[test]
    fn kinds_left_out_are_a_clause_that_keeps_files_of_no_kind() {
        let filter = SearchFilter { kinds_not: vec![FileKind::Image, FileKind::Email], ..SearchFilter::default() };
        assert_eq!(filter.to_sql().unwrap(), "(kind IS NULL OR kind NOT IN ('image', 'email'))");
    }

    #[test]
    fn plans_add_path_parts_sizes_and_path_lists() {
        let filter = SearchFilter {
            path_contains: vec!["/downloads/".into()],
            min_size: Some(10),
            max_size: Some(20),
            paths: Some(vec!["/a/b.txt".into()]),
            ..SearchFilter::default()
        };
        assert_eq!(
            filter.to_sql().unwrap(),
            "strpos(lower(path), '/downloads/') > 0 AND path IN ('/a/b.txt')"
        );
        assert_eq!(
            filter.to_file_sql(),
            "status = 'indexed' AND strpos(lower(path), '/downloads/') > 0 AND path IN ('/a/b.txt') \
             AND size >= 10 AND size <= 20"
        );
        assert!(filter.needs_file_records());
        let any = SearchFilter { path_contains_any: vec!["a".into(), "b".into()], ..SearchFilter::default() };
        assert_eq!(any.to_sql().unwrap(), "(strpos(lower(path), 'a') > 0 OR strpos(lower(path), 'b') > 0)");
        let none = SearchFilter { paths: Some(Vec::new()), ..SearchFilter::default() };
        assert_eq!(none.to_sql().unwrap(), "false");
    }

    #[test]
    fn folder_prefix_does_not_match_a_sibling_with_a_longer_name() {
        let filter = SearchFilter::default().with_folder("/home/ann/doc").unwrap();
        assert_eq!(filter.folder.as_deref(), Some("/home/ann/doc/"));
    }

    #[test]
    fn quotes_in_paths_cannot_break_out_of_the_literal() {
        let filter = SearchFilter::default().with_folder("/tmp/it's'; DROP").unwrap();
        assert_eq!(filter.to_sql().unwrap(), "starts_with(path, '/tmp/it''s''; DROP/')");
    }

    #[test]
    fn impossible_filters_are_refused() {
        assert_eq!(
            SearchFilter::default().with_folder("relative/dir"),
            Err(FilterError::RelativeFolder("relative/dir".into()))
        );
        let filter = SearchFilter {
            modified_since_ms: Some(5),
            modified_until_ms: Some(5),
            ..SearchFilter::default()
        };
        assert_eq!(filter.validate(), Err(FilterError::EmptyTimeRange));
    }
}
