//! Synthetic folders of documents with known content, for tests and
//! benchmarks.
//!
//! A corpus is a set of *topic* documents, each about one distinctive subject
//! and each paired with a question a person might ask to find it (worded
//! differently from the document), plus *filler* files of everyday notes and
//! code that the questions must not be confused by, and a few *distractors*
//! that share a topic's domain but not its subject. Everything is generated
//! from a seed, so a corpus is the same on every machine.

pub mod dated;
pub mod documents;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A question whose answer is known to be one file of the corpus.
#[derive(Debug, Clone)]
pub struct KnownQuery {
    pub query: &'static str,
    /// Path of the expected file, relative to the corpus root.
    pub expected: &'static str,
}

/// What [`generate`] wrote.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    /// Every file written, relative to the root.
    pub files: Vec<PathBuf>,
    pub bytes: u64,
    pub queries: Vec<KnownQuery>,
}

/// Writes the topic documents, the distractors and `filler_files` filler
/// files under `root`, spread over a few folders.
pub fn generate(root: &Path, filler_files: usize, seed: u64) -> io::Result<Corpus> {
    let mut corpus = Corpus { root: root.to_path_buf(), files: Vec::new(), bytes: 0, queries: Vec::new() };
    for topic in TOPICS {
        write(&mut corpus, topic.path, topic.body)?;
        corpus.queries.push(KnownQuery { query: topic.query, expected: topic.path });
    }
    for (path, body) in DISTRACTORS {
        write(&mut corpus, path, body)?;
    }
    let mut rng = Rng::new(seed);
    for i in 0..filler_files {
        let (path, body) = filler(&mut rng, i);
        write(&mut corpus, &path, &body)?;
    }
    Ok(corpus)
}

fn write(corpus: &mut Corpus, rel: &str, body: &str) -> io::Result<()> {
    let path = corpus.root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&path, body)?;
    corpus.files.push(PathBuf::from(rel));
    corpus.bytes += body.len() as u64;
    Ok(())
}

