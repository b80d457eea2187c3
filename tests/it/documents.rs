//! Documents people keep next to their notes (PDF, Office, OpenDocument,
//! EPUB, e-mail, RTF, photos) are indexed through the isolated reader,
//! found by their words, and cited by page, sheet or slide; hostile ones
//! fail with a reason, are quarantined, and cost nothing else.

use std::fs;

use nook_corpus::documents::*;
use nook_engine::{FileStatus, SearchRequest};
use nook_tests::{write_file as write, Home};

#[tokio::test(flavor = "multi_thread")]
async fn documents_are_found_by_their_words_and_cited_by_page_sheet_or_slide() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    write(&root, "report.pdf", &pdf(&["Annual report of the harbour authority", "Dredging the northern channel cost 2.4 million"], ""));
    write(&root, "budget.xlsx", &xlsx(&[("Summary", &xlsx_row(1, &["Total", "9100"])), ("Travel", &xlsx_row(1, &["Train tickets to the Lisbon conference", "420"]))], &[]));
    write(&root, "talk.pptx", &pptx(&[("Welcome everyone", None), ("Beekeeping in urban rooftops", Some("mention the honey harvest")), ("Questions", None)]));
    write(&root, "minutes.docx", &docx_of_paragraphs(&["Minutes of the allotment society.", "Compost bins are moving to plot nine."]));
    write(&root, "field.odt", &odt_of_paragraphs(&["Field notes on migrating cranes over the marsh."]));
    write(&root, "trips.ods", &odf("spreadsheet", "<office:spreadsheet><table:table table:name=\"Hikes\"><table:table-row><table:table-cell><text:p>Glacier walk above the fjord</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"));
    write(&root, "roadmap.odp", &odf("presentation", "<office:presentation><draw:page><draw:frame><draw:text-box><text:p>Intro</text:p></draw:text-box></draw:frame></draw:page><draw:page><draw:frame><draw:text-box><text:p>Solar panels for the village hall</text:p></draw:text-box></draw:frame></draw:page></office:presentation>"));
    write(&root, "lighthouse.epub", &epub(&["<h1>The Storm</h1><p>The keeper climbed the spiral stair as waves broke over the gallery.</p>"]));
    write(&root, "mail.eml", &eml("Ana Silva <ana@example.org>", "bob@example.org", "Sourdough starter", "Tue, 3 Mar 2026 09:15:00 +0000", "Feed the sourdough starter twice a day while I am away."));
    write(&root, "letter.rtf", &rtf(&["Dear neighbour, the hedge trimming is planned for Saturday."]));
    write(&root, "photos/IMG_2041.jpg", &jpeg(4000, 3000, "Canon", "Canon EOS R6", "2024:07:14 18:02:11", 1));

    let engine = home.engine().await;
    let report = nook_tests::index(&engine, &root).await;
    assert_eq!((report.indexed, report.failed, report.skipped), (11, 0, 0), "{report:?}");

    for (query, file, section) in [
        ("dredging the northern channel", "report.pdf", Some("page 2")),
        ("train tickets Lisbon conference", "budget.xlsx", Some("sheet Travel")),
        ("beekeeping on urban rooftops", "talk.pptx", Some("slide 2")),
        ("compost bins plot nine", "minutes.docx", None),
        ("migrating cranes marsh", "field.odt", None),
        ("glacier walk fjord", "trips.ods", Some("sheet Hikes")),
        ("solar panels village hall", "roadmap.odp", Some("slide 2")),
        ("keeper climbed the spiral stair", "lighthouse.epub", Some("chapter “The Storm”")),
        ("feed the sourdough starter", "mail.eml", None),
        ("hedge trimming Saturday", "letter.rtf", None),
        ("photo taken with a Canon EOS R6", "photos/IMG_2041.jpg", None),
    ] {
        let hits = engine.search(&SearchRequest::new(query)).await.unwrap();
        let top = &hits[0];
        assert_eq!(top.path, root.join(file).to_str().unwrap(), "{query}: {hits:#?}");
        assert_eq!(top.section.as_deref(), section, "{query}");
    }
    let kinds: Vec<(String, String)> = engine
        .store()
        .file_records(None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.path.rsplit('/').next().unwrap().to_string(), r.kind.unwrap().to_string()))
        .collect();
    for (name, kind) in [("report.pdf", "pdf"), ("budget.xlsx", "spreadsheet"), ("talk.pptx", "presentation"), ("letter.rtf", "document"), ("mail.eml", "email"), ("IMG_2041.jpg", "image")] {
        assert!(kinds.contains(&(name.to_string(), kind.to_string())), "{name} should be a {kind}: {kinds:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_documents_fail_with_a_reason_are_quarantined_and_cost_nothing_else() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    let good = pdf(&["Tide tables for the northern pier"], "");
    write(&root, "good/tides.pdf", &good);
    write(&root, "good/minutes.docx", &docx_of_paragraphs(&["The allotment society meets on Thursdays."]));
    write(&root, "bad/bomb.docx", &docx_bomb(200 << 20));
    write(&root, "bad/bomb.xlsx", &xlsx_bomb(200 << 20));
    write(&root, "bad/locked.xlsx", &office_encrypted());
    write(&root, "bad/secret.pdf", &pdf(&["payroll"], PDF_PASSWORD_REQUIRED));
    write(&root, "bad/truncated.pdf", &good[..good.len() / 3]);
    write(&root, "bad/not-a.pdf", b"just some words with a pdf name\n");
    write(&root, "bad/scan.pdf", &pdf_with_contents(&["0 0 612 792 re f".to_string()], ""));
    let deep = format!("{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}", "<w:tbl><w:tr><w:tc>".repeat(30_000), "</w:tc></w:tr></w:tbl>".repeat(30_000));
    write(&root, "bad/deep.docx", &docx(&deep));
    write(&root, "bad/empty.docx", b"");
    write(&root, "bad/zip-of-nothing.pptx", &zip_of(&[("hello.txt", b"hi")]));
    write(&root, "bad/random.jpg", &[0x42; 512]);
    write(&root, "bad/not-mail.eml", b"\x00\x01\x02\x03");

    let engine = home.engine().await;
    let report = nook_tests::index(&engine, &root).await;
    let status = engine.status(usize::MAX).await.unwrap();
    let check = |rel: &str, expected: &str, reason: &str| nook_tests::assert_problem(&status, &root, rel, expected, reason);
    check("bad/bomb.docx", "failed", "decompression bomb");
    check("bad/bomb.xlsx", "failed", "decompression bomb");
    check("bad/locked.xlsx", "skipped", "password-protected");
    check("bad/secret.pdf", "skipped", "password-protected");
    check("bad/truncated.pdf", "failed", "damaged");
    check("bad/not-a.pdf", "failed", "not really a PDF");
    check("bad/scan.pdf", "skipped", "no text layer");
    check("bad/empty.docx", "skipped", "empty");
    check("bad/zip-of-nothing.pptx", "failed", "not an Office document");
    check("bad/random.jpg", "failed", "damaged");
    check("bad/not-mail.eml", "failed", "no mail headers");
    check("bad/bomb.docx", "failed", "will not try this file again until it changes");

    // Nesting thirty thousand tables deep is read, not a crash.
    let hits = engine.search(&SearchRequest::new("deep")).await.unwrap();
    assert!(hits.iter().any(|h| h.path.ends_with("bad/deep.docx")), "{hits:#?}");
    for (query, file) in [("tide tables northern pier", "good/tides.pdf"), ("allotment society Thursdays", "good/minutes.docx")] {
        let hits = engine.search(&SearchRequest::new(query)).await.unwrap();
        assert_eq!(hits[0].path, root.join(file).to_str().unwrap(), "{query}");
    }
    assert_eq!(report.indexed, 3, "{report:?}");

    // Quarantined: not read again while unchanged, nor under another name.
    fs::copy(root.join("bad/bomb.docx"), root.join("bad/bomb-copy.docx")).unwrap();
    let again = nook_tests::index(&engine, &root).await;
    assert_eq!((again.indexed, again.unchanged), (0, report.files_found), "{again:?}");
    let copy = engine.store().file_records(None).await.unwrap().into_iter().find(|r| r.path.ends_with("bomb-copy.docx")).unwrap();
    assert_eq!(copy.status, FileStatus::Failed);
    assert!(copy.reason.unwrap().contains("decompression bomb"));

    // Once the file changes, it is read again.
    write(&root, "bad/bomb.docx", &docx_of_paragraphs(&["Defused: the quarterly figures are in."]));
    let third = nook_tests::index(&engine, &root).await;
    assert_eq!(third.indexed, 1, "{third:?}");
    let hits = engine.search(&SearchRequest::new("defused quarterly figures")).await.unwrap();
    assert!(hits[0].path.ends_with("bad/bomb.docx"));
}
