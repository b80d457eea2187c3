//! The planner's behaviour, request by request. "Today" is Wednesday 13
//! August 2025 unless a test says otherwise.

use chrono::NaiveDate;
use nook_core::FileKind::{self, *};

use crate::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn cx() -> Context {
    Context::new(day("2025-08-13"))
}

fn p(request: &str) -> Plan {
    plan(request, &cx()).unwrap_or_else(|e| panic!("{request}: {e}"))
}

fn dates(plan: &Plan) -> (Option<String>, Option<String>) {
    let d = plan.dates.as_ref().unwrap_or_else(|| panic!("no dates in {plan:?}"));
    (d.from.map(|d| d.to_string()), d.until.map(|d| d.to_string()))
}

fn range(from: &str, until: &str) -> (Option<String>, Option<String>) {
    (Some(from.to_string()), Some(until.to_string()))
}

fn kinds(plan: &Plan) -> Vec<FileKind> {
    plan.kinds.as_ref().map(|k| k.kinds.clone()).unwrap_or_default()
}

#[test]
fn the_examples_of_the_issue_become_filters_and_words() {
    let reports = p("reports from this quarter");
    assert_eq!(reports.text, "reports");
    assert_eq!(kinds(&reports), [Pdf, Document]);
    assert_eq!(dates(&reports), range("2025-07-01", "2025-10-01"));
    assert_eq!(reports.dates.as_ref().unwrap().label, "this quarter");

    let slides = p("the slides I made last week");
    assert_eq!(slides.text, "");
    assert_eq!(kinds(&slides), [Presentation]);
    assert_eq!(dates(&slides), range("2025-08-04", "2025-08-11"));

    let photos = p("photos from the trip in March");
    assert_eq!(photos.text, "trip");
    assert_eq!(kinds(&photos), [Image]);
    assert_eq!(dates(&photos), range("2025-03-01", "2025-04-01"));

    let videos = p("big videos in Downloads");
    assert_eq!(videos.text, "");
    assert_eq!(kinds(&videos), [Video]);
    assert_eq!(videos.folder, Some(FolderFilter { name: "Downloads".into() }));
    assert_eq!(videos.size.as_ref().unwrap().min_bytes, Some(100_000_000));
    assert_eq!(videos.order, Order::Largest);

    let invoices = p("invoices from ACME");
    assert_eq!(invoices.text, "invoices from ACME");
    assert!(invoices.is_unfiltered(), "{invoices:?}");
}