/// Like [`generate`], then `documents` more files of meeting notes in the
/// document formats Nook reads, in turn: PDF, Word, Excel, PowerPoint,
/// OpenDocument text, e-mail, RTF, EPUB and photos' metadata.
pub fn generate_mixed(root: &Path, filler_files: usize, documents: usize, seed: u64) -> io::Result<Corpus> {
    let mut corpus = generate(root, filler_files, seed)?;
    let mut rng = Rng::new(seed ^ 0xD0C5);
    for i in 0..documents {
        let folder = rng.pick(FOLDERS);
        let text = notes(&mut rng);
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        // The PDF writer takes plain ASCII without parentheses.
        let ascii: Vec<String> =
            lines.iter().map(|l| l.chars().filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\')).collect()).collect();
        let ascii: Vec<&str> = ascii.iter().map(String::as_str).collect();
        let (name, bytes) = match i % 9 {
            0 => (format!("report-{i}.pdf"), documents::pdf(&ascii, "")),
            1 => (format!("minutes-{i}.docx"), documents::docx_of_paragraphs(&lines)),
            2 => {
                let rows: String = lines.iter().enumerate().map(|(r, l)| documents::xlsx_row(r + 1, &[l])).collect();
                (format!("tracker-{i}.xlsx"), documents::xlsx(&[("Log", &rows)], &[]))
            }
            3 => {
                let slides: Vec<(&str, Option<&str>)> = lines.iter().map(|l| (*l, None)).collect();
                (format!("review-{i}.pptx"), documents::pptx(&slides))
            }
            4 => (format!("notes-{i}.odt"), documents::odt_of_paragraphs(&lines)),
            5 => (
                format!("mail-{i}.eml"),
                documents::eml("Ana <ana@example.org>", "team@example.org", "Weekly notes", "Mon, 2 Mar 2026 09:00:00 +0000", &text),
            ),
            6 => (format!("letter-{i}.rtf"), documents::rtf(&ascii)),
            7 => {
                let chapters: Vec<String> = lines.iter().map(|l| format!("<p>{}</p>", documents::xml_escape(l))).collect();
                (format!("handbook-{i}.epub"), documents::epub(&[&chapters.concat()]))
            }
            _ => (format!("IMG_{i:04}.jpg"), documents::jpeg(4000, 3000, "Canon", "Canon EOS R6", "2025:06:01 10:00:00", 1)),
        };
        let rel = format!("{folder}/{name}");
        let path = root.join(&rel);
        fs::create_dir_all(path.parent().expect("a folder"))?;
        fs::write(&path, &bytes)?;
        corpus.files.push(PathBuf::from(rel));
        corpus.bytes += bytes.len() as u64;
    }
    Ok(corpus)
}

/// A tree of `files` one-line notes, 200 to a folder: many files, little
/// text, for timing what costs per file (walks, reconciles, watches).
pub fn generate_tree(root: &Path, files: usize, seed: u64) -> io::Result<Corpus> {
    let mut corpus = Corpus { root: root.to_path_buf(), files: Vec::new(), bytes: 0, queries: Vec::new() };
    let mut rng = Rng::new(seed);
    for i in 0..files {
        let rel = format!("{}/{:03}/line-{i}.txt", rng.pick(FOLDERS), i / 200);
        let body = format!("{} {} {}.\n", rng.pick(PEOPLE), rng.pick(ACTIONS), rng.pick(SUBJECTS));
        write(&mut corpus, &rel, &body)?;
    }
    Ok(corpus)
}

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FOLDERS: &[&str] = &["notes", "work/meetings", "work/status", "projects/tools", "misc", "archive/2022"];
const PEOPLE: &[&str] = &["Ana", "Ben", "Chloé", "Dmitri", "Esra", "Femi", "Gwen", "Hiro", "Ines", "Jonas"];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const SUBJECTS: &[&str] = &[
    "the weekly sync", "the onboarding checklist", "the office move", "the printer on the third floor",
    "the quarterly all-hands", "the shared calendar", "the team offsite", "the expense tool",
    "the badge access", "the style guide", "the intranet page", "the coffee machine rota",
];
const ACTIONS: &[&str] = &[
    "asked for feedback on", "will follow up about", "shared a short update on", "raised a question about",
    "volunteered to own", "postponed the discussion of", "summarised the status of", "proposed changes to",
];
const REMARKS: &[&str] = &[
    "Nothing is blocked at the moment.", "Action items are tracked in the usual document.",
    "Everyone agreed to revisit this next week.", "Please add comments before the end of the day.",
    "The decision is recorded for future reference.", "Details will be shared by email.",
    "No further changes are expected this month.", "The next review is scheduled after the holidays.",
];
const IDENTS: &[&str] = &["config", "buffer", "record", "entry", "value", "handle", "state", "count", "label", "index"];

/// One filler file: meeting-style notes or a small piece of code.
fn filler(rng: &mut Rng, i: usize) -> (String, String) {
    let folder = rng.pick(FOLDERS);
    match rng.below(4) {
        0 => (format!("{folder}/helpers_{i}.py"), filler_python(rng)),
        1 => (format!("{folder}/util_{i}.rs"), filler_rust(rng)),
        2 => (format!("{folder}/update-{i}.md"), filler_notes(rng, true)),
        _ => (format!("{folder}/note-{i}.txt"), filler_notes(rng, false)),
    }
}

/// A few lines of meeting-style notes in plain English.
pub fn notes(rng: &mut Rng) -> String {
    filler_notes(rng, false)
}

fn filler_notes(rng: &mut Rng, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str(&format!("# Notes from {}\n\n", rng.pick(DAYS)));
    }
    for _ in 0..(4 + rng.below(30)) {
        out.push_str(&format!(
            "{} {} {}. {}\n",
            rng.pick(PEOPLE),
            rng.pick(ACTIONS),
            rng.pick(SUBJECTS),
            rng.pick(REMARKS)
        ));
        if rng.below(5) == 0 {
            out.push('\n');
        }
    }
    out
}

fn filler_python(rng: &mut Rng) -> String {
    let mut out = String::from("\"\"\"Small helpers.\"\"\"\n\n");
    for _ in 0..(1 + rng.below(6)) {
        let (a, b) = (rng.pick(IDENTS), rng.pick(IDENTS));
        out.push_str(&format!(
            "def update_{a}_{b}({a}, {b}):\n    \"\"\"Return the {a} with its {b} refreshed.\"\"\"\n    {a}.{b} = {b}\n    return {a}\n\n\n"
        ));
    }
    out
}

