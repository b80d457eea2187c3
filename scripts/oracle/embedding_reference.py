"""Reference embeddings from sentence-transformers, the oracle for Nook's embedder.

Writes tests/fixtures/embedding_reference.json: fixed sentences and the vectors
sentence-transformers (PyTorch, CPU) computes for them with the same model
folder Nook loads. Nook's test embeds the same sentences and requires a cosine
of at least 0.999 with each reference vector.

Usage: python embedding_reference.py MODEL_DIR OUT_JSON
"""

import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from sentence_transformers import SentenceTransformer  # noqa: E402

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "How often should I feed my sourdough starter?",
    "Quarterly report: revenue grew 12% while costs stayed flat.",
    "fn main() { println!(\"Hello, world!\"); }",
    "def quicksort(xs): return xs if len(xs) < 2 else partition(xs)",
    "Kyoto itinerary: Fushimi Inari at dawn, then the Arashiyama bamboo grove.",
    "The patient was prescribed 500 mg of amoxicillin twice daily.",
    "Café, naïve, résumé and façade keep their accents in French.",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "東京は日本の首都です。",
    "Привет, как дела?",
    "SELECT name, email FROM customers WHERE loyalty_points > 100;",
    "   leading and trailing spaces   ",
    "UPPER CASE TEXT SHOULD EMBED LIKE LOWER CASE TEXT",
    "a",
    "",
    "Invoice #4471 from ACME Corporation, due within 30 days: $12,400.00",
    "<p>Fish &amp; chips</p> rendered as text",
    "Emoji are tokens too 🎉🚀 and so is punctuation!!!",
    "Meeting notes 2024-03-15: launch moved to October; hire two backend engineers.",
    "The mitochondria is the powerhouse of the cell.",
    "Tabs\tand\nnewlines\n\nin the middle of a sentence.",
    # Longer than the model's 256-token window: both sides must truncate alike.
    " ".join(f"word{i} is followed by another word" for i in range(120)),
    "Home insurance renewal: flood coverage added, deductible raised to $1,000.",
]


def main() -> None:
    model_dir, out_path = sys.argv[1], sys.argv[2]
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    fixture = {
        "model": "all-MiniLM-L6-v2",
        "generator": "scripts/oracle/embedding_reference.py (sentence-transformers, CPU)",
        "max_seq_length": model.max_seq_length,
        "cases": [
            {"text": text, "vector": [round(float(x), 7) for x in vector]}
            for text, vector in zip(SENTENCES, vectors)
        ],
    }
    # One case per line keeps the fixture readable and its diffs small.
    header = {k: v for k, v in fixture.items() if k != "cases"}
    lines = [json.dumps(case, ensure_ascii=False) for case in fixture["cases"]]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False)[:-1])
        f.write(', "cases": [\n' + ",\n".join(lines) + "\n]}\n")


if __name__ == "__main__":
    main()
