"""llama.cpp's answers for the tiny models on real vocabularies
(scripts/random_models.py, built by the test set-up): for each, the test
`tests/it/models.rs` adds the model with `nook models add`, asks a question
with `nook ask --json --explain`, and compares the token ids Nook wrote with
llama.cpp's greedy choices after the very prompt Nook read.

This script makes those fixtures: it runs the same steps with the `nook`
binary given, takes the prompt's token ids from its `--explain` output, and
lets llama.cpp (f32 KV cache, no flash attention) pick 32 tokens greedily
under Nook's answer sampling (repeat penalty 1.1 over the last 64 tokens,
prompt included, as llama.cpp's penalties sampler does it). When Nook's
prompt changes, run it again (bash scripts/oracle/llamacpp.sh).

Usage: python family_models.py NOOK_BINARY FAMILIES_DIR FIXTURES_DIR
  writes FIXTURES_DIR/family-NAME.json
"""

import json
import os
import subprocess
import sys
import tempfile

import llama_cpp
import numpy as np
from llama_cpp import Llama

import fixtures

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from random_models import FAMILIES  # noqa: E402

STEPS = 32
PENALTY, PENALTY_LAST_N = 1.1, 64
NOTE = """Harbour tram notes

The harbour tram leaves from the stop by the old customs house.
On weekdays it runs every twelve minutes; on Sundays it runs every half hour.
A single ticket is bought from the machine at the stop, not on board.
"""
QUESTION = "How often does the harbour tram run on Sundays?"


def nook(binary, home, *args):
    done = subprocess.run([binary, *args], env=dict(os.environ, NOOK_HOME=home), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"nook {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def nook_prompt(binary, model_path, name):
    """The token ids Nook's chat model reads for QUESTION over NOTE."""
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as docs:
        # The model sees a file by its folder and name: a folder of a fixed
        # name keeps the prompt the same from run to run.
        os.mkdir(os.path.join(docs, "harbour"))
        with open(os.path.join(docs, "harbour", "tram.txt"), "w") as f:
            f.write(NOTE)
        nook(binary, home, "index", docs)
        nook(binary, home, "models", "add", model_path)
        nook(binary, home, "models", "use", name)
        answer = json.loads(nook(binary, home, "ask", QUESTION, "--json", "--explain"))
        return answer["generation"]["prompt_ids"]


def greedy(model_path, prompt):
    llm = Llama(model_path=model_path, n_ctx=2048, n_batch=512, n_threads=2, seed=0, flash_attn=False,
                type_k=0, type_v=0, logits_all=True, verbose=False)
    llm.reset()
    llm.eval(prompt)
    history = list(prompt)
    out, gaps = [], []
    for _ in range(STEPS):
        logits = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        for token in set(history[-PENALTY_LAST_N:]):
            logits[token] = logits[token] / PENALTY if logits[token] > 0 else logits[token] * PENALTY
        top2 = np.argsort(logits)[-2:][::-1]
        out.append(int(top2[0]))
        gaps.append(round(float(logits[top2[0]] - logits[top2[1]]), 5))
        history.append(int(top2[0]))
        llm.eval([int(top2[0])])
    return out, gaps


def main(binary, families_dir, out_dir):
    fixtures.without_extra_buffers()
    for name, (arch, vocab, _, _, expected) in FAMILIES.items():
        path = os.path.join(families_dir, name + ".gguf")
        if fixtures.sha256(path) != expected:
            sys.exit(f"{path} is not the file random_models.py builds; run bash scripts/setup.sh --test-models")
        prompt = nook_prompt(binary, path, name)
        tokens, gaps = greedy(path, prompt)
        head = {"oracle": f"llama-cpp-python {llama_cpp.__version__}", "model": name, "model_sha256": expected,
                "settings": "n_threads=2, f32 KV cache, no flash attention, greedy after repeat penalty 1.1 over 64",
                "note": NOTE, "question": QUESTION}
        case = {"architecture": arch, "vocabulary": vocab, "prompt_ids": prompt, "greedy": tokens, "top2_gaps": gaps}
        fixtures.write(os.path.join(out_dir, f"family-{name}.json"), head, [case])
        print(f"[oracle] {name}: {len(prompt)} prompt tokens, smallest top-2 gap {min(gaps)}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
