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

import gguf
import llama_cpp
import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter
from gguf.quants import quantize
from llama_cpp import Llama

import fixtures

EMBD, HEADS, KV_HEADS, HEAD_DIM, FF, LAYERS = 64, 4, 2, 16, 128, 2
PROMPT = [256, 72, 101, 108, 108, 111, 44, 258, 119, 111, 114, 108, 100, 33]
STEPS = 32


def byte_tokens():
    """GPT-2's byte-to-character table: the 256 byte tokens in byte order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, n = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + n)
            n += 1
    return [chars[b] for b in range(256)]


def tokenizer(writer):
    tokens = byte_tokens() + ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    # Token 256 is <|endoftext|>; merges are not needed by the test (it
    # feeds ids), but llama.cpp wants the key.
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("smollm")
    writer.add_token_list(tokens)
    writer.add_token_types([1] * 256 + [3, 3, 3])
    writer.add_token_merges(["Ġ t"])
    writer.add_bos_token_id(256)
    writer.add_eos_token_id(256)
    writer.add_add_bos_token(False)
    return len(tokens)


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


def write_model(path, arch, seed, rope_freqs=False, longrope=False):
    rng = np.random.default_rng(1000 + seed)
    writer = GGUFWriter(path, arch)
    # (No architecture in the name: llama.cpp changes special-token rules
    # for names with "phi3" in them.)
    writer.add_name("tiny random test model")
    vocab = tokenizer(writer)
    writer.add_context_length(256)
    writer.add_embedding_length(EMBD)
    writer.add_feed_forward_length(FF)
    writer.add_block_count(LAYERS)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(50000.0)
    writer.add_rope_dimension_count(HEAD_DIM)
    if arch == "qwen3":
        writer.add_key_length(HEAD_DIM)
        writer.add_value_length(HEAD_DIM)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q8_0)

    def matrix(name, rows, cols, scale=2.0):
        values = (rng.standard_normal((rows, cols)) * scale / np.sqrt(cols)).astype(np.float32)
        writer.add_tensor(name, quantize(values, GGMLQuantizationType.Q8_0), raw_dtype=GGMLQuantizationType.Q8_0)

    def vector(name, n, around=1.0, spread=0.1):
        writer.add_tensor(name, (around + rng.standard_normal(n) * spread).astype(np.float32))

    # Untied output: with tied embeddings two random layers mostly repeat
    # the last token.
    matrix("token_embd.weight", vocab, EMBD, scale=1.0)
    vector("output_norm.weight", EMBD)
    matrix("output.weight", vocab, EMBD, scale=1.0)
    if rope_freqs:
        # Slower rotation for the low frequencies, as Llama 3.1's factors do.
        writer.add_tensor("rope_freqs.weight", np.array([1, 1, 1, 1, 2, 4, 8, 16], dtype=np.float32))
    if longrope:
        writer.add_rope_scaling_type(gguf.RopeScalingType.LONGROPE)
        writer.add_rope_scaling_attn_factors(1.19)
        writer.add_rope_scaling_orig_ctx_len(128)
        writer.add_tensor("rope_factors_short.weight", np.array([1, 1, 1.5, 2, 3, 4, 6, 9], dtype=np.float32))
        writer.add_tensor("rope_factors_long.weight", np.array([1, 2, 4, 8, 16, 32, 48, 64], dtype=np.float32))
    q, kv = HEADS * HEAD_DIM, KV_HEADS * HEAD_DIM
    for i in range(LAYERS):
        b = f"blk.{i}."
        vector(b + "attn_norm.weight", EMBD)
        vector(b + "ffn_norm.weight", EMBD)
        if arch == "phi3":
            matrix(b + "attn_qkv.weight", q + 2 * kv, EMBD)
            matrix(b + "ffn_up.weight", 2 * FF, EMBD)
        else:
            matrix(b + "attn_q.weight", q, EMBD)
            matrix(b + "attn_k.weight", kv, EMBD)
            matrix(b + "attn_v.weight", kv, EMBD)
            matrix(b + "ffn_gate.weight", FF, EMBD)
            matrix(b + "ffn_up.weight", FF, EMBD)
        if arch == "qwen2":
            vector(b + "attn_q.bias", q, around=0.0, spread=0.5)
            vector(b + "attn_k.bias", kv, around=0.0, spread=0.5)
            vector(b + "attn_v.bias", kv, around=0.0, spread=0.5)
        if arch == "qwen3":
            vector(b + "attn_q_norm.weight", HEAD_DIM)
            vector(b + "attn_k_norm.weight", HEAD_DIM)
        matrix(b + "attn_output.weight", EMBD, q)
        matrix(b + "ffn_down.weight", EMBD, FF)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


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
