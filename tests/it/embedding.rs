//! The embedder agrees with sentence-transformers, the reference
//! implementation of all-MiniLM-L6-v2 (fixture made by
//! scripts/oracle/embedding_reference.py).

use nook_embed::Embedder;
use nook_tests::Home;
use serde_json::Value;

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

fn embedder() -> Embedder {
    let dir = nook_engine::models::embedding_model_dir(&Home::new().paths).expect("model installed");
    Embedder::load(&dir).expect("model loads")
}

#[test]
fn vectors_match_sentence_transformers_for_every_reference_sentence() {
    let fixture: Value = serde_json::from_str(include_str!("../fixtures/embedding_reference.json")).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let texts: Vec<&str> = cases.iter().map(|c| c["text"].as_str().unwrap()).collect();
    let expected: Vec<Vec<f32>> = cases
        .iter()
        .map(|c| c["vector"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect())
        .collect();

    let embedder = embedder();
    assert_eq!(embedder.dimension(), 384);
    let actual = embedder.embed(&texts).unwrap();
    let mut worst = (1.0f32, "");
    for ((text, a), e) in texts.iter().zip(&actual).zip(&expected) {
        assert_eq!(a.len(), 384);
        let c = cosine(a, e);
        if c < worst.0 {
            worst = (c, text);
        }
    }
    assert!(worst.0 >= 0.999, "cosine {} for {:?}", worst.0, worst.1);
}

#[test]
fn a_text_embeds_the_same_alone_or_in_a_padded_batch() {
    let embedder = embedder();
    let texts = ["short", "a much longer sentence that forces the short one to be padded in its batch"];
    let together = embedder.embed(&texts).unwrap();
    for (text, batched) in texts.iter().zip(&together) {
        let alone = &embedder.embed(&[*text]).unwrap()[0];
        assert!(cosine(alone, batched) > 0.99999, "{text}");
        let norm: f32 = alone.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4);
    }
}

#[test]
fn token_spans_cover_the_text_without_special_tokens_or_truncation() {
    let embedder = embedder();
    let text = "Hello, Nook! ".repeat(200);
    let spans = embedder.token_spans(&text).unwrap();
    assert!(spans.len() > embedder.max_tokens(), "no truncation: {} tokens", spans.len());
    assert_eq!(&text[spans[0].clone()], "Hello");
    assert_eq!(&text[spans[1].clone()], ",");
    assert_eq!(spans.last().unwrap().end, text.trim_end().len());
}

#[test]
fn a_span_read_in_its_passage_means_what_it_says_alone() {
    let embedder = embedder();
    let sentences = [
        "The driver listens on port 4444 by default.",
        "Sourdough bread needs a starter fed with flour and water.",
        "Install the tool with cargo install and the cli feature.",
    ];
    let passage = sentences.join(" ");
    let mut spans = Vec::new();
    let mut at = 0;
    for s in sentences {
        spans.push(at..at + s.len());
        at += s.len() + 1;
    }
    // A second passage longer than the model's window: its span past the
    // window is read on its own.
    let long = format!("{} {}", "filler words here. ".repeat(200), sentences[1]);
    let tail = long.len() - sentences[1].len()..long.len();
    let got = embedder.embed_spans(&[passage.as_str(), long.as_str()], &[spans, vec![tail]]).unwrap();
    let alone = embedder.embed(&sentences).unwrap();
    for (i, in_passage) in got[0].iter().enumerate() {
        let own = cosine(in_passage, &alone[i]);
        assert!(own > 0.6, "{:?}: {own}", sentences[i]);
        for (j, other) in alone.iter().enumerate().filter(|(j, _)| *j != i) {
            assert!(own > cosine(in_passage, other), "{:?} is closer to {:?}", sentences[i], sentences[j]);
        }
    }
    assert!(cosine(&got[1][0], &alone[1]) > 0.99999, "past the window: read alone");
}
