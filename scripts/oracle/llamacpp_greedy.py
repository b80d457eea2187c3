"""Reference greedy continuations from llama.cpp, the oracle for Nook's runtime.

For each fixed prompt, records the prompt's token ids (llama.cpp's own
tokenization, BOS as the vocabulary asks, special tokens parsed) and the
first 32 tokens llama.cpp picks greedily (argmax of the logits at each step),
with the gap between the best and second-best logit at each step: a gap near
zero is a near tie that another correct implementation may break the other
way. The KV cache is f32 and flash attention off, to match an f32 runtime.

Usage: python llamacpp_greedy.py MODEL.gguf OUT_JSON
"""

import sys

import llama_cpp
import numpy as np
from llama_cpp import Llama

import fixtures

STEPS = 32

PROMPTS = [
    "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nYou answer from the user's files.<|im_end|>\n<|im_start|>user\nSources:\n[1] notes/sourdough.md: Feed the starter equal weights of flour and water every twelve hours.\n\nQuestion: How often should I feed my starter?<|im_end|>\n<|im_start|>assistant\n",
    "The quick brown fox",
    "def fibonacci(n):\n",
    "Once upon a time, in a small village by the sea,",
    # Longer than gemma-3's 512-token sliding window: its local layers must
    # stop seeing the beginning.
    "Notes from the weekly meetings.\n"
    + "".join(f"Week {i}: the team reviewed the budget, the hiring plan and the office move; "
              f"action items went to Ana, Ben and Chloé, due in {i % 4 + 1} weeks.\n" for i in range(1, 21))
    + "Summary of the twenty weeks above:",
]



def main(model, out_path):
    llm = Llama(model_path=model, n_ctx=1024, n_batch=512, n_threads=2, seed=0, flash_attn=False,
                type_k=0, type_v=0, logits_all=True, verbose=False)
    cases = []
    for prompt in PROMPTS:
        ids = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
        llm.reset()
        llm.eval(ids)
        out, gaps = [], []
        for _ in range(STEPS):
            logits = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
            top2 = np.argsort(logits)[-2:][::-1]
            best = int(np.argmax(logits))
            out.append(best)
            gaps.append(round(float(logits[top2[0]] - logits[top2[1]]), 5))
            llm.eval([best])
        cases.append({"prompt": prompt, "prompt_ids": ids, "greedy": out, "top2_gaps": gaps})
    head = {"oracle": f"llama-cpp-python {llama_cpp.__version__}", "model_sha256": fixtures.sha256(model),
            "settings": "n_threads=2, f32 KV cache, no flash attention, greedy"}
    fixtures.write(out_path, head, cases)


if __name__ == "__main__":
    main(*sys.argv[1:3])
