//! The two tables' Arrow schemas and the conversions between their rows and
//! Nook's types.

use std::sync::Arc;

use arrow_array::types::Float32Type;
use arrow_array::{
    Array, FixedSizeListArray, Float32Array, Int64Array, RecordBatch, StringArray, UInt32Array, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use nook_core::{ChunkHit, FileKind, FileRecord};

use crate::{NewChunk, Result, StoreError};

pub const FILES_TABLE: &str = "files";
pub const CHUNKS_TABLE: &str = "chunks";

/// Columns a search reads back; the vector itself is never returned.
pub const HIT_COLUMNS: &[&str] = &["chunk_id", "path", "kind", "modified_ms", "line_start", "line_end", "text", "section"];

pub fn files() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("path", DataType::Utf8, false),
        Field::new("size", DataType::UInt64, false),
        Field::new("modified_ms", DataType::Int64, false),
        Field::new("content_hash", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, true),
        Field::new("status", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, true),
        Field::new("chunk_count", DataType::UInt32, false),
        reader(),
    ]))
}

/// Which document readers gave a file's verdict. Last, because indexes made
/// before it existed get it appended ([`crate::Store::open`]).
pub fn reader() -> Field {
    Field::new("reader", DataType::Utf8, true)
}

pub fn chunks(dimension: usize) -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("chunk_id", DataType::Utf8, false),
        Field::new("path", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("modified_ms", DataType::Int64, false),
        Field::new("line_start", DataType::UInt32, false),
        Field::new("line_end", DataType::UInt32, false),
        Field::new("text", DataType::Utf8, false),
        Field::new(
            "vector",
            DataType::FixedSizeList(Arc::new(Field::new("item", DataType::Float32, true)), dimension as i32),
            false,
        ),
        section(),
    ]))
}

/// The page, sheet or slide of a document a chunk comes from. Last, because
/// indexes made before it existed get it appended ([`crate::Store::open`]).
pub fn section() -> Field {
    Field::new("section", DataType::Utf8, true)
}

/// The vector length a chunks schema was made for.
pub fn vector_dimension(schema: &Schema) -> Option<usize> {
    match schema.field_with_name("vector").ok()?.data_type() {
        DataType::FixedSizeList(_, n) => Some(*n as usize),
        _ => None,
    }
}

pub fn record_batch(records: &[&FileRecord]) -> Result<RecordBatch, ArrowError> {
    let text = |f: fn(&FileRecord) -> Option<&str>| -> Arc<dyn Array> {
        Arc::new(records.iter().map(|r| f(r)).collect::<StringArray>())
    };
    RecordBatch::try_new(
        files(),
        vec![
            text(|r| Some(r.path.as_str())),
            Arc::new(records.iter().map(|r| r.size).collect::<UInt64Array>()),
            Arc::new(records.iter().map(|r| r.modified_ms).collect::<Int64Array>()),
            text(|r| Some(r.content_hash.as_str())),
            text(|r| r.kind.map(FileKind::as_str)),
            text(|r| Some(r.status.as_str())),
            text(|r| r.reason.as_deref()),
            Arc::new(records.iter().map(|r| r.chunk_count).collect::<UInt32Array>()),
            text(|r| r.reader.as_deref()),
        ],
    )
}

pub fn chunk_batch(chunks: &[NewChunk], dimension: usize) -> Result<RecordBatch, ArrowError> {
    let text = |f: fn(&NewChunk) -> String| -> Arc<dyn Array> {
        Arc::new(chunks.iter().map(|c| Some(f(c))).collect::<StringArray>())
    };
    for c in chunks {
        if c.vector.len() != dimension {
            return Err(ArrowError::InvalidArgumentError(format!(
                "chunk {} of {} has a vector of {} values, expected {dimension}",
                c.ordinal,
                c.path,
                c.vector.len()
            )));
        }
    }
    let vectors = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(
        chunks.iter().map(|c| Some(c.vector.iter().copied().map(Some))),
        dimension as i32,
    );
    RecordBatch::try_new(
        self::chunks(dimension),
        vec![
            text(|c| chunk_id(&c.path, c.ordinal)),
            text(|c| c.path.clone()),
            text(|c| c.kind.as_str().to_string()),
            Arc::new(chunks.iter().map(|c| c.modified_ms).collect::<Int64Array>()),
            Arc::new(chunks.iter().map(|c| c.chunk.line_start).collect::<UInt32Array>()),
            Arc::new(chunks.iter().map(|c| c.chunk.line_end).collect::<UInt32Array>()),
            text(|c| c.chunk.text.clone()),
            Arc::new(vectors),
            Arc::new(chunks.iter().map(|c| c.chunk.section.as_deref()).collect::<StringArray>()),
        ],
    )
}

/// The id of a file's `ordinal`-th chunk: unique across the index.
pub fn chunk_id(path: &str, ordinal: u32) -> String {
    format!("{path}#{ordinal}")
}

