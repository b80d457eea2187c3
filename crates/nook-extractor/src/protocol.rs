//! The pipe protocol between Nook and its worker: one request, one reply,
//! in order. Frames are length-prefixed so a reply can be refused by its
//! size before it is read.
//!
//! - request: `u32` header length, JSON [`Request`], `u64` body length, the
//!   file's bytes;
//! - reply: `u64` length, JSON [`Reply`].

use std::io::{self, Read, Write};

use nook_formats::{Document, Format, FormatError, Limits};
use serde::{Deserialize, Serialize};

/// What the worker is asked to read; the file's bytes follow it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub format: Format,
    /// The file's name (images are described by it).
    pub name: String,
    pub limits: Limits,
    /// CPU seconds the worker may spend on this file.
    pub cpu_seconds: u64,
}

/// What reading one file came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    Read(Document),
    Refused(FormatError),
    /// The reader panicked; the worker caught it and carries on.
    Panicked(String),
}

const MAX_HEADER: u32 = 64 * 1024;

pub fn write_request(out: &mut impl Write, request: &Request, bytes: &[u8]) -> io::Result<()> {
    let header = serde_json::to_vec(request).map_err(io::Error::other)?;
    out.write_all(&(header.len() as u32).to_le_bytes())?;
    out.write_all(&header)?;
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)?;
    out.flush()
}

/// The next request, or `None` when Nook closed the pipe.
pub fn read_request(input: &mut impl Read, max_body: u64) -> io::Result<Option<(Request, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_HEADER {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("request header of {len} bytes")));
    }
    let mut header = vec![0; len as usize];
    input.read_exact(&mut header)?;
    let request: Request = serde_json::from_slice(&header).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let body = read_sized(input, max_body)?;
    Ok(Some((request, body)))
}

pub fn write_reply(out: &mut impl Write, reply: &Reply) -> io::Result<()> {
    let body = serde_json::to_vec(reply).map_err(io::Error::other)?;
    out.write_all(&(body.len() as u64).to_le_bytes())?;
    out.write_all(&body)?;
    out.flush()
}

/// The next reply's bytes; longer than `max` is an error, found before the
/// reply is read.
pub fn read_reply_bytes(input: &mut impl Read, max: u64) -> io::Result<Vec<u8>> {
    read_sized(input, max)
}

pub fn parse_reply(bytes: &[u8]) -> io::Result<Reply> {
    serde_json::from_slice(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn read_sized(input: &mut impl Read, max: u64) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, format!("{len} bytes, more than the limit of {max}")));
    }
    let mut body = Vec::with_capacity(len as usize);
    input.take(len).read_to_end(&mut body)?;
    if (body.len() as u64) < len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_survive_the_pipe() {
        let request = Request { format: Format::Pdf, name: "a.pdf".into(), limits: Limits::default(), cpu_seconds: 5 };
        let mut pipe = Vec::new();
        write_request(&mut pipe, &request, b"%PDF-1.4").unwrap();
        let (read, body) = read_request(&mut pipe.as_slice(), 100).unwrap().unwrap();
        assert_eq!((read.format, read.name.as_str(), body.as_slice()), (Format::Pdf, "a.pdf", &b"%PDF-1.4"[..]));
        assert!(read_request(&mut &b""[..], 100).unwrap().is_none(), "a closed pipe is the end, not an error");

        let mut pipe = Vec::new();
        write_reply(&mut pipe, &Reply::Refused(FormatError::Encrypted)).unwrap();
        let bytes = read_reply_bytes(&mut pipe.as_slice(), 1000).unwrap();
        assert_eq!(parse_reply(&bytes).unwrap(), Reply::Refused(FormatError::Encrypted));
    }

    #[test]
    fn an_oversized_frame_is_refused_before_it_is_read() {
        let mut pipe = Vec::new();
        write_reply(&mut pipe, &Reply::Panicked("x".repeat(1000))).unwrap();
        let err = read_reply_bytes(&mut pipe.as_slice(), 100).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }
}
