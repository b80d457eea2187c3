//! Requests as people say them, scored by what they wanted: the request
//! sets of `tests/eval/requests/` (see its README), each over the home
//! folder its manifest describes, read as of the day the set was written.
//!
//! - a request to find files is right when Nook's first results are exactly
//!   the files the writer meant (none, when the folder holds none);
//! - a request to act is right when the plan's effects, as a set, are the
//!   ones the writer listed; a plan with any verb other than the one asked
//!   (or creating the folder it needs) is a verb error; a request that must
//!   be refused must get no plan;
//! - every request, questions included, is routed (find, ask or act) as
//!   its writer meant.
//!
//! Figures are reported, never asserted: held-out sets must not be tuned
//! to in CI, and labeled ones measure the rules they shaped. They go to
//! standard output and to `$CARGO_TARGET_DIR/test-artifacts/eval/requests-<set>.json`;
//! docs/BENCHMARKS.md records them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use nook_engine::{Engine, Settings};
use nook_tests::{manifest, Home};
use serde_json::{json, Value};

use crate::act_eval::plan_of;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a request found: the files, best first, relative to the home;
/// how each was found (its closeness in meaning and whether its name
/// matched); and the plan as searched (its words, its chips, relaxed ones
/// marked, and the notes).
struct Found {
    paths: Vec<String>,
    how: Vec<Value>,
    plan: Value,
}

async fn found(engine: &Engine, root: &Path, request: &str, model: bool) -> Result<Found, String> {
    let plan = engine.plan_as(request, model).map_err(|e| e.to_string())?;
    let found = engine.find(&plan, 50).await.map_err(|e| e.to_string())?;
    let paths = found.hits.iter().map(|h| Path::new(&h.path).strip_prefix(root).map_or_else(|_| h.path.clone(), |p| p.display().to_string())).collect();
    let how = found.hits.iter().map(|h| json!([h.closeness, h.name_match])).collect();
    let chips: Vec<String> = found
        .plan
        .chips()
        .iter()
        .map(|c| format!("{}: {}{}", c.field, c.label, if c.relaxed { " (relaxed)" } else { "" }))
        .collect();
    let plan = json!({ "words": found.plan.text, "chips": chips, "notes": found.notes });
    Ok(Found { paths, how, plan })
}

/// Right when the first |expected| results are the expected files (no
/// results at all when none are expected).
fn exactly(hits: &[String], expected: &BTreeSet<String>) -> bool {
    let first: BTreeSet<String> = hits.iter().take(expected.len().max(1)).cloned().collect();
    if expected.is_empty() { hits.is_empty() } else { first == *expected }
}

fn expected_actions(value: &Value) -> Option<BTreeSet<Vec<String>>> {
    value.as_array().map(|actions| {
        actions.iter().map(|a| a.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect()).collect()
    })
}

#[derive(Default)]
struct Tally(BTreeMap<String, (usize, usize)>);

impl Tally {
    fn count(&mut self, group: &str, right: bool) {
        let entry = self.0.entry(group.to_string()).or_default();
        entry.0 += usize::from(right);
        entry.1 += 1;
    }

