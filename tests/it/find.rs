//! Finding files from requests in words: the request becomes a plan (kinds,
//! dates, folder, size, name, order and the words left), the plan becomes
//! filters on the real index, and matches by content and by name come back
//! as one list. "Today" is fixed at Wednesday 13 August 2025.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use chrono::{Local, NaiveDate, TimeZone};
use nook_corpus::documents::*;
use nook_engine::{Engine, FileState, Found, Plan};
use nook_plan::{Context, DateTarget};
use nook_tests::{write_file as write, Home};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 8, 13).unwrap()
}

fn plan(request: &str) -> Plan {
    nook_plan::plan(request, &Context::new(today())).unwrap()
}

/// Noon of `day` in the local time zone.
fn noon(day: &str) -> SystemTime {
    let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    Local.from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap()).unwrap().into()
}

fn touch(root: &Path, rel: &str, day: &str) {
    fs::File::options().write(true).open(root.join(rel)).unwrap().set_modified(noon(day)).unwrap();
}

/// A file of `bytes` zeros that takes no room on disk.
fn sparse(root: &Path, rel: &str, bytes: u64) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::File::create(path).unwrap().set_len(bytes).unwrap();
}

fn names(found: &Found) -> Vec<String> {
    found.hits.iter().map(|h| h.path.rsplit('/').next().unwrap().to_string()).collect()
}

