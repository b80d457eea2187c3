//! A home folder of dated files for evaluating requests in words ("reports
//! from this quarter", "big videos in Downloads"): every file has a known
//! kind (by its extension), folder, modification day, size and topics, and
//! some documents mention dates in their text. Journal entries spread over
//! two years stand in for everything else a person keeps.
//!
//! The days are fixed around [`TODAY`], Wednesday 13 August 2025; requests
//! are planned against that day.

use std::fs;
use std::io;
use std::path::Path;
use std::time::SystemTime;

use chrono::{Days, Local, NaiveDate, TimeZone};

use crate::documents::{docx_of_paragraphs, eml, jpeg, odf, pdf, pptx, xlsx, xlsx_row};
use crate::Rng;

/// The day the requests are read against.
pub const TODAY: &str = "2025-08-13";

/// What a file holds.
enum Body {
    Text(&'static str),
    Pdf(&'static [&'static str]),
    Docx(&'static [&'static str]),
    Xlsx(&'static str, &'static [&'static str]),
    Ods(&'static str),
    Pptx(&'static [&'static str]),
    Odp(&'static str),
    Eml { from: &'static str, subject: &'static str, body: &'static str },
    /// A photo taken on the file's day.
    Photo,
    /// That many zero bytes, stored sparse: videos, audio, archives.
    Sparse(u64),
}

use Body::*;

struct Spec {
    rel: &'static str,
    day: &'static str,
    topics: &'static [&'static str],
    /// Days the text mentions, `YYYY-MM-DD`.
    mentions: &'static [&'static str],
    body: Body,
}

const fn f(rel: &'static str, day: &'static str, topics: &'static [&'static str], body: Body) -> Spec {
    Spec { rel, day, topics, mentions: &[], body }
}

const fn m(rel: &'static str, day: &'static str, topics: &'static [&'static str], mentions: &'static [&'static str], body: Body) -> Spec {
    Spec { rel, day, topics, mentions, body }
}

const MB: u64 = 1_000_000;