    fn json(&self) -> Value {
        self.0.iter().map(|(k, (r, n))| (k.clone(), json!({ "right": r, "of": n, "share": *r as f64 / (*n).max(1) as f64 }))).collect()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_as_people_say_them() {
    let dir = repo().join("tests/eval/requests");
    let mut sets: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("set-") && p.extension().is_some_and(|e| e == "json"))
        .collect();
    sets.sort();
    assert!(!sets.is_empty(), "request sets in {}", dir.display());
    // NOOK_REQUEST_SETS=R1,R2 runs only those sets.
    let only: Option<Vec<String>> = std::env::var("NOOK_REQUEST_SETS").ok().map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    for set_path in sets {
        let set = read_json(&set_path);
        let name = set["set"].as_str().unwrap().to_string();
        if only.as_ref().is_some_and(|only| !only.contains(&name)) {
            continue;
        }
        let home_manifest = read_json(&repo().join("tests/eval/homes").join(set["home"].as_str().unwrap()));
        let today = manifest::today_of(&home_manifest);

        let home = Home::new();
        let files_dir = tempfile::Builder::new().prefix("nook-request-eval").tempdir().unwrap();
        let root = files_dir.path().canonicalize().unwrap();
        manifest::build(&home_manifest, &root);
        let engine = home.engine().await.reading_as_of(today);
        let report = nook_tests::index(&engine, &root).await;
        assert_eq!(report.failed, 0, "{report:?}");
        let settings = Settings { folders: vec![root.clone()], ..Settings::default() };

        let mut tally = Tally::default();
        let mut rows = Vec::new();
        let mut verb_errors = [0usize; 2];
        for item in set["requests"].as_array().unwrap() {
            let request = item["request"].as_str().unwrap();
            let mut row = json!({ "id": item["id"], "request": request, "expect": item["expect"] });
            let wanted = item["route"].as_str().unwrap();
            let routed = engine.route(request);
            let routed_as = serde_json::to_value(routed.route).unwrap();
            tally.count(&format!("route {wanted}"), routed_as == wanted);
            row["route"] = json!({ "right": routed_as == wanted, "got": routed_as, "why": routed.why });
            match wanted {
                "find" => {
                    let expected: BTreeSet<String> =
                        item["expect"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
                    for (mode, model) in [("rules", false), ("model", true)] {
                        let got = found(&engine, &root, request, model).await;
                        let right = got.as_ref().is_ok_and(|f| exactly(&f.paths, &expected));
                        tally.count(&format!("{mode} find"), right);
                        let shown = expected.len() + 2;
                        let how = got.as_ref().map(|f| f.how.iter().take(shown).cloned().collect::<Vec<_>>()).unwrap_or_default();
                        let plan = got.as_ref().map(|f| f.plan.clone()).unwrap_or_default();
                        let got = got.map(|f| f.paths.into_iter().take(shown).collect::<Vec<_>>());
                        row[mode] = json!({ "right": right, "found": format!("{got:?}"), "closeness_and_name": how, "plan": plan });
                    }
                }
                "act" => {
                    let want = expected_actions(&item["expect"]);
                    let refuse = item["must_refuse"].as_bool().unwrap_or(false);
                    let group = if refuse { "refused" } else { item["shape"].as_str().unwrap_or("natural") };
                    let asked = item["verb"].as_str().unwrap_or("");
                    for (i, (mode, rules_only)) in [("rules", true), ("model", false)].into_iter().enumerate() {
                        let (got, how) = plan_of(&engine, &settings, &root, request, rules_only).await;
                        let right = got == want;
                        let wrong_verb = got.as_ref().is_some_and(|actions| {
                            !refuse && actions.iter().any(|a| a[0] != asked && a[0] != "create_folder")
                        });
                        verb_errors[i] += usize::from(wrong_verb);
                        tally.count(&format!("{mode} act {group}"), right);
                        row[mode] = json!({ "right": right, "plan": got, "read_by_or_error": how, "wrong_verb": wrong_verb });
                    }
                }
                _ => {}
            }
            rows.push(row);
        }

        let figures = json!({ "set": name, "today": today.to_string(), "tally": tally.json(),
                               "verb_errors": { "rules": verb_errors[0], "model": verb_errors[1] } });
        println!("{}", serde_json::to_string_pretty(&figures).unwrap());
        for row in &rows {
            if row["route"]["right"] == false {
                println!("{name} route wrong #{}: {} → {} ({})", row["id"], row["request"], row["route"]["got"], row["route"]["why"]);
            }
            for mode in ["rules", "model"] {
                if row[mode]["right"] == false {
                    let got = if row[mode]["found"].is_null() { &row[mode]["plan"] } else { &row[mode]["found"] };
                    println!("{name} {mode:>5} wrong #{}: {} → {got} (want {})", row["id"], row["request"], row["expect"]);
                }
            }
        }
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo().join("target"));
        let out = target.join("test-artifacts/eval");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(format!("requests-{name}.json")), serde_json::to_string_pretty(&json!({ "figures": figures, "requests": rows })).unwrap())
            .unwrap();
    }
}
