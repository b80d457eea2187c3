//! GGUF files as llama.cpp writes them (versions 2 and 3): the metadata
//! (architecture, hyper-parameters, tokenizer, chat template) and the table
//! of tensors, read without touching the weights.
//!
//! A file that is not GGUF, truncated or corrupt gives a [`GgufError`]
//! naming the file and what is wrong; sizes read from the file are checked
//! against its length before anything is allocated for them.

mod read;
mod value;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use value::{Value, ValueType};

/// A GGUF file's header, metadata and tensor table.
#[derive(Debug, Clone)]
pub struct Gguf {
    pub version: u32,
    pub metadata: Metadata,
    pub tensors: Vec<TensorInfo>,
    /// Where tensor data starts in the file (aligned).
    pub data_offset: u64,
    /// The file's length in bytes.
    pub file_len: u64,
}

/// One tensor's entry in the table: its data is at `data_offset + offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    pub name: String,
    /// Dimensions, innermost first (ggml's order).
    pub dims: Vec<u64>,
    /// The ggml type id (0 F32, 1 F16, 2 Q4_0, 3 Q4_1, 8 Q8_0, 12 Q4_K…).
    pub ggml_type: u32,
    pub offset: u64,
}

impl Gguf {
    /// Reads the header, metadata and tensor table of `path`.
    pub fn open(path: &Path) -> Result<Gguf, GgufError> {
        read::open(path)
    }

    /// The model's architecture (`general.architecture`).
    pub fn architecture(&self) -> Result<&str, MetadataError> {
        self.metadata.str("general.architecture")
    }

    pub fn tensor(&self, name: &str) -> Option<&TensorInfo> {
        self.tensors.iter().find(|t| t.name == name)
    }
}

/// Key-value metadata, in file order.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    entries: Vec<(String, Value)>,
    index: HashMap<String, usize>,
}

impl Metadata {
    pub fn from_entries(entries: Vec<(String, Value)>) -> Metadata {
        let index = entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
        Metadata { entries, index }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.index.get(key).map(|&i| &self.entries[i].1)
    }

    pub fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn require(&self, key: &str) -> Result<&Value, MetadataError> {
        self.get(key).ok_or_else(|| MetadataError::Missing { key: key.to_string() })
    }

    fn wrong(key: &str, expected: &'static str, found: &Value) -> MetadataError {
        MetadataError::WrongType { key: key.to_string(), expected, found: found.type_name() }
    }

    pub fn str(&self, key: &str) -> Result<&str, MetadataError> {
        match self.require(key)? {
            Value::String(s) => Ok(s),
            other => Err(Self::wrong(key, "a string", other)),
        }
    }

    /// An unsigned integer of any width (files differ in which they use).
    pub fn u64(&self, key: &str) -> Result<u64, MetadataError> {
        let value = self.require(key)?;
        value.as_u64().ok_or_else(|| Self::wrong(key, "an unsigned integer", value))
    }

    pub fn u32(&self, key: &str) -> Result<u32, MetadataError> {
        let value = self.require(key)?;
        value.as_u64().and_then(|v| u32::try_from(v).ok()).ok_or_else(|| Self::wrong(key, "a 32-bit unsigned integer", value))
    }

    pub fn f32(&self, key: &str) -> Result<f32, MetadataError> {
        match self.require(key)? {
            Value::F32(v) => Ok(*v),
            Value::F64(v) => Ok(*v as f32),
            other => Err(Self::wrong(key, "a float", other)),
        }
    }

    pub fn bool(&self, key: &str) -> Result<bool, MetadataError> {
        match self.require(key)? {
            Value::Bool(v) => Ok(*v),
            other => Err(Self::wrong(key, "a boolean", other)),
        }
    }

    pub fn strings(&self, key: &str) -> Result<Vec<String>, MetadataError> {
        self.array(key, "an array of strings", |v| match v {
            Value::String(s) => Some(s.clone()),
            _ => None,
        })
    }

    pub fn i32s(&self, key: &str) -> Result<Vec<i32>, MetadataError> {
        self.array(key, "an array of integers", |v| v.as_i64().and_then(|v| i32::try_from(v).ok()))
    }

    pub fn f32s(&self, key: &str) -> Result<Vec<f32>, MetadataError> {
        self.array(key, "an array of floats", |v| match v {
            Value::F32(f) => Some(*f),
            Value::F64(f) => Some(*f as f32),
            _ => None,
        })
    }

    fn array<T>(&self, key: &str, expected: &'static str, item: impl Fn(&Value) -> Option<T>) -> Result<Vec<T>, MetadataError> {
        match self.require(key)? {
            Value::Array(items) => items.iter().map(|v| item(v).ok_or_else(|| Self::wrong(key, expected, v))).collect(),
            other => Err(Self::wrong(key, expected, other)),
        }
    }

    /// `Ok(None)` when the key is absent; an error only when it is there
    /// with the wrong type.
    pub fn optional<T>(&self, key: &str, get: impl Fn(&Metadata, &str) -> Result<T, MetadataError>) -> Result<Option<T>, MetadataError> {
        if self.get(key).is_none() {
            return Ok(None);
        }
        get(self, key).map(Some)
    }
}

/// What is wrong with a metadata key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetadataError {
    #[error("the metadata key {key} is missing")]
    Missing { key: String },
    #[error("the metadata key {key} should be {expected} but is {found}")]
    WrongType { key: String, expected: &'static str, found: &'static str },
}

/// Why a file could not be read as GGUF.
#[derive(Debug, thiserror::Error)]
pub struct GgufError {
    pub path: PathBuf,
    pub reason: Reason,
}

impl fmt::Display for GgufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a usable GGUF model: {}", self.path.display(), self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Reason {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("it does not start with the GGUF magic bytes (is it a GGUF file?)")]
    NotGguf,
    #[error("GGUF version {0} is not supported (Nook reads versions 2 and 3)")]
    UnsupportedVersion(u32),
    #[error("the file ends early, inside {what} (truncated download?)")]
    Truncated { what: String },
    #[error("{what} is corrupt: {detail}")]
    Corrupt { what: String, detail: String },
}

/// The bytes of a GGUF v3 file with no tensors and one metadata entry,
/// `general.architecture`: the smallest file the checks made before loading
/// weights accept (for tests and tools).
pub fn header_only(architecture: &str) -> Vec<u8> {
    let mut bytes = b"GGUF".to_vec();
    bytes.extend(3u32.to_le_bytes());
    bytes.extend(0u64.to_le_bytes()); // tensors
    bytes.extend(1u64.to_le_bytes()); // metadata entries
    let string = |bytes: &mut Vec<u8>, s: &str| {
        bytes.extend((s.len() as u64).to_le_bytes());
        bytes.extend(s.as_bytes());
    };
    string(&mut bytes, "general.architecture");
    bytes.extend(8u32.to_le_bytes()); // a string value
    string(&mut bytes, architecture);
    bytes
}
