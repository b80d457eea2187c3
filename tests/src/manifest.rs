//! A home folder built from a manifest (`tests/eval/homes/*.json`): each
//! file at its path with its text or its size, modified on its day.
//!
//! Text files hold their text; PDF, DOCX and ODT files are real documents
//! holding it; an e-mail is written as given; a photo is a small JPEG
//! padded to its size; audio, video and archives, which Nook knows by
//! name, size and dates alone, are sparse files of their size.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use nook_corpus::documents::{docx_of_paragraphs, jpeg, odt_of_paragraphs, pdf_with_contents};
use serde_json::Value;

/// The day a manifest's requests speak of ("this week").
pub fn today_of(manifest: &Value) -> NaiveDate {
    day(manifest["today"].as_str().expect("the manifest says which day is today"))
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| panic!("{text}: not a YYYY-MM-DD day"))
}

/// Writes every file of `manifest` under `root`; returns how many.
pub fn build(manifest: &Value, root: &Path) -> usize {
    let files = manifest["files"].as_array().expect("the manifest lists files");
    for file in files {
        let rel = file["path"].as_str().expect("each file has a path");
        let path = root.join(rel);
        fs::create_dir_all(path.parent().expect("a folder")).expect("folders are writable");
        let text = file["text"].as_str();
        let size = file["size"].as_u64();
        let ext = extension(rel);
        match (text, ext.as_str()) {
            (Some(text), "pdf") => fs::write(&path, pdf_of_text(text)),
            (Some(text), "docx") => fs::write(&path, docx_of_paragraphs(&paragraphs(text))),
            (Some(text), "odt") => fs::write(&path, odt_of_paragraphs(&paragraphs(text))),
            (Some(text), _) => fs::write(&path, text),
            (None, "jpg" | "jpeg") => {
                let taken = format!("{} 10:00:00", file["modified"].as_str().unwrap_or("2020-01-01").replace('-', ":"));
                fs::write(&path, jpeg(640, 480, "Phone", "Camera", &taken, 1))
            }
            (None, _) => fs::write(&path, b""),
        }
        .expect("files are writable");
        if let Some(size) = size {
            let handle = fs::File::options().write(true).open(&path).expect("just written");
            if handle.metadata().expect("just written").len() < size {
                handle.set_len(size).expect("files can grow");
            }
        }
        let modified = nook_corpus::dated::local_noon(day(file["modified"].as_str().expect("each file has a day")));
        fs::File::options().write(true).open(&path).expect("just written").set_modified(modified).expect("times can be set");
    }
    files.len()
}

fn extension(rel: &str) -> String {
    Path::new(rel).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}

fn paragraphs(text: &str) -> Vec<&str> {
    text.split('\n').map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// A one-page PDF showing `text` line by line (wrapped at 90 characters),
/// in the ASCII the built-in font has.
fn pdf_of_text(text: &str) -> Vec<u8> {
    let mut lines = Vec::new();
    for paragraph in paragraphs(text) {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + word.len() > 90 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    let shown: Vec<String> = lines.iter().map(|l| format!("({}) Tj T*", pdf_string(l))).collect();
    pdf_with_contents(&[format!("BT /F1 11 Tf 14 TL 72 740 Td {} ET", shown.join(" "))], "")
}

fn pdf_string(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '’' | '‘' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' | '—' => out.push('-'),
            '€' => out.push_str("EUR"),
            _ => out.push_str(&ascii_fold(c)),
        }
    }
    out
}

fn ascii_fold(c: char) -> String {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ß' => "ss",
        'À' | 'Á' | 'Â' | 'Ä' => "A",
        'É' | 'È' => "E",
        'Ö' => "O",
        'Ü' => "U",
        _ => " ",
    };
    folded.to_string()
}
