"""Tiny random models of each architecture Nook runs, and llama.cpp's
answers on them: the oracle for architectures whose real models are too big
to fetch for tests (qwen2, qwen3, phi3; llama as a control).

Each model has 2 layers, 64-wide embeddings, 4 query and 2 KV heads, a
259-token byte-level BPE vocabulary, seeded random Q8_0 weights and F32
norms, and the metadata llama.cpp reads for its architecture. For each,
llama.cpp (f32 KV cache, no flash attention) gives the logits after a fixed
prompt and 32 greedy tokens.

Usage: python tiny_models.py MODELS_DIR FIXTURES_DIR
  writes MODELS_DIR/tiny-ARCH.gguf and FIXTURES_DIR/tiny-ARCH.json
"""

import json
import os
import sys

import llama_cpp
import numpy as np
from llama_cpp import Llama

import fixtures

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from random_models import write_model  # noqa: E402

PROMPT = [256, 72, 101, 108, 108, 111, 44, 258, 119, 111, 114, 108, 100, 33]
STEPS = 32


def main(models_dir, fixtures_dir):
    os.makedirs(models_dir, exist_ok=True)
    # (name, architecture): llama3 is llama with Llama 3.1's rope frequency
    # factors (`rope_freqs.weight`).
    # phi3-longrope is Phi-3.5's LongRoPE: short and long factors, an
    # attention factor, and a trained context (128) shorter than the one
    # llama.cpp and Nook run (256), so the long factors apply.
    variants = [("llama", "llama"), ("qwen2", "qwen2"), ("qwen3", "qwen3"), ("phi3", "phi3"), ("llama3", "llama"),
                ("phi3-longrope", "phi3")]
    for seed, (name, arch) in enumerate(variants):
        path = os.path.join(models_dir, f"tiny-{name}.gguf")
        write_model(path, arch, seed, rope_freqs=name == "llama3", longrope=name == "phi3-longrope")
        answer(path, arch, os.path.join(fixtures_dir, f"tiny-{name}.json"))


def answer(path, arch, out_path):
    llm = Llama(model_path=path, n_ctx=256, n_batch=256, n_threads=2, seed=0, flash_attn=False,
                type_k=0, type_v=0, logits_all=True, verbose=False)
    llm.reset()
    llm.eval(PROMPT)
    first = [round(float(v), 6) for v in llm.scores[llm.n_tokens - 1]]
    out, gaps = [], []
    for _ in range(STEPS):
        logits = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        top2 = np.argsort(logits)[-2:][::-1]
        out.append(int(top2[0]))
        gaps.append(round(float(logits[top2[0]] - logits[top2[1]]), 5))
        llm.eval([int(top2[0])])
    head = {"oracle": f"llama-cpp-python {llama_cpp.__version__}", "model": os.path.basename(path),
            "model_sha256": fixtures.sha256(path), "settings": "n_threads=2, f32 KV cache, no flash attention, greedy"}
    case = {"architecture": arch, "prompt_ids": PROMPT, "first_logits": first, "greedy": out, "top2_gaps": gaps}
    fixtures.write(out_path, head, [case])


if __name__ == "__main__":
    main(*sys.argv[1:3])