async fn find(engine: &Engine, request: &str) -> Found {
    engine.find(&plan(request), 10).await.unwrap_or_else(|e| panic!("{request}: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_in_words_find_files_by_kind_date_folder_size_name_and_mentioned_dates() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    let files: &[(&str, Vec<u8>, &str)] = &[
        ("work/q3-sales-report.docx", docx_of_paragraphs(&["Sales report for July: revenue grew in every region."]), "2025-07-20"),
        ("work/q1-report.pdf", pdf(&["Report on the first quarter: costs and hiring."], ""), "2025-02-10"),
        ("work/team-report.md", b"# Team report\nThe team shipped two releases in July.".to_vec(), "2025-07-25"),
        ("work/slides/roadmap.pptx", pptx(&[("Product roadmap", None), ("Launch plan", None)]), "2025-08-06"),
        ("work/slides/kickoff.pptx", pptx(&[("Kickoff of the year", None)]), "2025-06-02"),
        ("billing/ACME_invoice_0042.pdf", pdf(&["Invoice 0042 for consulting services"], ""), "2025-05-02"),
        ("billing/globex-invoice.pdf", pdf(&["Invoice for cloud hosting services"], ""), "2025-05-03"),
        ("plans/grant.docx", docx_of_paragraphs(&["The grant application deadline is May 14; send the budget first."]), "2025-01-05"),
        ("plans/travel.docx", docx_of_paragraphs(&["Pay the travel agency by the deadline of June 1."]), "2025-01-06"),
        ("Downloads/setup-notes.txt", b"Notes on setting up the new laptop.".to_vec(), "2025-08-01"),
        ("Ruth hen do/guest list.txt", b"Guests: Ruth, Kirsty, Morag.".to_vec(), "2024-03-02"),
    ];
    for (rel, bytes, day) in files {
        write(&root, rel, bytes);
        touch(&root, rel, day);
    }
    sparse(&root, "Downloads/holiday.mp4", 300_000_000);
    touch(&root, "Downloads/holiday.mp4", "2025-08-01");
    sparse(&root, "Downloads/clip.mp4", 2_000_000);
    touch(&root, "Downloads/clip.mp4", "2025-08-02");

    let engine = home.engine().await;
    let report = nook_tests::index(&engine, &root).await;
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!(report.listed, 2, "videos are listed by name, size and dates");

    // "reports" names what the files are about as much as their format:
    // the quarter's reports come first, Markdown ones too, the PDF or
    // document first among equals.
    let reports = find(&engine, "reports from this quarter").await;
    let first_two: std::collections::BTreeSet<String> = names(&reports).into_iter().take(2).collect();
    assert_eq!(first_two, ["q3-sales-report.docx".to_string(), "team-report.md".to_string()].into(), "{:?}", names(&reports));
    assert!(!names(&reports).contains(&"q1-report.pdf".to_string()), "the quarter is a wall");

    let slides = find(&engine, "the slides I made last week").await;
    assert_eq!(slides.plan.text, "");
    assert_eq!(names(&slides), ["roadmap.pptx"]);

    let videos = find(&engine, "big videos in Downloads").await;
    assert_eq!(names(&videos), ["holiday.mp4"]);
    assert_eq!(videos.hits[0].size, Some(300_000_000));
    // "huge" is measured against the files themselves: the largest tenth
    // of the twelve here, whatever their kinds.
    let huge = find(&engine, "huge files").await;
    assert_eq!(names(&huge), ["holiday.mp4", "clip.mp4"]);

    let invoices = find(&engine, "invoices from ACME").await;
    assert_eq!(names(&invoices)[0], "ACME_invoice_0042.pdf");
    assert!(invoices.hits[0].name_match);

    let newest = find(&engine, "pdfs, newest first").await;
    assert_eq!(names(&newest), ["globex-invoice.pdf", "ACME_invoice_0042.pdf", "q1-report.pdf"]);

    let deadline = find(&engine, "documents that mention a deadline in May").await;
    assert_eq!(deadline.plan.dates.as_ref().unwrap().target, DateTarget::Mentioned);
    assert_eq!(names(&deadline), ["grant.docx"], "June's deadline is not May's");

    let named = find(&engine, "files starting with setup").await;
    assert_eq!(names(&named), ["setup-notes.txt"]);

    // A folder read from words that names no folder is searched as words.
    let nowhere = find(&engine, "reports in the Nowhere folder").await;
    assert!(nowhere.plan.folder.is_none());
    assert!(nowhere.plan.text.contains("Nowhere"), "{:?}", nowhere.plan.text);
    assert!(nowhere.notes.iter().any(|n| n.contains("No folder named “Nowhere”")), "{:?}", nowhere.notes);

    // A folder said by part of its name is read as the one folder whose
    // name holds those words.
    let hen_do = find(&engine, "whats in the hen do folder").await;
    assert_eq!(hen_do.plan.folder.as_ref().map(|f| f.name.as_str()), Some("Ruth hen do"));
    assert_eq!(names(&hen_do), ["guest list.txt"]);

    let strict = find(&engine, "spreadsheets from 2019").await;
    assert!(strict.hits.is_empty());
    assert!(strict.notes.iter().any(|n| n.contains("remove one to widen")), "{:?}", strict.notes);

    // A kind read from words that the Library holds no file of ("zip
    // archives" among READMEs) was likely about the content: it is let go
    // of, the chip says so, and the words find the document.
    let relaxed = find(&engine, "spreadsheets about the grant application deadline").await;
    assert_eq!(names(&relaxed).first().map(String::as_str), Some("grant.docx"), "{:?}", names(&relaxed));
    assert!(relaxed.plan.kinds.is_none());
    let chip = relaxed.plan.chips().into_iter().find(|c| c.field == "kinds").expect("the kinds chip stays");
    assert!(chip.relaxed, "{chip:?}");
    assert!(relaxed.plan.searched_words().contains("spreadsheets"), "the kind's words are searched in its place");
    assert!(relaxed.notes.iter().any(|n| n.contains("shown without it")), "{:?}", relaxed.notes);
    // A kind the Library does hold is what was asked for: no slide is
    // about the grant, so nothing is found, and the note says which chip
    // to remove to see the file that is.
    let strict_kind = find(&engine, "slides about the grant application deadline").await;
    assert!(strict_kind.hits.is_empty(), "{:?}", names(&strict_kind));
    assert!(strict_kind.plan.relaxed.is_empty());
    assert!(
        strict_kind.notes.iter().any(|n| n.contains("No file matching “slides”") && n.contains("without it: remove it")),
        "{:?}",
        strict_kind.notes
    );
    // With the filter, something close: nothing is relaxed.
    let kept = find(&engine, "slides about the product roadmap").await;
    assert_eq!(names(&kept)[0], "roadmap.pptx");
    assert!(kept.plan.relaxed.is_empty() && kept.plan.kinds.is_some());

    // What no file comes close to finds nothing, not the nearest files.
    let absent = find(&engine, "kubernetes cluster migration runbook").await;
    assert!(absent.hits.is_empty(), "{:?}", names(&absent));
    assert!(absent.notes.iter().any(|n| n.contains("No indexed file comes close")), "{:?}", absent.notes);

    let why = engine.why(&root.join("Downloads/holiday.mp4"), std::slice::from_ref(&root)).await.unwrap();
    assert_eq!(why.state, FileState::Indexed, "{why:?}");
}

#[test]
fn nook_search_explains_its_plan_and_gives_it_as_json() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let root = docs.path().canonicalize().unwrap();
    write(&root, "notes/garden.md", b"Plant the tomatoes after the last frost.");
    nook_tests::stdout_of(&home.nook(&["index", root.to_str().unwrap()]));

    let out = nook_tests::stdout_of(&home.nook(&["search", "--explain", "notes about tomatoes modified today"]));
    assert!(out.contains("Plan for “notes about tomatoes modified today”"), "{out}");
    assert!(out.contains("kinds:  notes — text or markdown"), "{out}");
    assert!(out.contains("dates:  today"), "{out}");
    assert!(out.contains("garden.md"), "{out}");

    let json: serde_json::Value =
        serde_json::from_str(&nook_tests::stdout_of(&home.nook(&["search", "--json", "markdown in the notes folder"]))).unwrap();
    assert_eq!(json["plan"]["folder"]["name"], "notes");
    assert_eq!(json["chips"][0]["field"], "kinds");
    assert!(json["results"][0]["path"].as_str().unwrap().ends_with("notes/garden.md"), "{json}");

    let literal = nook_tests::stdout_of(&home.nook(&["search", "--literal", "--explain", "notes from today"]));
    assert!(literal.contains("words:  notes from today"), "{literal}");
    assert!(!literal.contains("dates:"), "{literal}");
}