fn filler_rust(rng: &mut Rng) -> String {
    let mut out = String::from("//! Small helpers.\n\n");
    for _ in 0..(1 + rng.below(6)) {
        let (a, b) = (rng.pick(IDENTS), rng.pick(IDENTS));
        out.push_str(&format!(
            "/// Returns the {b} of a {a}.\npub fn {a}_{b}({a}: &{}) -> usize {{\n    {a}.{b}.len()\n}}\n\n",
            capitalize(a)
        ));
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

struct Topic {
    path: &'static str,
    query: &'static str,
    body: &'static str,
}

const DISTRACTORS: &[(&str, &str)] = &[
    ("kitchen/banana-bread.md", "# Banana bread\n\nMash three ripe bananas, mix with melted butter, sugar, one egg and baking soda.\nBake for an hour at 175 °C. No yeast, no starter, no kneading.\n"),
    ("sport/cycling-plan.txt", "Cycling plan for the spring sportive.\nIntervals on the turbo trainer twice a week, a long ride on Saturday, recovery spin on Monday.\nCheck tyre pressure and chain wear before each long ride.\n"),
    ("home/contents-inventory.txt", "Inventory of furniture and electronics for the records: sofa, TV, laptop, bicycle, dining table.\nReceipts are kept in the blue folder.\n"),
    ("code/bubble.py", "def bubble_sort(values):\n    \"\"\"Swap neighbours until nothing moves.\"\"\"\n    for i in range(len(values)):\n        for j in range(len(values) - 1 - i):\n            if values[j] > values[j + 1]:\n                values[j], values[j + 1] = values[j + 1], values[j]\n    return values\n"),
    ("travel/lisbon.md", "# Lisbon weekend\n\nTram 28 to Alfama, pastéis de nata in Belém, sunset at the Miradouro da Senhora do Monte.\n"),
];

const TOPICS: &[Topic] = &[
    Topic {
        path: "kitchen/sourdough.md",
        query: "how often should I feed my bread starter",
        body: "# Sourdough starter\n\nFeed the starter every twelve hours: discard half, then add 50 g of flour and 50 g of water.\nKeep it at room temperature; it is ready when it doubles within six hours.\nBefore baking, build a levain the night before. Dough at 75% hydration, bulk fermentation of four hours with stretch and folds, then shape and proof overnight in the banneton.\n",
    },
    Topic {
        path: "finance/tax-2023.txt",
        query: "claiming a home office deduction on my tax return",
        body: "Income tax return 2023 - notes\n\nDeductions to claim: the home office (12 m2 of the flat, used only for work), charitable donations with receipts, and the professional association fee.\nGather the employer's annual salary statement before filing.\nThe filing deadline is the end of July; the accountant needs the documents two weeks earlier.\n",
    },
    Topic {
        path: "projects/infra/payments-deployment.yaml",
        query: "kubernetes manifest for the payment service",
        body: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: payments-api\n          image: registry.internal/payments-api:2.4.1\n          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n",
    },
    Topic {
        path: "travel/kyoto-itinerary.md",
        query: "travel plans for visiting shrines in Japan",
        body: "# Kyoto itinerary\n\nDay 1: Fushimi Inari shrine at dawn to avoid the crowds, walk up through the torii gates.\nDay 2: Arashiyama bamboo grove, Tenryu-ji temple garden, then a ryokan in Gion with a kaiseki dinner.\nDay 3: Kinkaku-ji, the golden pavilion, and the philosopher's path.\n",
    },
    Topic {
        path: "sport/marathon-plan.txt",
        query: "running schedule to prepare for a 42 km race",
        body: "Marathon training plan, 16 weeks.\nLong run every Sunday, building from 18 km to 32 km.\nTempo run on Wednesday at half-marathon pace; easy runs on Tuesday and Friday.\nTaper for three weeks before race day; carbohydrate loading for the last three days.\n",
    },
    Topic {
        path: "home/garden.md",
        query: "growing tomatoes in raised beds",
        body: "# Vegetable garden\n\nThe raised beds get six hours of sun. Plant the tomato seedlings after the last frost, 60 cm apart, with basil between them as a companion.\nWater at the base in the morning to avoid blight; pinch out the side shoots and stake the vines.\n",
    },
    Topic {
        path: "car/civic-maintenance.txt",
        query: "when were the brake pads replaced on the car",
        body: "Honda Civic maintenance log\n\n2023-04-02  oil change and new oil filter at 58,200 km\n2023-10-15  front brake pads replaced, brake fluid flushed, 61,900 km\n2024-04-20  tyre rotation and wheel alignment\n",
    },
    Topic {
        path: "code/quicksort.py",
        query: "python function that sorts a list around a pivot",
        body: "def quicksort(items):\n    \"\"\"Sort by partitioning around a pivot element, recursively.\"\"\"\n    if len(items) < 2:\n        return items\n    pivot = items[len(items) // 2]\n    smaller = [x for x in items if x < pivot]\n    equal = [x for x in items if x == pivot]\n    larger = [x for x in items if x > pivot]\n    return quicksort(smaller) + equal + quicksort(larger)\n",
    },
    Topic {
        path: "code/http_server.rs",
        query: "rust tcp listener answering http requests",
        body: "use std::io::{Read, Write};\nuse std::net::TcpListener;\n\n/// A tiny HTTP server: accepts connections and answers every request with 200 OK.\nfn main() -> std::io::Result<()> {\n    let listener = TcpListener::bind(\"127.0.0.1:7878\")?;\n    for stream in listener.incoming() {\n        let mut stream = stream?;\n        let mut request = [0u8; 1024];\n        stream.read(&mut request)?;\n        stream.write_all(b\"HTTP/1.1 200 OK\\r\\n\\r\\nhello\")?;\n    }\n    Ok(())\n}\n",
    },
    Topic {
        path: "events/wedding.html",
        query: "who is invited to the wedding reception",
        body: "<!DOCTYPE html>\n<html><head><title>Wedding</title><style>td { padding: 4px }</style></head>\n<body>\n<h1>Wedding guest list and seating plan</h1>\n<p>Reception at the lakeside venue. RSVP by 1 May; vegetarian menu for table 3.</p>\n<table><tr><td>Table 1</td><td>Grandma Rose, Uncle Pete, Aunt Mei</td></tr>\n<tr><td>Table 2</td><td>Sam, Priya, Tom &amp; Lisa</td></tr></table>\n</body></html>\n",
    },
    Topic {
        path: "finance/household-budget.csv",
        query: "monthly spending on rent and groceries",
        body: "month,rent,groceries,utilities,transport,savings\n2024-01,1250,410,180,95,300\n2024-02,1250,385,175,95,300\n2024-03,1250,430,160,110,250\n",
    },
    Topic {
        path: "studies/thesis-coral.md",
        query: "research on coral bleaching and warming seas",
        body: "# Chapter 3: Coral reef bleaching\n\nWhen ocean temperatures stay 1 °C above the summer maximum for several weeks, corals expel their symbiotic algae (zooxanthellae) and turn white.\nWe surveyed 40 reef sites after the 2016 heatwave and measured recovery over three years.\n",
    },
    Topic {
        path: "kitchen/green-curry.txt",
        query: "recipe for a curry with coconut milk",
        body: "Thai green curry\n\nFry the green curry paste in a little coconut cream until fragrant.\nAdd chicken thighs, the rest of the coconut milk, bruised lemongrass, galangal and torn kaffir lime leaves.\nSimmer with Thai aubergines; season with fish sauce and palm sugar; finish with Thai basil.\n",
    },
    Topic {
        path: "hobbies/guitar-practice.md",
        query: "learning barre chords",
        body: "# Guitar practice log\n\nWarm up with chromatic exercises, then barre chords: F major on the first fret, B minor on the second.\nPress close to the fret with the side of the index finger; mute buzzing strings.\nFingerpicking pattern for the ballad at 80 bpm with the metronome.\n",
    },
    Topic {
        path: "home/insurance-renewal.txt",
        query: "does my house insurance cover flooding",
        body: "Home insurance policy renewal\n\nThe premium went up by 8% this year. Flood cover is now included after we added it at renewal; the deductible for water damage is 1,000 euros.\nThe policy number and the insurer's claims line are on the first page of the certificate.\n",
    },
    Topic {
        path: "work/q3-planning.md",
        query: "when will the mobile app launch",
        body: "# Q3 planning meeting\n\nDecisions: hire two backend engineers before September. The launch date of the mobile app moves from August to October because the payment provider's review takes longer.\nThe marketing campaign follows the launch.\n",
    },
    Topic {
        path: "pets/luna-vet.txt",
        query: "my cat's vaccination appointment",
        body: "Vet visit for Luna (cat, 4 years)\n\nVaccinations: the yearly booster was given today; rabies is due next spring.\nDeworming tablet every three months. Weight 4.2 kg, healthy. Next check-up booked for 12 March.\n",
    },
    Topic {
        path: "home/solar-panels.json",
        query: "how much electricity do the solar panels produce",
        body: "{\n  \"system\": \"rooftop solar panels, 14 modules\",\n  \"peak_power_kw\": 5.6,\n  \"inverter\": \"string inverter in the garage\",\n  \"yearly_production_kwh\": 5900,\n  \"notes\": \"electricity production is highest in June; panels cleaned in April\"\n}\n",
    },
    Topic {
        path: "books/book-club.md",
        query: "discussion of the Garcia Marquez novel",
        body: "# Book club: One Hundred Years of Solitude\n\nWe talked about Macondo, the seven generations of the Buendía family, and how magical realism makes the impossible ordinary.\nGabriel García Márquez wrote it in eighteen months. Next month: The Master and Margarita.\n",
    },
    Topic {
        path: "projects/shop/migrations/0042_loyalty.sql",
        query: "database migration adding loyalty points to customers",
        body: "-- Adds the loyalty programme.\nALTER TABLE customers ADD COLUMN loyalty_points INTEGER NOT NULL DEFAULT 0;\nCREATE INDEX customers_loyalty_idx ON customers (loyalty_points);\nUPDATE customers SET loyalty_points = 100 WHERE signup_date < '2020-01-01';\n",
    },
    Topic {
        path: "home/moving-checklist.txt",
        query: "things to do before moving to a new flat",
        body: "Moving checklist\n\n- book the removal company for the 30th\n- change the postal address and redirect mail\n- transfer electricity and internet to the new apartment\n- pack the kitchen last, label every box by room\n- hand back the old keys and take meter readings\n",
    },
    Topic {
        path: "hobbies/chess-openings.md",
        query: "najdorf",
        body: "# Opening repertoire\n\nAgainst 1.e4 I play the Sicilian Defence, Najdorf variation: 1.e4 c5 2.Nf3 d6 3.d4 cxd4 4.Nxd4 Nf6 5.Nc3 a6.\nAgainst 1.d4, the Queen's Gambit Declined.\n",
    },
    Topic {
        path: "work/laptop-security.md",
        query: "rules for securing work computers",
        body: "# Laptop security policy\n\nEvery company laptop uses full-disk encryption and locks the screen after five minutes.\nTwo-factor authentication is required for email and the VPN. Report a lost device to IT within one hour.\n",
    },
    Topic {
        path: "nature/birding-log.txt",
        query: "birds seen by the river",
        body: "Birding log\n\nSaturday morning along the river path: a great blue heron fishing in the shallows, a kingfisher darting under the bridge, two grey wagtails and a pair of mute swans.\nBinoculars 8x42 worked well in the low light.\n",
    },
    Topic {
        path: "finance/invoice-acme-4471.txt",
        query: "ACME invoice",
        body: "INVOICE #4471\n\nFrom: ACME Corporation, 1 Industrial Way\nTo: Riverside Design Studio\nConsulting services, March: 62 hours at 200.00 = 12,400.00\nPayment due within 30 days.\n",
    },
    Topic {
        path: "studies/quantum-notes.md",
        query: "notes from the quantum physics lecture",
        body: "# Lecture 7: entanglement\n\nTwo entangled particles share one quantum state; measuring one fixes the outcome for the other, however far apart they are.\nEinstein, Podolsky and Rosen called this paradoxical; Bell's inequality shows no local hidden-variable theory reproduces the correlations.\n",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_corpus() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = generate(a.path(), 50, 7).unwrap();
        let second = generate(b.path(), 50, 7).unwrap();
        assert_eq!(first.files, second.files);
        for file in &first.files {
            assert_eq!(fs::read(a.path().join(file)).unwrap(), fs::read(b.path().join(file)).unwrap());
        }
        assert!(first.queries.len() >= 20);
        let expected: Vec<&str> = first.queries.iter().map(|q| q.expected).collect();
        assert!(expected.iter().all(|e| first.files.iter().any(|f| f.to_str() == Some(e))));
    }
}