pub fn records_from(batches: &[RecordBatch]) -> Result<Vec<FileRecord>> {
    let mut records = Vec::new();
    for batch in batches {
        let path = strings(batch, "path")?;
        let size = column::<UInt64Array>(batch, "size")?;
        let modified = column::<Int64Array>(batch, "modified_ms")?;
        let hash = strings(batch, "content_hash")?;
        let kind = strings(batch, "kind")?;
        let status = strings(batch, "status")?;
        let reason = strings(batch, "reason")?;
        let chunk_count = column::<UInt32Array>(batch, "chunk_count")?;
        let reader = batch.column_by_name("reader").and_then(|c| c.as_any().downcast_ref::<StringArray>());
        for i in 0..batch.num_rows() {
            records.push(FileRecord {
                path: path.value(i).to_string(),
                size: size.value(i),
                modified_ms: modified.value(i),
                content_hash: hash.value(i).to_string(),
                kind: optional(kind, i).map(parse_kind).transpose()?,
                status: status.value(i).parse().map_err(|e| StoreError::BadRow(format!("{e}")))?,
                reason: optional(reason, i).map(str::to_string),
                chunk_count: chunk_count.value(i),
                reader: reader.and_then(|r| optional(r, i)).map(str::to_string),
            });
        }
    }
    Ok(records)
}

/// The columns every chunk row read back has.
struct ChunkColumns<'a> {
    id: &'a StringArray,
    path: &'a StringArray,
    kind: &'a StringArray,
    modified: &'a Int64Array,
    line_start: &'a UInt32Array,
    line_end: &'a UInt32Array,
    text: &'a StringArray,
    section: Option<&'a StringArray>,
}

impl<'a> ChunkColumns<'a> {
    fn of(batch: &'a RecordBatch) -> Result<ChunkColumns<'a>> {
        Ok(ChunkColumns {
            id: strings(batch, "chunk_id")?,
            path: strings(batch, "path")?,
            kind: strings(batch, "kind")?,
            modified: column::<Int64Array>(batch, "modified_ms")?,
            line_start: column::<UInt32Array>(batch, "line_start")?,
            line_end: column::<UInt32Array>(batch, "line_end")?,
            text: strings(batch, "text")?,
            section: batch.column_by_name("section").and_then(|c| c.as_any().downcast_ref::<StringArray>()),
        })
    }

    fn chunk(&self, i: usize) -> nook_core::Chunk {
        nook_core::Chunk {
            text: self.text.value(i).to_string(),
            line_start: self.line_start.value(i),
            line_end: self.line_end.value(i),
            section: self.section.and_then(|s| optional(s, i)).map(str::to_string),
        }
    }
}

/// The ordinal read back from a chunk's id (see [`chunk_id`]).
pub fn ordinal(id: &str) -> Option<u32> {
    id.rsplit_once('#').and_then(|(_, n)| n.parse().ok())
}

/// Whole chunk rows, vectors included (the `ordinal` read back from the id).
pub fn chunks_from(batches: &[RecordBatch]) -> Result<Vec<NewChunk>> {
    let mut chunks = Vec::new();
    for batch in batches {
        let columns = ChunkColumns::of(batch)?;
        let vectors = column::<FixedSizeListArray>(batch, "vector")?;
        for i in 0..batch.num_rows() {
            let id = columns.id.value(i);
            let ordinal = ordinal(id)
                .ok_or_else(|| StoreError::BadRow(format!("chunk id `{id}` has no ordinal")))?;
            let vector = vectors.value(i);
            let vector = vector
                .as_any()
                .downcast_ref::<Float32Array>()
                .ok_or_else(|| StoreError::BadRow("vector values are not 32-bit floats".into()))?;
            chunks.push(NewChunk {
                path: columns.path.value(i).to_string(),
                ordinal,
                kind: parse_kind(columns.kind.value(i))?,
                modified_ms: columns.modified.value(i),
                chunk: columns.chunk(i),
                vector: vector.values().to_vec(),
            });
        }
    }
    Ok(chunks)
}

pub fn hits_from(batches: &[RecordBatch]) -> Result<Vec<ChunkHit>> {
    let mut hits = Vec::new();
    for batch in batches {
        let columns = ChunkColumns::of(batch)?;
        // Nearest-neighbour queries add the distance to the query.
        let distance = batch.column_by_name("_distance").and_then(|c| c.as_any().downcast_ref::<Float32Array>());
        for i in 0..batch.num_rows() {
            let chunk = columns.chunk(i);
            hits.push(ChunkHit {
                chunk_id: columns.id.value(i).to_string(),
                path: columns.path.value(i).to_string(),
                kind: Some(parse_kind(columns.kind.value(i))?),
                modified_ms: columns.modified.value(i),
                text: chunk.text,
                line_start: chunk.line_start,
                line_end: chunk.line_end,
                section: chunk.section,
                distance: distance.filter(|d| !d.is_null(i)).map(|d| d.value(i)),
            });
        }
    }
    Ok(hits)
}

fn parse_kind(s: &str) -> Result<FileKind> {
    s.parse().map_err(|e| StoreError::BadRow(format!("{e}")))
}

fn optional(array: &StringArray, row: usize) -> Option<&str> {
    (!array.is_null(row)).then(|| array.value(row))
}

pub fn strings<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray> {
    column::<StringArray>(batch, name)
}

fn column<'a, A: Array + 'static>(batch: &'a RecordBatch, name: &str) -> Result<&'a A> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<A>())
        .ok_or_else(|| StoreError::BadRow(format!("column `{name}` is missing or of the wrong type")))
}