const FILES: &[Spec] = &[
    // Reports
    f("Documents/reports/q3-sales-report.docx", "2025-07-21", &["report", "sales"], Docx(&["Sales report for July and the third quarter.", "Revenue grew in every region; subscriptions led the growth."])),
    f("Documents/reports/q2-sales-report.pdf", "2025-04-15", &["report", "sales"], Pdf(&["Sales report for the second quarter", "Revenue was flat; the spring campaign underperformed."])),
    f("Documents/reports/q1-sales-report.pdf", "2025-01-20", &["report", "sales"], Pdf(&["Sales report for the first quarter", "Winter sales beat the forecast."])),
    f("Documents/reports/annual-report-2024.pdf", "2024-12-18", &["report", "annual"], Pdf(&["Annual report 2024", "A year of steady growth and two new offices."])),
    f("Documents/reports/board-report-q3-2024.docx", "2024-08-20", &["report", "board"], Docx(&["Report to the board for the third quarter of 2024.", "Hiring is on plan; the warehouse lease was renewed."])),
    f("Documents/reports/soil-research-report.pdf", "2025-06-10", &["report", "research", "soil"], Pdf(&["Research report: soil moisture in raised beds", "Mulched beds kept 30 percent more water."])),
    f("Documents/reports/audit-report.docx", "2025-08-11", &["report", "audit"], Docx(&["Internal audit report.", "Expense approvals were late in two departments."])),
    // Invoices, receipts, statements
    f("Documents/invoices/ACME_invoice_0042.pdf", "2025-05-02", &["invoice", "acme"], Pdf(&["ACME Corporation invoice 0042", "Consulting services, 12 hours."])),
    f("Documents/invoices/ACME_invoice_0057.pdf", "2025-07-30", &["invoice", "acme"], Pdf(&["ACME Corporation invoice 0057", "Hosting and support for July."])),
    f("Documents/invoices/globex-invoice-march.pdf", "2025-03-05", &["invoice", "globex"], Pdf(&["Globex invoice for March", "Cloud storage, 2 TB."])),
    f("Documents/invoices/initech-invoice.docx", "2024-11-12", &["invoice", "initech"], Docx(&["Initech invoice", "Printer maintenance and toner."])),
    f("Documents/invoices/acme-receipt-2024.pdf", "2024-06-03", &["receipt", "acme"], Pdf(&["Receipt from ACME Corporation", "Paid in full, thank you."])),
    f("Downloads/ACME_invoice_0061.pdf", "2025-08-11", &["invoice", "acme"], Pdf(&["ACME Corporation invoice 0061", "Consulting services for August."])),
    f("Downloads/bank-statement-july.pdf", "2025-08-02", &["statement", "bank"], Pdf(&["Bank statement for July", "Opening balance and eleven card payments."])),
    // Other documents
    f("Documents/contracts/lease-agreement.pdf", "2023-09-01", &["contract", "lease"], Pdf(&["Lease agreement for the flat on Rua Augusta", "The tenant pays rent on the first of each month."])),
    f("Documents/taxes/tax-return-2024.pdf", "2025-04-10", &["tax"], Pdf(&["Tax return for 2024", "Income, deductions and the refund due."])),
    f("Documents/letters/letter-to-council.docx", "2025-02-14", &["letter", "council"], Docx(&["Dear council, the streetlight on our corner has been out for weeks."])),
    f("Desktop/old-draft.docx", "2022-05-05", &["draft"], Docx(&["A first draft of the story about the lighthouse keeper."])),
    m("Documents/plans/grant-deadlines.docx", "2025-01-05", &["grant", "deadline"], &["2025-05-14"], Docx(&["The grant application deadline is May 14; send the budget first."])),
    m("Documents/plans/travel-payments.docx", "2025-01-06", &["travel", "deadline"], &["2025-06-01"], Docx(&["Pay the travel agency by the deadline of June 1."])),
    m("Documents/plans/renovation-schedule.docx", "2025-03-03", &["renovation", "deadline"], &["2025-09-30"], Docx(&["The builders must finish the kitchen by the deadline, September 30."])),
    m("Documents/plans/conference-call.docx", "2025-02-20", &["conference", "deadline"], &["2025-05-30"], Docx(&["Talk proposals for the conference are due on 30 May 2025."])),
    // Spreadsheets
    f("Documents/budget-2025.xlsx", "2025-01-08", &["budget"], Xlsx("Budget", &["Rent", "Groceries", "Transport"])),
    f("Documents/expenses-july.xlsx", "2025-08-01", &["expenses"], Xlsx("July", &["Train tickets", "Office chair", "Lunch with clients"])),
    f("Documents/household-budget.ods", "2024-10-02", &["budget", "household"], Ods("Household budget: heating, water and insurance")),
    // Slides and meetings
    f("work/slides/product-roadmap.pptx", "2025-08-06", &["roadmap", "product"], Pptx(&["Product roadmap", "Search in every window", "Launch in the autumn"])),
    f("work/slides/kickoff-2025.pptx", "2025-01-13", &["kickoff"], Pptx(&["Kickoff 2025", "Goals for the year"])),
    f("work/slides/quarterly-review.odp", "2025-07-09", &["review", "quarterly"], Odp("Quarterly review: targets met in two of three regions")),
    f("work/slides/conference-talk.pptx", "2024-05-22", &["talk", "conference"], Pptx(&["Indexing files on the desktop", "Questions"])),
    f("work/meeting-notes-2025-08-07.md", "2025-08-07", &["meeting", "notes"], Text("# Meeting notes\n\nAgreed to ship the search chips next sprint.\n")),
    f("work/meeting-notes-2025-07-15.md", "2025-07-15", &["meeting", "notes"], Text("# Meeting notes\n\nBudget review moved to Thursday.\n")),
    f("work/standup.txt", "2025-08-12", &["standup"], Text("Standup: fixed the flaky test, reviewing the planner.\n")),
    // Code and projects
    f("projects/nook/src/main.rs", "2025-08-10", &["code", "rust"], Text("fn main() {\n    println!(\"nook\");\n}\n")),
    f("projects/nook/src/search.rs", "2025-08-12", &["code", "rust", "search"], Text("pub fn search(query: &str) -> Vec<String> {\n    vec![query.to_string()]\n}\n")),
    f("projects/nook/README.md", "2025-06-30", &["readme"], Text("# Nook\n\nA private assistant for your files.\n")),
    f("projects/garden/plan.md", "2025-03-20", &["garden", "plan"], Text("# Garden plan\n\nTomatoes along the south fence, basil between them.\n")),
    f("projects/garden/sensors.py", "2025-04-02", &["code", "python", "garden"], Text("def read_moisture(pin):\n    return pin.value() / 1023\n")),
    f("projects/website/index.html", "2024-09-09", &["website"], Text("<html><body><h1>Portfolio</h1><p>Photographs of coastlines.</p></body></html>\n")),
    f("projects/website/style.css", "2024-09-09", &["code", "website"], Text("body { font-family: serif; margin: 2em; }\n")),
    f("projects/data/measurements.csv", "2025-05-18", &["data", "measurements"], Text("day,moisture\n1,0.31\n2,0.29\n")),
    // Photos
    f("Pictures/Lisbon trip/IMG_2041.jpg", "2025-03-14", &["photo", "lisbon", "trip"], Photo),
    f("Pictures/Lisbon trip/IMG_2042.jpg", "2025-03-15", &["photo", "lisbon", "trip"], Photo),
    f("Pictures/Lisbon trip/IMG_2050.jpg", "2025-03-16", &["photo", "lisbon", "trip"], Photo),
    f("Pictures/Screenshots/Screenshot-2025-08-12.jpg", "2025-08-12", &["screenshot"], Photo),
    f("Pictures/Screenshots/Screenshot-2025-07-01.jpg", "2025-07-01", &["screenshot"], Photo),
    f("Pictures/family/birthday-cake.jpg", "2024-11-30", &["photo", "birthday"], Photo),
    f("Pictures/family/beach-day.jpg", "2024-07-20", &["photo", "beach"], Photo),
    // Videos, audio, archives
    f("Videos/lisbon-tram.mp4", "2025-03-15", &["video", "lisbon", "tram"], Sparse(450 * MB)),
    f("Videos/birthday-party.mov", "2024-11-30", &["video", "birthday"], Sparse(1200 * MB)),
    f("Downloads/rust-tutorial.mp4", "2025-08-09", &["video", "tutorial", "rust"], Sparse(800 * MB)),
    f("Downloads/short-clip.mp4", "2025-08-10", &["video", "clip"], Sparse(12 * MB)),
    f("Music/podcast-episode-12.mp3", "2025-07-28", &["podcast"], Sparse(40 * MB)),
    f("Music/favourite-song.flac", "2024-03-03", &["song"], Sparse(30 * MB)),
    f("Downloads/ubuntu-24.04.iso", "2025-06-01", &["ubuntu", "iso"], Sparse(5800 * MB)),
    f("Downloads/photos-backup.zip", "2025-02-28", &["backup", "photos"], Sparse(2500 * MB)),
    f("Archive/backup-2023.tar.gz", "2023-12-31", &["backup"], Sparse(900 * MB)),
    f("Archive/old-photos.zip", "2022-08-08", &["photos", "old"], Sparse(3000 * MB)),
    // Mail and notes
    f("Mail/flight-confirmation.eml", "2025-03-01", &["flight", "lisbon"], Eml { from: "TAP Air <booking@example.org>", subject: "Your flight to Lisbon is confirmed", body: "Flight TP1351 to Lisbon, seat 14A." }),
    f("Mail/acme-order.eml", "2025-07-29", &["acme", "order"], Eml { from: "ACME Sales <sales@example.org>", subject: "Order 881 shipped", body: "Your ACME order 881 has shipped." }),
    f("Mail/newsletter.eml", "2025-06-15", &["newsletter"], Eml { from: "Garden Club <news@example.org>", subject: "June newsletter", body: "Seed swap on Saturday at the library." }),
    f("notes/ideas.md", "2025-08-13", &["ideas"], Text("# Ideas\n\n- a plugin for the tram timetable\n")),
    f("notes/books-to-read.txt", "2024-12-01", &["books"], Text("Books to read: The Left Hand of Darkness, Middlemarch.\n")),
    f("notes/lisbon-itinerary.md", "2025-03-10", &["lisbon", "trip", "itinerary"], Text("# Lisbon itinerary\n\nDay 1: Alfama and the castle. Day 2: Belém.\n")),
    f("Downloads/setup-notes.txt", "2025-08-01", &["setup"], Text("Notes on setting up the new laptop: drivers, backups, fonts.\n")),
    f("Downloads/sourdough-recipe.md", "2025-05-25", &["recipe", "sourdough"], Text("# Sourdough\n\nFeed the starter twice a day.\n")),
    f("Desktop/todo.txt", "2025-08-13", &["todo"], Text("Call the plumber. Renew the passport.\n")),
];

