//! How often a request to act becomes the right plan: the labeled requests
//! of `tests/eval/actions.json` over a small home folder (below) and the
//! desktop entries of `tests/fixtures/applications`, read by the rules
//! alone and with the planning model. A plan is right when its actions, as
//! a set, are the labeled ones; "refused" when no plan may be made.
//!
//! The figures go to standard output and to
//! `$CARGO_TARGET_DIR/test-artifacts/eval/actions.json`; docs/BENCHMARKS.md
//! records them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use nook_corpus::documents::{docx_of_paragraphs, jpeg};
use nook_engine::{ActRequest, Action, Engine, Settings};
use nook_tests::{write_file as write, Home};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

const DAY: Duration = Duration::from_secs(24 * 3600);

fn on(day: &str) -> SystemTime {
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    nook_corpus::dated::local_noon(day)
}

/// The home folder: files with the dates the requests speak of ("last
/// week", "yesterday", "from 2024"), relative to now.
fn home_folder(root: &Path) {
    let now = SystemTime::now();
    let photo = |model: &str| jpeg(8, 8, "Camera", model, "2025:08:01 10:00:00", 1);
    let files: Vec<(&str, Vec<u8>, SystemTime)> = vec![
        ("Desktop/Screenshot-A.jpg", photo("A"), now - 7 * DAY),
        ("Desktop/Screenshot-B.jpg", photo("B"), now - 7 * DAY),
        ("Desktop/Screenshot-2024.jpg", photo("C"), on("2024-01-10")),
        ("Desktop/todo.txt", b"Things to do: call the plumber, pay the rent.".to_vec(), now - DAY),
        ("Documents/report-q1.docx", docx_of_paragraphs(&["Quarterly report for Q1: revenue and costs."]), on("2025-04-02")),
        ("Documents/report-q2.docx", docx_of_paragraphs(&["Quarterly report for Q2: hiring and revenue."]), on("2025-07-03")),
        ("Documents/letter-landlord.txt", b"Dear landlord, the heating in the flat is broken again.".to_vec(), on("2025-06-15")),
        ("Documents/budget.csv", b"month,rent,food\njan,900,300\nfeb,900,280\n".to_vec(), on("2025-06-15")),
        ("Documents/Projects/nook/README.md", b"# Nook\nA private assistant for your files.".to_vec(), on("2025-06-15")),
        ("Documents/Archive/old-notes.txt", b"Notes from last year about the garden.".to_vec(), on("2025-06-15")),
        ("Downloads/invoice-0042.txt", b"Invoice 0042 from ACME for consulting.".to_vec(), on("2025-06-15")),
        ("Downloads/invoice-0043.txt", b"Invoice 0043 from Globex for hosting.".to_vec(), on("2025-06-15")),
        ("Downloads/setup-notes.txt", b"Notes on setting up the new laptop.".to_vec(), on("2025-06-15")),
        ("Downloads/draft-old-1.txt", b"First old draft of the speech.".to_vec(), on("2025-06-15")),
        ("Downloads/draft-old-2.txt", b"Second old draft of the speech.".to_vec(), on("2025-06-15")),
        ("Pictures/holiday.jpg", photo("D"), on("2025-08-01")),
    ];
    for (rel, bytes, modified) in files {
        write(root, rel, &bytes);
        fs::File::options().write(true).open(root.join(rel)).unwrap().set_modified(modified).unwrap();
    }
}

/// An action as the labels write it: paths relative to `root`.
pub(crate) fn label(action: &Action, root: &Path) -> Vec<String> {
    let rel = |p: &PathBuf| p.strip_prefix(root).map_or_else(|_| p.display().to_string(), |r| r.display().to_string());
    let parts: Vec<String> = match action {
        Action::Open { path } => vec!["open".into(), rel(path)],
        Action::Reveal { path } => vec!["reveal".into(), rel(path)],
        Action::CreateFolder { path } => vec!["create_folder".into(), rel(path)],
        Action::Move { from, to } => vec!["move".into(), rel(from), rel(to)],
        Action::Copy { from, to } => vec!["copy".into(), rel(from), rel(to)],
        Action::Rename { path, name } => vec!["rename".into(), rel(path), name.clone()],
        Action::Trash { path } => vec!["trash".into(), rel(path)],
        Action::Launch { app, .. } => vec!["launch".into(), app.clone()],
        Action::Terminal { folder, .. } => vec!["terminal".into(), rel(folder)],
        Action::Run { program, .. } => vec!["run".into(), program.display().to_string()],
    };
    parts
}

fn expected(value: &Value) -> Option<BTreeSet<Vec<String>>> {
    value.as_array().map(|actions| {
        actions.iter().map(|a| a.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect()).collect()
    })
}

