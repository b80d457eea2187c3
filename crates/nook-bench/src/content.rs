//! Content queries on real text: searches typed to find a file by what it
//! says (`tests/eval/content/`), over the crate READMEs of cargo's registry
//! indexed for real. Each query is read as `nook search` reads it (the plan,
//! its filters, then the search) and as typed (`--literal`); the figure is
//! how often a file the writer would accept is among the first 1, 3 and 10.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nook_engine::{Engine, IndexOptions};
use nook_plan::Plan;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::qa::{corpus_folder, BenchHome};

#[derive(Deserialize)]
struct QuerySet {
    queries: Vec<Query>,
}

#[derive(Deserialize)]
struct Query {
    id: u32,
    query: String,
    /// Every file the writer would accept, relative to the corpus folder.
    expect: Vec<String>,
}

pub struct Options {
    pub queries: PathBuf,
    pub corpus: Vec<PathBuf>,
    /// Keep the corpus and index here; a second run reuses the index.
    pub home: Option<PathBuf>,
    /// Write every query's plan, rank and first results here.
    pub out: Option<PathBuf>,
}

/// Counts of queries whose first accepted file is within 1, 3 and 10.
#[derive(Default)]
struct Ranks {
    top1: usize,
    top3: usize,
    top10: usize,
    of: usize,
}

impl Ranks {
    fn count(&mut self, rank: Option<usize>) {
        self.of += 1;
        self.top1 += usize::from(rank.is_some_and(|r| r < 1));
        self.top3 += usize::from(rank.is_some_and(|r| r < 3));
        self.top10 += usize::from(rank.is_some_and(|r| r < 10));
    }

    fn json(&self) -> Value {
        let share = |n: usize| n as f64 / self.of.max(1) as f64;
        json!({ "queries": self.of, "top1": share(self.top1), "top3": share(self.top3), "top10": share(self.top10),
                "top3_count": self.top3 })
    }
}

/// The first results of `plan`, relative to `root`, and what the search
/// made of the plan: how near in meaning each result is, the chips, the notes.
async fn results(engine: &Engine, plan: &Plan, root: &Path) -> Result<(Vec<String>, Value)> {
    let found = engine.find(plan, 10).await?;
    let paths = found.hits.iter().map(|h| Path::new(&h.path).strip_prefix(root).map_or_else(|_| h.path.clone(), |p| p.display().to_string())).collect();
    let closeness: Vec<_> = found.hits.iter().take(3).map(|h| h.closeness).collect();
    Ok((paths, json!({ "closeness": closeness, "chips": found.plan.chips(), "notes": found.notes })))
}

pub async fn run(options: Options) -> Result<Value> {
    let set: QuerySet = serde_json::from_str(&std::fs::read_to_string(&options.queries).with_context(|| format!("reading {}", options.queries.display()))?)
        .with_context(|| format!("parsing {}", options.queries.display()))?;
    let home = BenchHome::new(options.home.as_deref())?;
    let corpus_dir = home.corpus();
    let mut files = 0;
    for list in &options.corpus {
        files += corpus_folder(list, &corpus_dir)?;
    }
    let engine = Engine::open(home.paths()?).await?;
    engine.index(&corpus_dir, &IndexOptions::default(), &mut |_| {}).await?;
    let root = corpus_dir.canonicalize()?;

    let (mut planned, mut literal) = (Ranks::default(), Ranks::default());
    let mut rows = Vec::new();
    for query in &set.queries {
        let rank = |hits: &[String]| hits.iter().position(|h| query.expect.contains(h));
        let plan = engine.plan(&query.query)?;
        let (as_planned, how) = results(&engine, &plan, &root).await?;
        let (as_typed, _) = results(&engine, &Plan::words_only(&query.query), &root).await?;
        planned.count(rank(&as_planned));
        literal.count(rank(&as_typed));
        rows.push(json!({
            "id": query.id, "query": query.query, "expect": query.expect,
            "rank": rank(&as_planned), "literal_rank": rank(&as_typed),
            "words": plan.text, "found": as_planned.iter().take(3).collect::<Vec<_>>(), "how": how,
        }));
    }
    if let Some(out) = &options.out {
        std::fs::write(out, serde_json::to_string_pretty(&rows)?)?;
    }
    Ok(json!({ "files": files, "planned": planned.json(), "literal": literal.json() }))
}