/// One file of the dated corpus, as written.
#[derive(Debug, Clone)]
pub struct DatedFile {
    /// Relative to the corpus root.
    pub rel: String,
    pub day: NaiveDate,
    pub size: u64,
    pub topics: Vec<&'static str>,
    /// Days the file's text mentions.
    pub mentions: Vec<NaiveDate>,
}

/// What [`generate_dated`] wrote.
#[derive(Debug, Clone)]
pub struct DatedCorpus {
    pub today: NaiveDate,
    pub files: Vec<DatedFile>,
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("corpus days are valid")
}

/// Noon of `day` in the local time zone.
pub fn local_noon(day: NaiveDate) -> SystemTime {
    let noon = day.and_hms_opt(12, 0, 0).expect("noon exists");
    Local.from_local_datetime(&noon).earliest().expect("noon is never skipped").into()
}

const JOURNAL: &[&str] = &[
    "Rain all morning; read by the window and made soup.",
    "Long walk along the river, saw herons near the weir.",
    "Quiet day. Tidied the shelves and answered letters.",
    "Cycled to the market, bought plums and fresh bread.",
    "Evening concert in the park, brass band and fireflies.",
    "Fixed the squeaky hinge on the shed door at last.",
    "Tried a new pasta recipe with lemon and capers.",
    "Phoned grandmother; she is planting sweet peas again.",
];

