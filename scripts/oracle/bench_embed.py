"""Embedding throughput of sentence-transformers (PyTorch, CPU), the reference
Nook's embedder is measured against. Embeds the same texts `nook-bench embed
--texts-out` wrote, with the same thread count and batch size.

Usage: python bench_embed.py MODEL_DIR TEXTS_JSON THREADS
"""

import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def main() -> None:
    model_dir, texts_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(threads)
    with open(texts_path, encoding="utf-8") as f:
        texts = json.load(f)
    model = SentenceTransformer(model_dir, device="cpu")
    model.encode(texts[:64], batch_size=32)  # warm-up
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True)
    seconds = time.perf_counter() - started
    assert len(vectors) == len(texts)
    print(json.dumps({
        "bench": "embed",
        "implementation": f"sentence-transformers {__import__('sentence_transformers').__version__}, torch {torch.__version__} (CPU)",
        "texts": len(texts),
        "threads": threads,
        "seconds": seconds,
        "chunks_per_second": len(texts) / seconds,
    }, indent=2))


if __name__ == "__main__":
    main()
