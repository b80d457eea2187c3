//! The worker process really isolates: each way a reader can go wrong ends
//! in a typed failure for that file, and the next file is read by a fresh
//! worker.

use std::path::PathBuf;
use std::time::Duration;

use nook_corpus::documents::{docx_bomb, docx_of_paragraphs, pdf, PDF_PASSWORD_REQUIRED};
use nook_extractor::{ExtractError, Extractor, ExtractorOptions, Format, FormatError, Limits};

fn options() -> ExtractorOptions {
    ExtractorOptions { program: Some(PathBuf::from(env!("CARGO_BIN_EXE_nook-extract"))), ..ExtractorOptions::default() }
}

fn a_good_document() -> Vec<u8> {
    docx_of_paragraphs(&["The lighthouse keeper logs the storm at dawn."])
}

fn reads_fine(extractor: &Extractor) {
    let document = extractor.extract(Format::Docx, "log.docx", &a_good_document()).expect("a good file after a bad one");
    assert!(document.sections[0].text.contains("lighthouse keeper"));
}

#[test]
fn documents_are_read_in_the_worker_as_in_process() {
    let extractor = Extractor::new(options());
    let bytes = pdf(&["Invoice 2041", "Total due 310 EUR"], "");
    let remote = extractor.extract(Format::Pdf, "invoice.pdf", &bytes).unwrap();
    let local = nook_formats::read(Format::Pdf, "invoice.pdf", &bytes, &Limits::default()).unwrap();
    assert_eq!(remote, local);
    let pid = extractor.worker_pid().expect("a worker runs");
    reads_fine(&extractor);
    assert_eq!(extractor.worker_pid(), Some(pid), "one worker serves file after file");
}

#[test]
fn a_document_the_reader_refuses_is_refused_with_its_reason() {
    let extractor = Extractor::new(options());
    let err = extractor.extract(Format::Pdf, "secret.pdf", &pdf(&["x"], PDF_PASSWORD_REQUIRED)).unwrap_err();
    assert_eq!(err, ExtractError::Refused(FormatError::Encrypted));
    assert!(err.is_about_content());
    reads_fine(&extractor);
}

#[test]
fn a_worker_out_of_memory_fails_the_file_and_the_next_file_gets_a_new_worker() {
    // Limits loose enough to let a 300 MB part through, as a reader bug
    // would; the address-space limit still stops it.
    let limits = Limits { max_part_bytes: 1 << 30, max_total_bytes: 1 << 30, ..Limits::default() };
    let extractor = Extractor::new(ExtractorOptions { memory_bytes: 256 << 20, limits, ..options() });
    let bomb = docx_bomb(300 << 20);
    assert!(bomb.len() < 2 << 20, "the bomb is {} bytes on disk", bomb.len());
    match extractor.extract(Format::Docx, "bomb.docx", &bomb) {
        Err(ExtractError::Crashed { reason }) => assert!(reason.contains("256 MiB"), "{reason}"),
        other => panic!("expected a crash for memory, got {other:?}"),
    }
    reads_fine(&extractor);
}

#[test]
fn a_read_that_takes_too_long_is_stopped() {
    let extractor = Extractor::new(ExtractorOptions { timeout: Duration::from_millis(1), ..options() });
    let long: Vec<String> = (0..2000).map(|i| format!("Paragraph {i} of a long report on harbour maintenance.")).collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    let err = extractor.extract(Format::Docx, "long.docx", &docx_of_paragraphs(&long)).unwrap_err();
    assert!(matches!(err, ExtractError::TimedOut { .. }), "{err:?}");
    assert!(extractor.worker_pid().is_none(), "the worker was killed");
}

#[test]
fn a_reply_over_the_size_limit_is_refused_unread() {
    let extractor = Extractor::new(ExtractorOptions { max_reply_bytes: 200, ..options() });
    let long: Vec<String> = (0..50).map(|i| format!("Paragraph {i} about tides.")).collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    let err = extractor.extract(Format::Docx, "long.docx", &docx_of_paragraphs(&long)).unwrap_err();
    assert_eq!(err, ExtractError::TooMuchOutput { limit: 200 });
}

#[test]
fn a_worker_that_died_between_files_is_replaced_unnoticed() {
    let extractor = std::sync::Arc::new(Extractor::new(options()));
    reads_fine(&extractor);
    let pid = extractor.worker_pid().unwrap();
    // SAFETY: kill(2) on our own child.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    reads_fine(&extractor);
    assert_ne!(extractor.worker_pid(), Some(pid));
}

#[test]
fn a_missing_worker_binary_is_unavailable_not_a_verdict_on_the_file() {
    let extractor = Extractor::new(ExtractorOptions { program: Some("/nonexistent/nook-extract".into()), ..options() });
    let err = extractor.extract(Format::Docx, "a.docx", &a_good_document()).unwrap_err();
    assert!(matches!(err, ExtractError::Unavailable { .. }), "{err:?}");
    assert!(!err.is_about_content());
    assert!(err.to_string().contains("NOOK_EXTRACTOR"), "{err}");
}
