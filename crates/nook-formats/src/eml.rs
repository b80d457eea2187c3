//! E-mail messages (`.eml`): headers a person searches by (subject, who,
//! when, attachment names) then the text of the message. HTML-only mail is
//! turned into text.

use mail_parser::{MessageParser, MimeHeaders};

use crate::text::TextSink;
use crate::{Document, Format, FormatError, Limits};

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, FormatError> {
    let looks_like_mail = bytes.iter().take(4096).position(|&b| b == b':').is_some();
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|_| looks_like_mail)
        .ok_or_else(|| FormatError::corrupt(Format::Eml, "it has no mail headers"))?;
    let mut sink = TextSink::new(limits);
    let addresses = |address: Option<&mail_parser::Address>| -> Option<String> {
        let list: Vec<String> = address?
            .iter()
            .map(|a| match (a.name(), a.address()) {
                (Some(name), Some(address)) => format!("{name} <{address}>"),
                (name, address) => name.or(address).unwrap_or_default().to_string(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        (!list.is_empty()).then(|| list.join(", "))
    };
    let subject = message.subject().map(str::to_string);
    let mut header = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            sink.push(&format!("{label}: {value}"));
            sink.newline();
        }
    };
    header("Subject", subject.clone());
    header("From", addresses(message.from()));
    header("To", addresses(message.to()));
    header("Cc", addresses(message.cc()));
    header("Date", message.date().map(|d| d.to_rfc3339()));
    let attachments: Vec<String> =
        message.attachments().filter_map(|a| a.attachment_name().map(str::to_string)).collect();
    header("Attachments", (!attachments.is_empty()).then(|| attachments.join(", ")));
    sink.newline();
    sink.push("\n");
    for i in 0..message.text_body_count() {
        if sink.is_full() {
            break;
        }
        if let Some(body) = message.body_text(i) {
            sink.push(&body);
            sink.newline();
        }
    }
    Ok(sink.finish(subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_attachments_and_body_are_read() {
        let mail = "From: Ana Silva <ana@example.org>\r\nTo: bob@example.org\r\nSubject: =?UTF-8?Q?Caf=C3=A9_budget?=\r\n\
                    Date: Tue, 3 Mar 2026 09:15:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
                    --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe numbers for March are attached.\r\n\
                    --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"march.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";
        let doc = read(mail.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("Café budget"));
        let text = &doc.sections[0].text;
        for expected in [
            "Subject: Café budget\n",
            "From: Ana Silva <ana@example.org>\n",
            "To: bob@example.org\n",
            "Date: 2026-03-03T09:15:00Z\n",
            "Attachments: march.pdf\n",
            "The numbers for March are attached.",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from {text:?}");
        }
    }

    #[test]
    fn html_only_mail_becomes_text() {
        let mail = "Subject: hi\r\nContent-Type: text/html\r\n\r\n<html><body><p>Dinner <b>at eight</b></p></body></html>\r\n";
        let doc = read(mail.as_bytes(), &Limits::default()).unwrap();
        assert!(doc.sections[0].text.contains("Dinner at eight"), "{:?}", doc.sections[0].text);
    }

    #[test]
    fn bytes_without_headers_are_no_mail() {
        assert!(matches!(read(b"\x00\x01\x02 just bytes", &Limits::default()), Err(FormatError::Corrupt { .. })));
    }
}
