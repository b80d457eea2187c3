//! Readers for the document formats people keep next to their notes: PDF,
//! Word, PowerPoint and Excel (OOXML), OpenDocument, EPUB, e-mail, RTF, and
//! the metadata of photos.
//!
//! Bytes in, [`Document`] out: no file system, no threads, no global state.
//! Each reader cuts its document where the format has natural places to cite
//! (PDF pages, spreadsheet sheets, presentation slides, book chapters), so a
//! search result can say "page 3" rather than "somewhere in the file".
//!
//! Every reader is written for hostile input:
//! - sizes are checked **before** anything is decompressed ([`Limits`]), and
//!   a decompressor never yields more than the size its archive declared;
//! - XML is read by a pull parser with no recursion and no entity expansion,
//!   so deep nesting and "billion laughs" cost nothing;
//! - the text produced is capped, and a document cut short says so.
//!
//! What cannot be bounded from inside a process (a parser bug that loops or
//! aborts) is the job of the worker process that calls these readers.

mod archive;
mod eml;
mod image;
mod odf;
mod ooxml;
mod epub;
mod pdf;
mod rtf;
mod text;
mod xml;

use std::fmt;

use serde::{Deserialize, Serialize};

/// A format Nook reads with this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Pptx,
    Xlsx,
    Odt,
    Ods,
    Odp,
    Epub,
    Eml,
    Rtf,
    Image,
}

impl Format {
    /// The format a file name's extension announces.
    pub fn from_extension(extension: &str) -> Option<Format> {
        let format = match extension.to_ascii_lowercase().as_str() {
            "pdf" => Format::Pdf,
            "docx" | "docm" | "dotx" => Format::Docx,
            "pptx" | "pptm" | "ppsx" => Format::Pptx,
            "xlsx" | "xlsm" => Format::Xlsx,
            "odt" | "ott" => Format::Odt,
            "ods" | "ots" => Format::Ods,
            "odp" | "otp" => Format::Odp,
            "epub" => Format::Epub,
            "eml" => Format::Eml,
            "rtf" => Format::Rtf,
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "tif" | "tiff" | "heic" | "heif" | "avif" | "bmp" => {
                Format::Image
            }
            _ => return None,
        };
        Some(format)
    }
}

/// The format with its article, as messages use it: "a PDF", "an image".
impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Format::Pdf => "a PDF",
            Format::Docx => "a Word document",
            Format::Pptx => "a PowerPoint presentation",
            Format::Xlsx => "an Excel workbook",
            Format::Odt => "an OpenDocument text",
            Format::Ods => "an OpenDocument spreadsheet",
            Format::Odp => "an OpenDocument presentation",
            Format::Epub => "an EPUB book",
            Format::Eml => "an e-mail message",
            Format::Rtf => "an RTF document",
            Format::Image => "an image",
        };
        f.write_str(name)
    }
}

/// How much a reader may take from one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Entries in an archive (OOXML, ODF and EPUB are ZIP archives).
    pub max_entries: usize,
    /// Decompressed size of any one part read.
    pub max_part_bytes: u64,
    /// Decompressed size of all the parts read from one document.
    pub max_total_bytes: u64,
    /// Text produced for the whole document; past it, the document is cut
    /// short and [`Document::truncated`] is set.
    pub max_text_bytes: usize,
    /// Sections (pages, sheets, slides, chapters) read.
    pub max_sections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 20_000,
            max_part_bytes: 64 << 20,
            max_total_bytes: 256 << 20,
            max_text_bytes: 16 << 20,
            max_sections: 10_000,
        }
    }
}

/// The text of a document, cut where the format has places to cite.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub title: Option<String>,
    pub sections: Vec<Section>,
    /// The text hit [`Limits::max_text_bytes`] or [`Limits::max_sections`];
    /// what is here is the beginning of the document.
    pub truncated: bool,
}

impl Document {
    /// Whether the document holds any words at all.
    pub fn is_blank(&self) -> bool {
        self.sections.iter().all(|s| s.text.trim().is_empty())
    }
}

/// One place in a document: a page, a sheet, a slide, a chapter, or the
/// whole of a document that has no such places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// How a citation names it: "page 3", "sheet Budget", "slide 4",
    /// "chapter 2". `None`: the document as a whole.
    pub label: Option<String>,
    pub text: String,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FormatError {
    #[error("it is password-protected; Nook cannot read encrypted documents")]
    Encrypted,
    #[error("it is damaged or not really {format} ({detail})")]
    Corrupt { format: Format, detail: String },
    #[error("{what} would decompress to {size} bytes, more than the limit of {limit}; it looks like a decompression bomb")]
    TooLarge { what: String, size: u64, limit: u64 },
    #[error("it has {count} archive entries, more than the limit of {limit}")]
    TooManyEntries { count: usize, limit: usize },
}

impl FormatError {
    pub(crate) fn corrupt(format: Format, detail: impl fmt::Display) -> FormatError {
        FormatError::Corrupt { format, detail: detail.to_string() }
    }
}

/// Reads a document of `format` from its bytes. `name` is the file's name,
/// which an image's text starts with (photos are found by name and
/// metadata, not by words inside them).
pub fn read(format: Format, name: &str, bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    match format {
        Format::Pdf => pdf::read(bytes, limits),
        Format::Docx => ooxml::read_docx(bytes, limits),
        Format::Pptx => ooxml::read_pptx(bytes, limits),
        Format::Xlsx => ooxml::read_xlsx(bytes, limits),
        Format::Odt | Format::Ods | Format::Odp => odf::read(format, bytes, limits),
        Format::Epub => epub::read(bytes, limits),
        Format::Eml => eml::read(bytes, limits),
        Format::Rtf => rtf::read(bytes, limits),
        Format::Image => image::read(name, bytes),
    }
}