/// What `request` became: the plan's actions as labels, or None if refused.
pub(crate) async fn plan_of(engine: &Engine, settings: &Settings, root: &Path, request: &str, rules_only: bool) -> (Option<BTreeSet<Vec<String>>>, String) {
    let asked = ActRequest { request: request.into(), rules_only, ..ActRequest::default() };
    match engine.propose(&asked, settings).await {
        Ok(proposed) => {
            engine.cancel(&proposed.proposal.plan.id).unwrap();
            let read_by = format!("{:?}", proposed.read_by).to_lowercase();
            (Some(proposed.proposal.plan.actions.iter().map(|a| label(a, root)).collect()), read_by)
        }
        Err(err) => (None, err.to_string()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_to_act_become_the_right_plans() {
    let home = Home::new();
    let apps = home.dir.path().join("applications");
    fs::create_dir_all(&apps).unwrap();
    for entry in fs::read_dir(repo().join("tests/fixtures/applications")).unwrap().flatten() {
        fs::copy(entry.path(), apps.join(entry.file_name())).unwrap();
    }
    let dir = tempfile::Builder::new().prefix("nook-act-eval").tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    home_folder(&root);
    let engine = home.engine().await;
    let report = nook_tests::index(&engine, &root).await;
    assert_eq!(report.failed, 0, "{report:?}");
    let settings = Settings { folders: vec![root.clone()], ..Settings::default() };

    let labeled: Value = serde_json::from_str(&fs::read_to_string(repo().join("tests/eval/actions.json")).unwrap()).unwrap();
    let requests = labeled["requests"].as_array().unwrap();
    assert!(requests.len() >= 60, "at least 60 labeled requests");

    let mut rows = Vec::new();
    // [rules, with model] × [files, apps, refused, all]; the model set apart.
    let mut right = [[0usize; 4]; 2];
    let mut totals = [0usize; 4];
    let mut model_right = [0usize; 2];
    let mut model_total = 0;
    for item in requests {
        let request = item["request"].as_str().unwrap();
        let want = expected(&item["plan"]);
        let group = match &want {
            None => 2,
            Some(actions) if actions.iter().all(|a| a[0] == "launch") => 1,
            Some(_) => 0,
        };
        let for_model = item["model"].as_bool().unwrap_or(false);
        totals[group] += 1;
        totals[3] += 1;
        model_total += usize::from(for_model);
        let mut row = json!({ "request": request, "expected": item["plan"] });
        for (mode, rules_only) in [(0, true), (1, false)] {
            let (got, how) = plan_of(&engine, &settings, &root, request, rules_only).await;
            let ok = got == want;
            if ok {
                right[mode][group] += 1;
                right[mode][3] += 1;
                if for_model {
                    model_right[mode] += 1;
                }
            }
            let key = if rules_only { "rules" } else { "model" };
            row[key] = json!({ "right": ok, "plan": got, "read_by_or_error": how });
        }
        rows.push(row);
    }

    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let figures = json!({
        "requests": totals[3],
        "files": totals[0], "apps": totals[1], "refused": totals[2], "without_a_leading_verb": model_total,
        "rules": { "files": share(right[0][0], totals[0]), "apps": share(right[0][1], totals[1]), "refused": share(right[0][2], totals[2]),
                   "all": share(right[0][3], totals[3]), "without_a_leading_verb": share(model_right[0], model_total) },
        "with_model": { "files": share(right[1][0], totals[0]), "apps": share(right[1][1], totals[1]), "refused": share(right[1][2], totals[2]),
                        "all": share(right[1][3], totals[3]), "without_a_leading_verb": share(model_right[1], model_total) },
    });
    println!("{}", serde_json::to_string_pretty(&figures).unwrap());
    for row in &rows {
        for key in ["rules", "model"] {
            if row[key]["right"] == false {
                println!("{key:>5} wrong: {} → {} ({})", row["request"], row[key]["plan"], row[key]["read_by_or_error"]);
            }
        }
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target"));
    let out = target.join("test-artifacts/eval");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("actions.json"), serde_json::to_string_pretty(&json!({ "figures": figures, "requests": rows })).unwrap()).unwrap();

    // What must hold whatever the model does: nothing unsafe is ever planned.
    assert_eq!(right[0][2], totals[2], "every request that must be refused is, by the rules");
    assert_eq!(right[1][2], totals[2], "every request that must be refused is, with the model");
    // The rules read the requests written for them.
    let for_rules = totals[3] - model_total;
    let rules_on_theirs = right[0][3] - model_right[0];
    assert!(share(rules_on_theirs, for_rules) >= 0.9, "rules: {rules_on_theirs} of {for_rules}");
}
