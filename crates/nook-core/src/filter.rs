//! Search filters (`--kind`, `--since`, `--until`, `--folder`) and the SQL
//! predicate they become over the chunks table.
//!
//! The predicate is plain SQL over the column names the store documents
//! (`path`, `kind`, `modified_ms`); building it here keeps it testable without
//! the store.

use crate::FileKind;

/// Which files a search may return. The default lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    /// Only files under this folder: an absolute path, normalised by
    /// [`SearchFilter::with_folder`] to end with `/`.
    pub folder: Option<String>,
    /// Only files of these kinds; empty means any kind.
    pub kinds: Vec<FileKind>,
    /// Only files modified at or after this instant (ms since the epoch).
    pub modified_since_ms: Option<i64>,
    /// Only files modified before this instant (ms since the epoch).
    pub modified_until_ms: Option<i64>,
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
    /// filter lets everything through.
    pub fn to_sql(&self) -> Option<String> {
        let mut clauses = Vec::new();
        if let Some(folder) = &self.folder {
            clauses.push(format!("starts_with(path, {})", sql_string(folder)));
        }
        if !self.kinds.is_empty() {
            let list: Vec<String> = self.kinds.iter().map(|k| sql_string(k.as_str())).collect();
            clauses.push(format!("kind IN ({})", list.join(", ")));
        }
        if let Some(since) = self.modified_since_ms {
            clauses.push(format!("modified_ms >= {since}"));
        }
        if let Some(until) = self.modified_until_ms {
            clauses.push(format!("modified_ms < {until}"));
        }
        if clauses.is_empty() {
            None
        } else {
            Some(clauses.join(" AND "))
        }
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