#[test]
fn dates_are_read_against_today() {
    let cases = [
        ("this quarter", "2025-07-01", "2025-10-01"),
        ("last quarter", "2025-04-01", "2025-07-01"),
        ("Q3 2024", "2024-07-01", "2024-10-01"),
        ("2024 Q1", "2024-01-01", "2024-04-01"),
        ("the second quarter of 2023", "2023-04-01", "2023-07-01"),
        ("Q4", "2024-10-01", "2025-01-01"),
        ("last week", "2025-08-04", "2025-08-11"),
        ("this week", "2025-08-11", "2025-08-18"),
        ("past week", "2025-08-06", "2025-08-14"),
        ("this month", "2025-08-01", "2025-09-01"),
        ("last month", "2025-07-01", "2025-08-01"),
        ("this year", "2025-01-01", "2026-01-01"),
        ("last year", "2024-01-01", "2025-01-01"),
        ("in March", "2025-03-01", "2025-04-01"),
        ("in September", "2024-09-01", "2024-10-01"),
        ("March 2024", "2024-03-01", "2024-04-01"),
        ("on March 3", "2025-03-03", "2025-03-04"),
        ("3rd of March 2023", "2023-03-03", "2023-03-04"),
        ("yesterday", "2025-08-12", "2025-08-13"),
        ("today", "2025-08-13", "2025-08-14"),
        ("the day before yesterday", "2025-08-11", "2025-08-12"),
        ("past 10 days", "2025-08-03", "2025-08-14"),
        ("in the last two weeks", "2025-07-30", "2025-08-14"),
        ("3 days ago", "2025-08-10", "2025-08-11"),
        ("a month ago", "2025-07-01", "2025-08-01"),
        ("2024", "2024-01-01", "2025-01-01"),
        ("on Monday", "2025-08-11", "2025-08-12"),
        ("last Friday", "2025-08-08", "2025-08-09"),
        ("between 2022 and 2023", "2022-01-01", "2024-01-01"),
        ("2022 or 2023", "2022-01-01", "2024-01-01"),
        ("files from 2022 or 2023", "2022-01-01", "2024-01-01"),
        ("for september to november", "2024-09-01", "2024-12-01"),
        ("2023 through 2024", "2023-01-01", "2025-01-01"),
        ("in June or July", "2025-06-01", "2025-08-01"),
        ("from May to July", "2025-05-01", "2025-08-01"),
        ("2024-05-01", "2024-05-01", "2024-05-02"),
        ("2024-05", "2024-05-01", "2024-06-01"),
        ("last summer", "2024-06-01", "2024-09-01"),
        ("summer 2023", "2023-06-01", "2023-09-01"),
        ("last weekend", "2025-08-09", "2025-08-11"),
    ];
    for (request, from, until) in cases {
        assert_eq!(dates(&p(request)), range(from, until), "{request}");
        assert_eq!(p(request).text, "", "{request}");
    }
    assert_eq!(dates(&p("this years treasurers report")), range("2025-01-01", "2026-01-01"), "an apostrophe left out");
    assert_eq!(dates(&p("last weeks minutes")), range("2025-08-04", "2025-08-11"));
    let open = |request: &str| dates(&p(request));
    assert_eq!(open("since Monday"), (Some("2025-08-11".into()), None));
    assert_eq!(open("after 2023"), (Some("2024-01-01".into()), None));
    assert_eq!(open("before 2024"), (None, Some("2024-01-01".into())));
    assert_eq!(open("until March 2025"), (None, Some("2025-04-01".into())));
    assert_eq!(open("older than 2 years"), (None, Some("2023-08-13".into())));
    assert_eq!(open("newer than 30 days"), (Some("2025-07-14".into()), None));
}

#[test]
fn a_month_not_yet_reached_this_year_is_last_years() {
    let early = Context::new(day("2025-02-10"));
    let plan = plan("notes from March", &early).unwrap();
    assert_eq!(dates(&plan), range("2024-03-01", "2024-04-01"));
}

#[test]
fn fiscal_years_start_where_the_settings_say() {
    let april = Context { today: day("2025-08-13"), fiscal_year_start: 4 };
    let plan_of = |r: &str| plan(r, &april).unwrap();
    assert_eq!(dates(&plan_of("this fiscal year")), range("2025-04-01", "2026-04-01"));
    assert_eq!(dates(&plan_of("last fiscal year")), range("2024-04-01", "2025-04-01"));
    assert_eq!(dates(&plan_of("FY2025")), range("2024-04-01", "2025-04-01"));
    assert_eq!(dates(&p("this fiscal year")), range("2025-01-01", "2026-01-01"));
    let winter = Context { today: day("2025-02-10"), fiscal_year_start: 4 };
    assert_eq!(dates(&plan("this fiscal year", &winter).unwrap()), range("2024-04-01", "2025-04-01"));
}

