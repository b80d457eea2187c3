//! Hybrid search finds the file a person means, asked in their own words.

use nook_engine::{FileKind, SearchFilter, SearchRequest};
use nook_tests::{index, Home};

#[tokio::test(flavor = "multi_thread")]
async fn known_questions_put_the_right_file_in_the_top_three() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    let corpus = nook_corpus::generate(docs.path(), 300, 42).unwrap();
    assert!(corpus.files.len() >= 300 && corpus.queries.len() >= 20);
    let engine = home.engine().await;

    let report = index(&engine, docs.path()).await;
    assert_eq!(report.files_found, corpus.files.len());
    assert_eq!(report.indexed, corpus.files.len());
    assert_eq!((report.skipped, report.failed), (0, 0));

    let mut misses = Vec::new();
    for known in &corpus.queries {
        let expected = docs.path().join(known.expected).canonicalize().unwrap();
        let mut request = SearchRequest::new(known.query);
        request.limit = 3;
        let hits = engine.search(&request).await.unwrap();
        let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
        if !paths.contains(&expected.to_str().unwrap()) {
            misses.push(format!("{:?} → {:?}", known.query, paths));
        }
    }
    let found = corpus.queries.len() - misses.len();
    eprintln!("{found}/{} known queries in the top 3", corpus.queries.len());
    assert!(misses.is_empty(), "not in the top 3:\n{}", misses.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn results_are_one_per_file_with_a_snippet_and_its_lines_and_respect_filters() {
    let home = Home::new();
    let docs = tempfile::tempdir().unwrap();
    nook_corpus::generate(docs.path(), 30, 1).unwrap();
    let root = docs.path().canonicalize().unwrap();
    let engine = home.engine().await;
    index(&engine, &root).await;

    let mut request = SearchRequest::new("brake pads replaced");
    request.limit = 10;
    let hits = engine.search(&request).await.unwrap();
    let mut paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert!(hits[0].path.ends_with("car/civic-maintenance.txt"), "{paths:?}");
    assert!(hits[0].snippet.contains("brake pads replaced"), "{}", hits[0].snippet);
    let car_log = std::fs::read_to_string(&hits[0].path).unwrap();
    let cited: Vec<&str> = car_log.lines().skip(hits[0].line_start as usize - 1).take((hits[0].line_end - hits[0].line_start + 1) as usize).collect();
    assert!(cited.iter().any(|l| l.contains("brake pads replaced")), "lines {}-{}", hits[0].line_start, hits[0].line_end);
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), hits.len(), "one result per file");

    request.filter = SearchFilter { kinds: vec![FileKind::Code], ..SearchFilter::default() };
    let code_only = engine.search(&request).await.unwrap();
    assert!(!code_only.is_empty() && code_only.iter().all(|h| h.kind == Some(FileKind::Code)));

    request.filter = SearchFilter::default().with_folder(&root.join("kitchen").to_string_lossy()).unwrap();
    let kitchen = engine.search(&request).await.unwrap();
    assert!(!kitchen.is_empty() && kitchen.iter().all(|h| h.path.contains("/kitchen/")), "{kitchen:?}");

    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    request.filter = SearchFilter { modified_since_ms: Some(now + 3_600_000), ..SearchFilter::default() };
    assert!(engine.search(&request).await.unwrap().is_empty(), "nothing is modified in the future");
}