/// Writes the dated corpus under `root`, with `journal` journal entries, and
/// sets every file's modification time to noon of its day.
pub fn generate_dated(root: &Path, journal: usize, seed: u64) -> io::Result<DatedCorpus> {
    let mut files = Vec::new();
    for spec in FILES {
        let path = root.join(spec.rel);
        fs::create_dir_all(path.parent().expect("corpus files are in folders"))?;
        let the_day = day(spec.day);
        let bytes = match &spec.body {
            Text(text) => text.as_bytes().to_vec(),
            Pdf(pages) => pdf(pages, ""),
            Docx(paragraphs) => docx_of_paragraphs(paragraphs),
            Xlsx(sheet, cells) => xlsx(&[(sheet, &xlsx_row(1, cells))], &[]),
            Ods(text) => odf(
                "spreadsheet",
                &format!("<office:spreadsheet><table:table table:name=\"Sheet1\"><table:table-row><table:table-cell><text:p>{text}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"),
            ),
            Pptx(titles) => pptx(&titles.iter().map(|t| (*t, None)).collect::<Vec<_>>()),
            Odp(text) => odf(
                "presentation",
                &format!("<office:presentation><draw:page><draw:frame><draw:text-box><text:p>{text}</text:p></draw:text-box></draw:frame></draw:page></office:presentation>"),
            ),
            Eml { from, subject, body } => {
                let date = the_day.format("%a, %d %b %Y 09:30:00 +0000").to_string();
                eml(from, "me@example.org", subject, &date, body)
            }
            Photo => jpeg(4032, 3024, "Apple", "iPhone 13", &the_day.format("%Y:%m:%d 10:15:00").to_string(), 1),
            Sparse(_) => Vec::new(),
        };
        fs::write(&path, &bytes)?;
        let size = match spec.body {
            Sparse(size) => {
                fs::File::options().write(true).open(&path)?.set_len(size)?;
                size
            }
            _ => bytes.len() as u64,
        };
        fs::File::options().write(true).open(&path)?.set_modified(local_noon(the_day))?;
        files.push(DatedFile {
            rel: spec.rel.to_string(),
            day: the_day,
            size,
            topics: spec.topics.to_vec(),
            mentions: spec.mentions.iter().map(|d| day(d)).collect(),
        });
    }
    // Journal entries, one a few days apart, over the two years before today.
    let today = day(TODAY);
    let mut rng = Rng::new(seed);
    for i in 0..journal {
        let back = (i * 730 / journal.max(1)) as u64 + rng.below(3) as u64;
        let the_day = today.checked_sub_days(Days::new(back)).expect("in the calendar");
        let rel = format!("notes/journal/{}-{i:03}.md", the_day.format("%Y-%m-%d"));
        let text = format!("# {}\n\n{}\n", the_day.format("%A %-d %B %Y"), rng.pick(JOURNAL));
        let path = root.join(&rel);
        fs::create_dir_all(path.parent().expect("in a folder"))?;
        fs::write(&path, &text)?;
        fs::File::options().write(true).open(&path)?.set_modified(local_noon(the_day))?;
        files.push(DatedFile { rel, day: the_day, size: text.len() as u64, topics: vec!["journal"], mentions: Vec::new() });
    }
    Ok(DatedCorpus { today, files })
}