#[tokio::test(flavor = "multi_thread")]
async fn what_the_rules_cannot_read_is_filled_in_by_the_on_device_model() {
    let home = Home::new();
    let engine = home.engine().await;

    // Holidays of the calendar the rules keep are dates already
    // ("christmas"); those of other calendars are put to the model, which
    // answers with a month the event can fall in or with "none", said in a
    // note (the small default model knows few of them).
    assert!(engine.plan("photos from christmas").unwrap().guessed.is_empty(), "the rules read it");
    let events: [(&str, &[u32]); 3] = [("diwali", &[10, 11]), ("passover", &[3, 4]), ("oktoberfest", &[9, 10])];
    for (event, months) in events {
        let plan = engine.plan(&format!("photos from {event}")).unwrap();
        assert!(plan.unread.is_empty(), "{plan:?}");
        if plan.guessed == [nook_engine::Field::Dates] {
            let dates = plan.dates.as_ref().unwrap();
            assert!(months.contains(&chrono::Datelike::month(&dates.from.unwrap())), "{plan:?}");
            assert_eq!(plan.text, "");
            assert!(plan.chips().iter().any(|c| c.field == "dates" && c.detail.contains("on-device model")));
        } else {
            assert!(plan.dates.is_none() && plan.guessed.is_empty(), "{plan:?}");
            assert_eq!(plan.text, event);
            assert!(plan.notes.iter().any(|n| n.contains("the on-device model could not tell")), "{plan:?}");
        }
    }

    // With the planning model gone, the words are searched as they are.
    let settings = nook_engine::Settings {
        models: [("plan".to_string(), "a-model-that-is-gone".to_string())].into(),
        ..Default::default()
    };
    settings.save(&engine.paths().config_dir).unwrap();
    let plan = engine.plan("photos from diwali").unwrap();
    assert!(plan.dates.is_none() && plan.guessed.is_empty());
    assert_eq!(plan.text, "diwali");
    assert!(plan.notes.iter().any(|n| n.contains("“diwali” searched as words")), "{:?}", plan.notes);
}