#[test]
fn folders_sizes_names_and_orders() {
    assert_eq!(p("in Downloads").folder.unwrap().name, "Downloads");
    assert_eq!(p("notes under projects").folder.unwrap().name, "projects");
    assert_eq!(p("in my Tax Returns folder").folder.unwrap().name, "Tax Returns");
    assert_eq!(p("scripts in ~/work/tools").folder.unwrap().name, "~/work/tools");
    assert_eq!(p("reports in downloads").folder.unwrap().name, "downloads");
    assert!(p("notes in progress").folder.is_none());

    let size = |r: &str| {
        let s = p(r).size.unwrap_or_else(|| panic!("no size in {r}"));
        (s.min_bytes, s.max_bytes)
    };
    assert_eq!(size("bigger than 10 MB"), (Some(10_000_000), None));
    assert_eq!(size("files over 1.5GB"), (Some(1_500_000_000), None));
    assert_eq!(size("smaller than 500KB"), (None, Some(500_000)));
    assert_eq!(size("under 2 MiB"), (None, Some(2 << 20)));
    assert_eq!(size("at least 3 megabytes"), (Some(3_000_000), None));
    assert_eq!(size("between 1 and 2 MB"), (Some(1_000_000), Some(2_000_000)));
    assert_eq!(size("small images"), (None, Some(200_000)));

    let name = |r: &str| p(r).name.unwrap_or_else(|| panic!("no name in {r}"));
    assert_eq!(name("named invoice"), NameFilter { pattern: "invoice".into(), how: NameMatch::Contains });
    assert_eq!(name("photos starting with IMG_"), NameFilter { pattern: "IMG_".into(), how: NameMatch::StartsWith });
    assert_eq!(name("files ending in .csv"), NameFilter { pattern: ".csv".into(), how: NameMatch::EndsWith });
    assert_eq!(name("with extension md"), NameFilter { pattern: ".md".into(), how: NameMatch::EndsWith });
    assert_eq!(name(r#"called "Q3 plan""#), NameFilter { pattern: "Q3 plan".into(), how: NameMatch::Contains });
    assert_eq!(name("with budget in the name"), NameFilter { pattern: "budget".into(), how: NameMatch::Contains });
    assert_eq!(name("*.rs files"), NameFilter { pattern: ".rs".into(), how: NameMatch::EndsWith });

    assert_eq!(p("newest first").order, Order::Newest);
    assert_eq!(p("oldest reports").order, Order::Oldest);
    assert_eq!(p("largest files first").order, Order::Largest);
    assert_eq!(p("spreadsheets sorted by date").order, Order::Newest);
    assert_eq!(p("most recent invoices").order, Order::Newest);
}

#[test]
fn kinds_follow_the_words_people_use() {
    assert_eq!(kinds(&p("spreadsheets")), [Spreadsheet, Data]);
    assert_eq!(kinds(&p("excel files")), [Spreadsheet]);
    assert_eq!(kinds(&p("pdf files")), [Pdf]);
    assert_eq!(kinds(&p("word documents")), [Document]);
    assert_eq!(kinds(&p("code")), [Code]);
    assert_eq!(kinds(&p("notes")), [Text, Markdown]);
    assert_eq!(kinds(&p("pdfs and spreadsheets")), [Pdf, Spreadsheet, Data]);
    assert_eq!(kinds(&p("songs")), [Audio]);
    assert_eq!(p("screenshots").text, "screenshots");
    // A kind's head noun in either number.
    assert_eq!(kinds(&p("that voice note I recorded in the car")), [Audio]);
    assert_eq!(kinds(&p("a voice memo")), [Audio]);
    assert_eq!(kinds(&p("my last pic")), [Image]);
}

#[test]
fn only_filters_leave_no_words_to_search() {
    let plan = p("pdfs from yesterday");
    assert_eq!(plan.text, "");
    assert_eq!(kinds(&plan), [Pdf]);
    assert_eq!(dates(&plan), range("2025-08-12", "2025-08-13"));
}

#[test]
fn dates_written_in_files_are_told_apart_from_file_dates() {
    let plan = p("documents that mention a deadline in May");
    assert_eq!(plan.text, "deadline");
    let dates = plan.dates.unwrap();
    assert_eq!(dates.target, DateTarget::Mentioned);
    assert_eq!((dates.from, dates.until), (Some(day("2025-05-01")), Some(day("2025-06-01"))));
    assert_eq!(p("reports from May").dates.unwrap().target, DateTarget::Modified);
}

#[test]
fn contradictions_and_impossible_dates_are_noted_and_left_out() {
    let plan = p("after 2025 before 2024");
    assert!(plan.dates.is_none());
    assert!(plan.notes[0].contains("after 2025") && plan.notes[0].contains("before 2024"), "{:?}", plan.notes);

    let plan = p("reports from February 30");
    assert!(plan.dates.is_none());
    assert_eq!(plan.text, "reports");
    assert!(plan.notes[0].contains("February has no day 30"), "{:?}", plan.notes);

    let plan = p("notes from 2025-13-01");
    assert!(plan.dates.is_none() && plan.notes[0].contains("no month 13"), "{:?}", plan.notes);

    let plan = p("photos from February 29 2023");
    assert!(plan.notes[0].contains("not a leap year"), "{:?}", plan.notes);

    let plan = p("bigger than 10 MB smaller than 1 MB");
    assert!(plan.size.is_none() && !plan.notes.is_empty());
}

#[test]
fn may_and_march_are_months_only_where_a_date_fits() {
    assert!(p("files that may contain passwords").dates.is_none());
    assert!(p("how the army will march").dates.is_none());
    assert!(p("in May").dates.is_some());
    assert!(p("May 2024").dates.is_some());
}

#[test]
fn empty_long_and_foreign_requests() {
    assert_eq!(plan("   ", &cx()), Err(PlanError::Empty));
    assert_eq!(plan("?!", &cx()), Err(PlanError::Empty));
    let long = "word ".repeat(300);
    assert!(matches!(plan(&long, &cx()), Err(PlanError::TooLong(_))));
    assert!(PlanError::Empty.to_string().contains("reports from this quarter"));

    let french = p("les rapports de ce trimestre");
    assert_eq!(french.text, "les rapports de ce trimestre");
    assert!(french.notes[0].contains("English"), "{:?}", french.notes);
    let japanese = p("先週のスライド");
    assert!(!japanese.notes.is_empty());
    assert!(p("budget plan").notes.is_empty());
}

#[test]
fn quoted_words_are_taken_literally() {
    let plan = p(r#""last week" notes"#);
    assert!(plan.dates.is_none());
    assert_eq!(plan.text, "last week");
}

#[test]
fn plans_round_trip_through_json_and_explain_themselves() {
    let plan = p("big pdfs named budget in Downloads since March, newest first");
    let json = serde_json::to_string(&plan).unwrap();
    assert!(json.contains(r#""from":"2025-03-01""#), "{json}");
    assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan);

    let fields: Vec<String> = plan.chips().into_iter().map(|c| c.field).collect();
    assert_eq!(fields, ["kinds", "dates", "folder", "size", "name", "order"]);
    let text = plan.to_string();
    assert!(text.contains("on or after Mar 1, 2025"), "{text}");
    assert!(text.contains("at least 10 MB"), "{text}");
    assert_eq!(plan.order, Order::Newest);
}

#[test]
fn possessives_seasons_of_a_year_and_the_weekend() {
    assert_eq!(dates(&p("yesterday's standup")), range("2025-08-12", "2025-08-13"));
    assert_eq!(p("yesterday's standup").text, "standup");
    assert_eq!(dates(&p("last summer's photos")), range("2024-06-01", "2024-09-01"));
    assert_eq!(dates(&p("videos from the summer of 2024")), range("2024-06-01", "2024-09-01"));
    assert_eq!(dates(&p("files from the weekend")), range("2025-08-09", "2025-08-11"));
}

#[test]
fn folder_names_run_until_another_part_of_the_request() {
    assert_eq!(p("photos in Lisbon trip").folder.unwrap().name, "Lisbon trip");
    let plan = p("reports in Downloads from this quarter");
    assert_eq!(plan.folder.unwrap().name, "Downloads");
    assert!(plan.dates.is_some());
    assert_eq!(p("files in Downloads sorted by size").folder.unwrap().name, "Downloads");
}

#[test]
fn opening_verbs_are_filler_only_at_the_start() {
    assert_eq!(p("find the invoices from ACME").text, "invoices from ACME");
    assert_eq!(p("can you show me the garden plan").text, "garden plan");
    assert_eq!(p("rust code about search").text, "rust about search");
    assert_eq!(p("rust code about search").name_words(), ["rust", "search"]);
    assert_eq!(p("largest files first").text, "");
}

#[test]
fn cue_words_of_mentioned_dates_are_not_searched_for() {
    let plan = p("what's due in June");
    assert_eq!(plan.text, "");
    assert_eq!(plan.dates.unwrap().target, DateTarget::Mentioned);
    assert!(p("documents that mention May").dates.is_some());
}

#[test]
fn holidays_of_the_calendar_are_dates() {
    // Today is 2025-08-13.
    assert_eq!(dates(&p("christmas photos")), range("2024-12-25", "2024-12-26"));
    assert_eq!(dates(&p("installers downloaded since the start of November")), (Some("2024-11-01".into()), None));
    assert_eq!(p("installers downloaded since the start of November").text, "");
    assert_eq!(dates(&p("photos from over christmas")), range("2024-12-24", "2024-12-27"), "Christmas Eve to Boxing Day");
    assert_eq!(dates(&p("photos from over Easter")), range("2025-04-18", "2025-04-22"));
    assert_eq!(dates(&p("anything since new year")), (Some("2024-12-31".into()), None));
    assert_eq!(dates(&p("halloween 2023 pics")), range("2023-10-31", "2023-11-01"));
    assert_eq!(dates(&p("videos from last christmas eve")), range("2024-12-24", "2024-12-25"));
    assert_eq!(p("christmas photos").text, "");
    // A holiday that names a thing is no date.
    for request in ["the christmas jumper knitting pattern", "the Christmas card list", "Margaret's Christmas cake recipe"] {
        assert!(p(request).dates.is_none(), "{request}");
    }
    assert!(kinds(&p("the knee physio sheet")).is_empty(), "a lone noun in the number it is listed in");
}

#[test]
fn times_named_by_events_and_kinds_named_by_programs_are_left_for_the_model() {
    let plan = p("photos since diwali");
    assert!(plan.dates.is_none());
    assert_eq!(plan.unread, [Unread { field: Field::Dates, phrase: "diwali".into(), bound: Bound::Since }]);
    assert_eq!(plan.text, "diwali", "until the model reads it, the word is searched");

    let mut filled = plan.clone();
    filled.fill_month(&plan.unread[0], 12, &cx());
    assert_eq!(dates(&filled), (Some("2024-12-01".into()), None));
    assert_eq!(filled.text, "");
    assert!(filled.chips().iter().any(|c| c.field == "dates" && c.detail.contains("on-device model")));

    let files = p("photoshop files from last week");
    assert_eq!(files.unread, [Unread { field: Field::Kinds, phrase: "photoshop files".into(), bound: Bound::Within }]);
    let mut filled = files.clone();
    filled.fill_kind(&files.unread[0], "image");
    assert_eq!(kinds(&filled), [Image]);
    assert_eq!(filled.text, "");

    assert!(p("pdf files").unread.is_empty(), "a kind the rules read needs no model");
    assert!(p("invoices from ACME").unread.is_empty());
}

#[test]
fn extensions_and_languages_before_files_name_kinds() {
    assert_eq!(kinds(&p("mp4 files")), [Video]);
    let listed = p("ogg or wav files");
    assert_eq!(kinds(&listed), [Audio]);
    assert_eq!(listed.kinds.as_ref().unwrap().extensions, ["ogg", "wav"]);
    assert_eq!(listed.text, "");
    let debs = p("do I have any .deb packages");
    assert_eq!(debs.name.as_ref().unwrap().pattern, ".deb");
    assert_eq!(debs.text, "");
    assert_eq!(p("any scripts on here?").text, "");
    assert_eq!(kinds(&p("the mogwai album")), [Audio]);
    assert_eq!(kinds(&p("epub files")), [Document]);
    let python = p("python files from last week");
    assert_eq!(kinds(&python), [Code]);
    assert_eq!(python.text, "python");
    assert!(python.unread.is_empty());
    assert_eq!(p("iso images").kinds.unwrap().extensions, ["iso", "img", "dmg"]);
    assert_eq!(p("whatever mentions Kirkgate").text, "Kirkgate");
    assert_eq!(p("what did I save over the weekend?").text, "");
    assert_eq!(p("what's cluttering up my desktop?").folder.unwrap().name, "Desktop");
    assert_eq!(p("spreadsheets i touched in september").text, "");
    assert_eq!(p("letters we wrote to the council").text, "letters to the council");
    let written = p("letters I've written").kinds.unwrap();
    assert_eq!((written.kinds, written.soft), (vec![Document], false), "written: not the PDFs one was sent");
    assert_eq!(p("the speech notes").text, "speech", "no subject, no verb taken");
    assert_eq!(p("invoices I've sent out this month").text, "invoices", "nor its particle");
    assert_eq!(p("what did i work on 3 days ago").text, "", "the verb after 'did I'");
    assert!(p("spreadsheets I changed this quarter").dates.unwrap().done, "when the file was changed");
    assert!(!p("photos I took yesterday").dates.unwrap().done, "a photo is of the day in its name");
    assert!(!p("statements from this quarter").dates.unwrap().done);
    let not_photos = p("Lisbon trip paperwork, not the photos").kinds.unwrap();
    assert_eq!((not_photos.kinds, not_photos.except, not_photos.label.as_str()), (vec![Pdf, Document], vec![Image], "paperwork, not the photos"));
    let letters = p("letters (proper letters, not emails)");
    assert_eq!(letters.kinds.as_ref().unwrap().except, [Email]);
    assert!(!letters.text.contains("not"), "{}", letters.text);
    let except_only = p("everything about Lisbon except photos").kinds.unwrap();
    assert!(except_only.kinds.is_empty() && !except_only.soft);
    assert_eq!(p("notes on why not to prune roses").kinds.unwrap().except, Vec::<FileKind>::new(), "'not to' names no kind");
    assert_eq!(p("the before photos of the Hartley garden").text, "before of the Hartley garden", "no date after it: a word");
    assert_eq!(p("what's eating my disk, anything over 5 GB?").text, "");
    assert_eq!(p("what's cluttering up my desktop?").text, "");
    assert_eq!(p("zips taking up space").text, "");
    assert_eq!(p("which files are over 1 GB? running out of space").text, "");
    assert_eq!(p("the huge videos, need to free up some room").text, "");
    assert_eq!(p("photos of the living room").text, "living room");
    assert!(p("notes on taking up the piano").text.contains("taking up"), "no room taken");
    assert!(!p("vids from last year").kinds.unwrap().taken, "videos are no photos");
    assert!(p("photos I took yesterday").kinds.unwrap().taken);
    assert!(!p("pictures on my desktop").kinds.unwrap().taken, "pictures may be screenshots");
    assert!(!p("photos and screenshots").kinds.unwrap().taken);
    assert_eq!(p("sheet music").text, "sheet music");
}

#[test]
fn nouns_that_name_what_files_are_about_are_preferences() {
    let plan = p("car insurance documents");
    assert_eq!(plan.text, "car insurance");
    assert!(plan.kinds.as_ref().unwrap().soft, "documents: preferred, not required");
    assert!(p("reports from this quarter").kinds.unwrap().soft);
    assert!(!p("pdf reports").kinds.unwrap().soft, "a format said is required");
    assert!(!p("songs I added this year").kinds.unwrap().soft);
    assert_eq!(p("songs I added this year").text, "");
    assert_eq!(p("tunes by Radiohead").kinds.unwrap().kinds, [Audio]);
}

#[test]
fn what_came_from_the_internet_is_in_downloads() {
    let plan = p("stuff I grabbed from the internet this week");
    assert_eq!(plan.folder.unwrap().name, "Downloads");
    assert_eq!(plan.text, "");
    for request in ["stuff i downloaded last month", "what did i download in 2024", "downloads older than a year", "my downloads from March"] {
        let plan = p(request);
        assert_eq!(plan.folder.map(|f| f.name).as_deref(), Some("Downloads"), "{request}");
        assert_eq!(plan.text, "", "{request}");
    }
    assert_eq!(p("what's on my desktop").folder.unwrap().name, "Desktop");
    assert!(p("how to download a file").folder.is_none(), "a download to make is no folder");
}

#[test]
fn size_adjectives_are_kept_to_be_measured_and_numbers_are_not() {
    assert_eq!(p("any huge zip files lying around?").size.unwrap().word, Some(crate::SizeWord::Huge));
    assert_eq!(p("small photos").size.unwrap().word, Some(crate::SizeWord::Small));
    assert_eq!(p("big videos over 2 GB").size.unwrap().word, None, "a number says the size");
}

#[test]
fn a_size_word_is_a_share_of_the_files_measured() {
    use crate::SizeWord::*;
    let mut sizes: Vec<u64> = (1..=20).rev().collect();
    assert_eq!(Big.bound(&mut sizes), Some(16), "the largest quarter: 16 to 20");
    assert_eq!(Huge.bound(&mut sizes), Some(19), "the largest tenth: 19 and 20");
    assert_eq!(Small.bound(&mut sizes), Some(5));
    assert_eq!(Tiny.bound(&mut sizes), Some(2));
    assert_eq!(Big.bound(&mut [5, 6, 7]), None, "too few to tell");
}

#[test]
fn a_verb_that_opens_requests_is_a_word_elsewhere() {
    assert_eq!(p("pics from show day").text, "show day");
    assert_eq!(p("show me the pics from the show").text, "show");
    assert_eq!(p("what did i do over the weekend, files wise").text, "", "only filler and a date");
    let recordings = p("my welsh lesson recordings").kinds.unwrap();
    assert!(recordings.kinds.contains(&Audio) && recordings.kinds.contains(&Video), "recordings are sound or film");
}

#[test]
fn formats_narrower_than_a_kind_are_read_as_extensions() {
    let zips = p("any huge zip files lying around?").kinds.unwrap();
    assert_eq!((zips.kinds.as_slice(), zips.extensions.as_slice()), (&[Archive][..], &["zip".to_string()][..]));
    assert!(p("installers").kinds.unwrap().extensions.contains(&"appimage".to_string()));
    assert_eq!(p("odt files from this year").kinds.unwrap().extensions, ["odt"]);
    let markdown = p("markdown files from august").kinds.unwrap();
    assert_eq!((markdown.kinds.as_slice(), markdown.extensions.len()), (&[Markdown][..], 0), "the kind's own name is the whole kind");
    assert!(p("archives older than 2025").kinds.unwrap().extensions.is_empty(), "archives: every kind of archive");
    assert!(p("zips and videos").kinds.unwrap().extensions.is_empty(), "a whole kind named too: no narrowing");
    assert_eq!(p("spreadsheets").kinds.unwrap().kinds, [Spreadsheet, Data], "CSV files are spreadsheets to people");
}

#[test]
fn older_than_a_time_is_before_it() {
    let plan = p("archives older than 2025");
    assert_eq!(plan.text, "");
    assert_eq!(dates(&plan), (None, Some("2025-01-01".to_string())));
    assert_eq!(dates(&p("photos newer than 2024")), (Some("2025-01-01".to_string()), None));
}
