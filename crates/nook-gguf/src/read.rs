//! The GGUF layout: magic, version, counts, key-value metadata, tensor
//! table, then aligned tensor data (not read here).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::value::{Value, ValueType};
use crate::{Gguf, GgufError, Metadata, Reason, TensorInfo};

/// Arrays inside arrays deeper than this are taken for corruption.
const MAX_NESTING: usize = 4;
/// ggml tensors have at most 4 dimensions; leave room, refuse nonsense.
const MAX_DIMS: u32 = 8;

pub(crate) fn open(path: &Path) -> Result<Gguf, GgufError> {
    let fail = |reason| GgufError { path: path.to_path_buf(), reason };
    let file = File::open(path).map_err(|e| fail(Reason::Io(e)))?;
    let len = file.metadata().map_err(|e| fail(Reason::Io(e)))?.len();
    let mut reader = Reader { inner: BufReader::with_capacity(1 << 16, file), pos: 0, len };
    parse(&mut reader).map_err(fail)
}

pub(crate) fn parse<R: Read>(r: &mut Reader<R>) -> Result<Gguf, Reason> {
    if r.len < 4 {
        return Err(Reason::NotGguf);
    }
    let mut magic = [0u8; 4];
    r.exact(&mut magic, "the header")?;
    if &magic != b"GGUF" {
        return Err(Reason::NotGguf);
    }
    let version = r.u32("the header")?;
    if !(2..=3).contains(&version) {
        return Err(Reason::UnsupportedVersion(version));
    }
    let tensor_count = r.u64("the header")?;
    let entry_count = r.u64("the header")?;
    // The smallest entry: an empty key (8), a type (4) and one byte.
    r.fits(entry_count, 13, "the metadata")?;
    // The smallest tensor entry: an empty name, 0 dims, a type, an offset.
    r.fits(tensor_count, 8 + 4 + 4 + 8, "the tensor table")?;

    let mut entries = Vec::with_capacity(entry_count as usize);
    for i in 0..entry_count {
        let key = r.string(&format!("metadata entry {i}"))?;
        let what = format!("the metadata key {key}");
        let code = r.u32(&what)?;
        let ty = ValueType::from_code(code).ok_or_else(|| corrupt(&what, format!("unknown value type {code}")))?;
        let value = r.value(ty, &what, 0)?;
        entries.push((key, value));
    }
    let metadata = Metadata::from_entries(entries);

    let mut tensors = Vec::with_capacity(tensor_count as usize);
    for i in 0..tensor_count {
        let name = r.string(&format!("tensor entry {i}"))?;
        let what = format!("the tensor {name}");
        let n_dims = r.u32(&what)?;
        if n_dims > MAX_DIMS {
            return Err(corrupt(&what, format!("{n_dims} dimensions")));
        }
        let dims = (0..n_dims).map(|_| r.u64(&what)).collect::<Result<Vec<_>, _>>()?;
        let ggml_type = r.u32(&what)?;
        let offset = r.u64(&what)?;
        tensors.push(TensorInfo { name, dims, ggml_type, offset });
    }

    let alignment = match metadata.optional("general.alignment", Metadata::u64) {
        Ok(alignment) => alignment.unwrap_or(32),
        Err(err) => return Err(corrupt("general.alignment", err.to_string())),
    };
    if alignment == 0 || !alignment.is_power_of_two() {
        return Err(corrupt("general.alignment", format!("{alignment} is not a power of two")));
    }
    let data_offset = r.pos.div_ceil(alignment) * alignment;
    for tensor in &tensors {
        if data_offset.checked_add(tensor.offset).is_none_or(|start| start > r.len) {
            return Err(Reason::Truncated { what: format!("the data of tensor {}", tensor.name) });
        }
    }
    Ok(Gguf { version, metadata, tensors, data_offset, file_len: r.len })
}

fn corrupt(what: &str, detail: String) -> Reason {
    Reason::Corrupt { what: what.to_string(), detail }
}

pub(crate) struct Reader<R> {
    pub inner: R,
    pub pos: u64,
    pub len: u64,
}

impl<R: Read> Reader<R> {
    fn exact(&mut self, buf: &mut [u8], what: &str) -> Result<(), Reason> {
        match self.inner.read_exact(buf) {
            Ok(()) => {
                self.pos += buf.len() as u64;
                Ok(())
            }
            Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => Err(Reason::Truncated { what: what.to_string() }),
            Err(err) => Err(Reason::Io(err)),
        }
    }

