//! PDF: the text of each page, through lopdf.
//!
//! lopdf bounds what it inflates while loading (object and cross-reference
//! streams) and per page (content streams, font maps); a page it cannot
//! read costs that page only. Documents that open with the empty password
//! (most "encrypted" PDFs: printing or copying restrictions) are read; those
//! that need a password are refused.

use crate::text::TextSink;
use crate::{Document, Format, FormatError, Limits};

const FORMAT: Format = Format::Pdf;

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    if !bytes.get(..1024).unwrap_or(bytes).windows(5).any(|w| w == b"%PDF-") {
        return Err(FormatError::corrupt(FORMAT, "it does not start with a PDF header"));
    }
    let max = usize::try_from(limits.max_part_bytes).unwrap_or(usize::MAX);
    let options = lopdf::LoadOptions { max_decompressed_size: Some(max), ..lopdf::LoadOptions::default() };
    let document = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(document) => document,
        Err(e) if is_password_error(&e) => return Err(FormatError::Encrypted),
        Err(e) => return Err(FormatError::corrupt(FORMAT, e)),
    };
    // Opened with the empty password, lopdf drops /Encrypt from the trailer;
    // when it is still there, a password is needed.
    if document.trailer.get(b"Encrypt").is_ok() {
        return Err(FormatError::Encrypted);
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(FormatError::corrupt(FORMAT, "it has no pages"));
    }
    let mut sink = TextSink::new(limits);
    let mut failed_pages = 0;
    for (&number, _) in pages.iter() {
        if sink.is_full() || !sink.start_section(Some(format!("page {number}"))) {
            break;
        }
        let mut page_failed = false;
        for chunk in document.extract_text_chunks_with_limit(&[number], max) {
            match chunk {
                Ok(text) => sink.push(&text),
                Err(_) => page_failed = true,
            }
        }
        sink.newline();
        failed_pages += usize::from(page_failed);
    }
    if failed_pages == pages.len() {
        return Err(FormatError::corrupt(FORMAT, "none of its pages could be read"));
    }
    let document_text = sink.finish(None);
    // A file whose structure had to be rebuilt and that yields no text is
    // damaged (cut short, most often), not a scan.
    if document_text.is_blank() && document.xref_recovery == Some(lopdf::xref::XrefRecovery::Reconstructed) {
        return Err(FormatError::corrupt(FORMAT, "it is cut short or its structure is broken, and no page has text"));
    }
    Ok(document_text)
}

fn is_password_error(error: &lopdf::Error) -> bool {
    let message = error.to_string().to_ascii_lowercase();
    message.contains("password") || message.contains("decrypt")
}

#[cfg(test)]
mod tests {
    use nook_corpus::documents::{pdf, PDF_PASSWORD_REQUIRED};

    use super::*;

    #[test]
    fn each_page_is_a_section() {
        let doc = read(&pdf(&["Invoice 2041", "Total due 310 EUR"], ""), &Limits::default()).unwrap();
        let pages: Vec<_> = doc.sections.iter().map(|s| (s.label.clone().unwrap(), s.text.trim().to_string())).collect();
        assert_eq!(pages, [("page 1".into(), "Invoice 2041".into()), ("page 2".into(), "Total due 310 EUR".into())]);
    }

    #[test]
    fn a_pdf_that_needs_a_password_is_refused_as_encrypted() {
        assert_eq!(read(&pdf(&["secret"], PDF_PASSWORD_REQUIRED), &Limits::default()), Err(FormatError::Encrypted));
    }

    #[test]
    fn truncated_and_fake_pdfs_fail_with_a_reason() {
        let whole = pdf(&["Invoice 2041"], "");
        for cut in [20, whole.len() / 2] {
            match read(&whole[..cut], &Limits::default()) {
                Err(FormatError::Corrupt { .. }) => {}
                Ok(doc) => assert!(doc.sections.iter().all(|s| s.text.len() < 100)),
                Err(other) => panic!("cut at {cut}: {other}"),
            }
        }
        assert!(matches!(read(b"plain words, not a PDF", &Limits::default()), Err(FormatError::Corrupt { .. })));
    }
}
