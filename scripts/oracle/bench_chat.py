"""llama.cpp's chat speed on the same GGUF, prompt and thread count as
`nook-bench chat`: time to first token for the prompt, prompt tokens per
second, greedy generation tokens per second, peak memory.

Usage: python bench_chat.py MODEL.gguf PROMPT_IDS_JSON THREADS GENERATE [default|parity]
  parity:  f32 KV cache, no flash attention (what Nook computes)
  default: llama.cpp's own defaults (f16 KV cache, flash attention auto)
"""

import json
import resource
import sys
import time

import llama_cpp
import numpy as np
from llama_cpp import Llama


def last_logits(llm):
    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),))


def main(model, ids_path, threads, generate, settings="parity"):
    threads, generate = int(threads), int(generate)
    ids = json.load(open(ids_path))
    options = dict(type_k=0, type_v=0, flash_attn=False) if settings == "parity" else {}
    started = time.perf_counter()
    llm = Llama(model_path=model, n_ctx=2048, n_batch=512, n_threads=threads, n_threads_batch=threads,
                seed=0, verbose=False, **options)
    load_ms = (time.perf_counter() - started) * 1e3
    llm.eval(ids[:8])  # warm-up, as Nook's bench does
    llm.reset()
    started = time.perf_counter()
    llm.eval(ids)
    token = int(np.argmax(last_logits(llm)))
    prompt_secs = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(generate):
        llm.eval([token])
        token = int(np.argmax(last_logits(llm)))
    generate_secs = time.perf_counter() - started
    print(json.dumps({
        "bench": "chat",
        "implementation": f"llama.cpp (llama-cpp-python {llama_cpp.__version__}, {settings} settings)",
        "threads": threads,
        "load_ms": load_ms,
        "prompt_tokens": len(ids),
        "time_to_first_token_ms": prompt_secs * 1e3,
        "prompt_tokens_per_second": len(ids) / prompt_secs,
        "generated_tokens": generate,
        "generation_tokens_per_second": generate / generate_secs,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
    }, indent=2))


if __name__ == "__main__":
    main(*sys.argv[1:6])