    /// Refuses a count of items that could not fit in the rest of the file,
    /// before anything is allocated for it.
    fn fits(&self, count: u64, min_size: u64, what: &str) -> Result<(), Reason> {
        let remaining = self.len.saturating_sub(self.pos);
        if count.checked_mul(min_size).is_none_or(|bytes| bytes > remaining) {
            return Err(Reason::Truncated { what: format!("{what} ({count} entries announced)") });
        }
        Ok(())
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], Reason> {
        let mut buf = [0u8; N];
        self.exact(&mut buf, what)?;
        Ok(buf)
    }

    fn u32(&mut self, what: &str) -> Result<u32, Reason> {
        self.array(what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &str) -> Result<u64, Reason> {
        self.array(what).map(u64::from_le_bytes)
    }

    fn string(&mut self, what: &str) -> Result<String, Reason> {
        let len = self.u64(what)?;
        self.fits(len, 1, what)?;
        let mut bytes = vec![0u8; len as usize];
        self.exact(&mut bytes, what)?;
        String::from_utf8(bytes).map_err(|_| corrupt(what, "a string is not valid UTF-8".into()))
    }

    fn value(&mut self, ty: ValueType, what: &str, depth: usize) -> Result<Value, Reason> {
        Ok(match ty {
            ValueType::U8 => Value::U8(u8::from_le_bytes(self.array(what)?)),
            ValueType::I8 => Value::I8(i8::from_le_bytes(self.array(what)?)),
            ValueType::U16 => Value::U16(u16::from_le_bytes(self.array(what)?)),
            ValueType::I16 => Value::I16(i16::from_le_bytes(self.array(what)?)),
            ValueType::U32 => Value::U32(u32::from_le_bytes(self.array(what)?)),
            ValueType::I32 => Value::I32(i32::from_le_bytes(self.array(what)?)),
            ValueType::F32 => Value::F32(f32::from_le_bytes(self.array(what)?)),
            ValueType::U64 => Value::U64(u64::from_le_bytes(self.array(what)?)),
            ValueType::I64 => Value::I64(i64::from_le_bytes(self.array(what)?)),
            ValueType::F64 => Value::F64(f64::from_le_bytes(self.array(what)?)),
            ValueType::Bool => match self.array::<1>(what)?[0] {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                other => return Err(corrupt(what, format!("{other} is not a boolean"))),
            },
            ValueType::String => Value::String(self.string(what)?),
            ValueType::Array => {
                if depth >= MAX_NESTING {
                    return Err(corrupt(what, "arrays nested too deep".into()));
                }
                let code = self.u32(what)?;
                let item = ValueType::from_code(code).ok_or_else(|| corrupt(what, format!("unknown array item type {code}")))?;
                let count = self.u64(what)?;
                self.fits(count, item.min_size(), what)?;
                let mut items = Vec::with_capacity(count as usize);
                for _ in 0..count {
                    items.push(self.value(item, what, depth + 1)?);
                }
                Value::Array(items)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MetadataError;

    /// Writes GGUF bytes the way llama.cpp lays them out.
    #[derive(Default)]
    struct Writer(Vec<u8>);

    impl Writer {
        fn header(version: u32, tensors: u64, entries: u64) -> Writer {
            let mut w = Writer(b"GGUF".to_vec());
            w.u32(version).u64(tensors).u64(entries);
            w
        }
        fn u32(&mut self, v: u32) -> &mut Self {
            self.0.extend(v.to_le_bytes());
            self
        }
        fn u64(&mut self, v: u64) -> &mut Self {
            self.0.extend(v.to_le_bytes());
            self
        }
        fn string(&mut self, s: &str) -> &mut Self {
            self.u64(s.len() as u64);
            self.0.extend(s.as_bytes());
            self
        }
        fn kv_str(&mut self, key: &str, value: &str) -> &mut Self {
            self.string(key).u32(8).string(value)
        }
        fn kv_u32(&mut self, key: &str, value: u32) -> &mut Self {
            self.string(key).u32(4).u32(value)
        }
        fn kv_strings(&mut self, key: &str, items: &[&str]) -> &mut Self {
            self.string(key).u32(9).u32(8).u64(items.len() as u64);
            for item in items {
                self.string(item);
            }
            self
        }
        fn tensor(&mut self, name: &str, dims: &[u64], ggml_type: u32, offset: u64) -> &mut Self {
            self.string(name).u32(dims.len() as u32);
            for &d in dims {
                self.u64(d);
            }
            self.u32(ggml_type).u64(offset)
        }
        fn padded(&mut self, total: usize) -> &mut Self {
            self.0.resize(total, 0);
            self
        }
    }

    fn parse_bytes(bytes: &[u8]) -> Result<Gguf, Reason> {
        parse(&mut Reader { inner: bytes, pos: 0, len: bytes.len() as u64 })
    }

    fn small_model() -> Writer {
        let mut w = Writer::header(3, 1, 3);
        w.kv_str("general.architecture", "llama")
            .kv_u32("llama.block_count", 30)
            .kv_strings("tokenizer.ggml.tokens", &["<s>", "a", "▁b"])
            .tensor("token_embd.weight", &[576, 3], 8, 0);
        w.padded(4096);
        w
    }

    #[test]
    fn metadata_and_the_tensor_table_are_read() {
        let gguf = parse_bytes(&small_model().0).unwrap();
        assert_eq!(gguf.version, 3);
        assert_eq!(gguf.architecture(), Ok("llama"));
        assert_eq!(gguf.metadata.u32("llama.block_count"), Ok(30));
        assert_eq!(gguf.metadata.strings("tokenizer.ggml.tokens").unwrap(), ["<s>", "a", "▁b"]);
        let tensor = gguf.tensor("token_embd.weight").unwrap();
        assert_eq!((tensor.dims.as_slice(), tensor.ggml_type), ([576, 3].as_slice(), 8));
        assert_eq!(gguf.data_offset % 32, 0);
    }

    #[test]
    fn keys_are_missing_or_of_the_wrong_type_by_name() {
        let gguf = parse_bytes(&small_model().0).unwrap();
        assert_eq!(gguf.metadata.str("llama.context_length"), Err(MetadataError::Missing { key: "llama.context_length".into() }));
        assert_eq!(
            gguf.metadata.str("llama.block_count").unwrap_err().to_string(),
            "the metadata key llama.block_count should be a string but is an unsigned integer"
        );
        assert_eq!(gguf.metadata.optional("llama.rope.freq_base", Metadata::f32), Ok(None));
    }

    #[test]
    fn a_file_of_something_else_is_not_gguf() {
        assert!(matches!(parse_bytes(b"PK\x03\x04 a zip file"), Err(Reason::NotGguf)));
        assert!(matches!(parse_bytes(b"GG"), Err(Reason::NotGguf)));
        let mut w = Writer::header(1, 0, 0);
        w.padded(64);
        assert!(matches!(parse_bytes(&w.0), Err(Reason::UnsupportedVersion(1))));
    }

    #[test]
    fn a_truncated_file_says_where_it_ends() {
        let bytes = small_model().0;
        for cut in [10, 30, 60, 100] {
            let err = parse_bytes(&bytes[..cut]).unwrap_err();
            assert!(matches!(err, Reason::Truncated { .. }), "cut at {cut}: {err}");
        }
        // The table is whole but the tensor data is gone.
        let mut w = Writer::header(3, 1, 0);
        w.tensor("output.weight", &[8, 8], 0, 1 << 20);
        assert!(parse_bytes(&w.0).unwrap_err().to_string().contains("tensor output.weight"));
    }

    #[test]
    fn absurd_counts_are_refused_before_allocating() {
        let mut w = Writer::header(3, 0, 1);
        w.string("tokenizer.ggml.tokens").u32(9).u32(8).u64(u64::MAX / 2);
        w.padded(200);
        let err = parse_bytes(&w.0).unwrap_err();
        assert!(matches!(err, Reason::Truncated { .. }), "{err}");
        let mut w = Writer::header(3, 0, u64::MAX);
        w.padded(64);
        assert!(matches!(parse_bytes(&w.0), Err(Reason::Truncated { .. })));
    }

    #[test]
    fn unknown_types_and_bad_text_are_corruption() {
        let mut w = Writer::header(3, 0, 1);
        w.string("general.name").u32(99);
        w.padded(64);
        assert!(parse_bytes(&w.0).unwrap_err().to_string().contains("unknown value type 99"));
        let mut w = Writer::header(3, 0, 1);
        w.string("general.name").u32(8).u64(2);
        w.0.extend([0xff, 0xfe]);
        w.padded(64);
        assert!(parse_bytes(&w.0).unwrap_err().to_string().contains("not valid UTF-8"));
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.gguf");
        std::fs::write(&path, b"not a model").unwrap();
        let err = Gguf::open(&path).unwrap_err();
        assert_eq!(err.to_string(), format!("{} is not a usable GGUF model: it does not start with the GGUF magic bytes (is it a GGUF file?)", path.display()));
        let missing = Gguf::open(&dir.path().join("gone.gguf")).unwrap_err();
        assert!(matches!(missing.reason, Reason::Io(_)));
    }
}
