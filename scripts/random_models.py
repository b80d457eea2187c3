"""Tiny models with seeded random weights, for tests: each architecture Nook
runs, with the metadata llama.cpp reads for it.

Two kinds:
- on a 259-token byte-level vocabulary (`write_model(..., vocabulary=None)`),
  for the oracle of each architecture's arithmetic
  (scripts/oracle/tiny_models.py; the files are committed);
- on the real vocabularies of the families people bring (Llama 3's, Qwen's,
  Phi-3's, Mistral's SentencePiece one), copied from llama.cpp's tokenizer
  test vocabularies, which the test set-up extracts from llama-cpp-python's
  sdist: `python random_models.py VOCABS_DIR OUT_DIR` builds them there (run
  by `scripts/setup.sh --test-models`), each checked against the sha256 in
  `FAMILIES`, so the tests and llama.cpp's fixtures see the same bytes.

Each model has 2 layers (a context of 256, or 4096 for the families), 64-wide embeddings, 4 query and 2 KV heads, Q8_0
matrices and F32 norms. Needs numpy, pyyaml and gguf (the set-up installs the
hash-pinned wheels of scripts/random_models.txt in a venv).
"""

import hashlib
import os
import sys

import gguf
import numpy as np
from gguf import GGMLQuantizationType, GGUFReader, GGUFValueType, GGUFWriter
from gguf.quants import quantize

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    embd: int
    heads: int
    kv_heads: int
    head_dim: int
    ff: int
    layers: int
    rope_base: float = 50000.0
    eps: float = 1e-5
    # Whether the output matrix is the token embeddings (no output.weight).
    tied: bool = False


TINY = Shape(embd=64, heads=4, kv_heads=2, head_dim=16, ff=128, layers=2)
TINY_GEMMA3 = Shape(embd=64, heads=4, kv_heads=1, head_dim=16, ff=128, layers=6, rope_base=1e6, eps=1e-6)
# Gemma 3's window of local attention, in tokens: shorter than the test's
# grounded prompt.
GEMMA3_WINDOW = 64
# The shapes of the models people download most, for the speed benchmark
# (scripts/bench/shaped_models.py): random weights, real sizes.
QWEN2_5_0_5B = Shape(embd=896, heads=14, kv_heads=2, head_dim=64, ff=4864, layers=24, rope_base=1e6, eps=1e-6, tied=True)
LLAMA_3_2_1B = Shape(embd=2048, heads=32, kv_heads=8, head_dim=64, ff=8192, layers=16, rope_base=5e5, tied=True)

# The families whose real vocabulary a tiny model gets: file name ->
# (architecture, llama.cpp test vocabulary, what it stands for, tokens added
# to the vocabulary, sha256 of the file written).
FAMILIES = {
    "tiny-llama3": ("llama", "llama-bpe", "Llama 3.x (llama-bpe, rope frequency factors)", {},
                    "d077b206aa59450557366e1e5a2ed19c2402413c7c6048271aacfcae0f8c8b7e"),
    "tiny-mistral": ("llama", "llama-spm", "Mistral and Llama 2 (SentencePiece)", {},
                    "7c2592e2ea3ce3cdf2c47b9f99c77343c70d90936d37aae9806bf75f35c2c719"),
    "tiny-qwen2": ("qwen2", "qwen2", "Qwen2 and Qwen2.5", {},
                    "ec66fc37370c879fed1739a4094819293c15481512c2f10bb90b14c7c81b4811"),
    # Qwen3's vocabulary is Qwen2's with its added tokens, among them the
    # thinking tags (text, not control tokens, as in Qwen3's own files).
    "tiny-qwen3": ("qwen3", "qwen2", "Qwen3 (with <think> tags)", {151667: "<think>", 151668: "</think>"},
                    "4bdb0f02e8494d948e15bcb3d1c48906a6f222394cd19f29950ce33bf12a66eb"),
    "tiny-phi3": ("phi3", "phi-3", "Phi-3 and Phi-3.5", {},
                    "4990f80cd53172648cf238f6fd008736feda7c4bf4c2d644899846f70be43843"),
    # llama.cpp ships no Gemma test vocabulary: Gemma 3's own comes from the
    # test model (a path under the test-models folder). Six layers, so the
    # sixth attends globally and the others through a window the prompt
    # outgrows.
    "tiny-gemma3": ("gemma3", "gemma-3-270m/gemma-3-270m-q4_k_m.gguf", "Gemma 3 (sliding-window attention)", {},
                    "b5e5e14759b5148c52887668d467e2bc8ed4b3cae399ef12c0b568149534eb50"),
}
FAMILY_SEED = 2000
# Room for a grounded prompt and an answer (a thinking model's too), as
# `nook ask` asks.
FAMILY_CONTEXT = 4096


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


def byte_vocabulary(writer):
    """The 259-token byte-level vocabulary; returns its size."""
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


def copied_vocabulary(path, added):
    """A vocabulary file's `tokenizer.*` keys, as (key, value, type, sub
    type), with `added` tokens (id -> text, user-defined) put in place."""
    reader = GGUFReader(path)
    keys = []
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        value = field.contents()
        sub_type = field.types[-1] if field.types[0] == GGUFValueType.ARRAY else None
        if key == "tokenizer.ggml.tokens":
            for i, text in added.items():
                value[i] = text
        if key == "tokenizer.ggml.token_type":
            for i in added:
                value[i] = gguf.TokenType.USER_DEFINED
        keys.append((key, value, field.types[0], sub_type))
    return keys


def write_model(path, arch, seed, vocabulary=None, rope_freqs=False, longrope=False, context=256, shape=TINY, f16=False,
                rows=None):
    """A model of `arch` and `shape` (tiny unless told); `vocabulary` is a
    list of copied tokenizer keys (see `copied_vocabulary`), else the
    byte-level one. Matrices are Q8_0, or F16 with `f16` (for llama.cpp's
    quantizer to make the types people download). `rows` gives the
    embeddings another number of rows than the vocabulary has tokens (a
    damaged file, for the tests of bad input)."""
    rng = np.random.default_rng(1000 + seed)
    writer = GGUFWriter(path, arch)
    # (No architecture in the name: llama.cpp changes special-token rules
    # for names with "phi3" in them.)
    writer.add_name("tiny random test model")
    if vocabulary is None:
        vocab = byte_vocabulary(writer)
    else:
        for key, value, vtype, sub_type in vocabulary:
            writer.add_key_value(key, value, vtype, sub_type)
        vocab = next(len(v) for k, v, _, _ in vocabulary if k == "tokenizer.ggml.tokens")
    vocab = rows or vocab
    writer.add_context_length(context)
    writer.add_embedding_length(shape.embd)
    writer.add_feed_forward_length(shape.ff)
    writer.add_block_count(shape.layers)
    writer.add_head_count(shape.heads)
    writer.add_head_count_kv(shape.kv_heads)
    writer.add_layer_norm_rms_eps(shape.eps)
    writer.add_rope_freq_base(shape.rope_base)
    writer.add_rope_dimension_count(shape.head_dim)
    if arch in ("qwen3", "gemma3"):
        writer.add_key_length(shape.head_dim)
        writer.add_value_length(shape.head_dim)
    if arch == "gemma3":
        writer.add_sliding_window(GEMMA3_WINDOW)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if f16 else gguf.LlamaFileType.MOSTLY_Q8_0)

    def matrix(name, rows, cols, scale=2.0):
        values = (rng.standard_normal((rows, cols), dtype=np.float32) if f16 else rng.standard_normal((rows, cols)))
        values = (values * scale / np.sqrt(cols)).astype(np.float32)
        if f16:
            writer.add_tensor(name, values.astype(np.float16))
        else:
            writer.add_tensor(name, quantize(values, GGMLQuantizationType.Q8_0), raw_dtype=GGMLQuantizationType.Q8_0)

    def vector(name, n, around=1.0, spread=0.1):
        writer.add_tensor(name, (around + rng.standard_normal(n) * spread).astype(np.float32))

    # Untied output: with tied embeddings two random layers mostly repeat
    # the last token.
    matrix("token_embd.weight", vocab, shape.embd, scale=1.0)
    vector("output_norm.weight", shape.embd)
    if not shape.tied:
        matrix("output.weight", vocab, shape.embd, scale=1.0)
    if rope_freqs:
        # Slower rotation for the low frequencies, as Llama 3.1's factors do.
        writer.add_tensor("rope_freqs.weight", np.array([1, 1, 1, 1, 2, 4, 8, 16], dtype=np.float32))
    if longrope:
        writer.add_rope_scaling_type(gguf.RopeScalingType.LONGROPE)
        writer.add_rope_scaling_attn_factors(1.19)
        writer.add_rope_scaling_orig_ctx_len(128)
        writer.add_tensor("rope_factors_short.weight", np.array([1, 1, 1.5, 2, 3, 4, 6, 9], dtype=np.float32))
        writer.add_tensor("rope_factors_long.weight", np.array([1, 2, 4, 8, 16, 32, 48, 64], dtype=np.float32))
    q, kv = shape.heads * shape.head_dim, shape.kv_heads * shape.head_dim
    EMBD, FF, HEAD_DIM = shape.embd, shape.ff, shape.head_dim
    for i in range(shape.layers):
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
        if arch in ("qwen3", "gemma3"):
            vector(b + "attn_q_norm.weight", HEAD_DIM)
            vector(b + "attn_k_norm.weight", HEAD_DIM)
        if arch == "gemma3":
            vector(b + "post_attention_norm.weight", EMBD)
            vector(b + "post_ffw_norm.weight", EMBD)
        matrix(b + "attn_output.weight", EMBD, q)
        matrix(b + "ffn_down.weight", EMBD, FF)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def vocabulary_file(vocabs, vocab):
    """The file a family's vocabulary is copied from: one of llama.cpp's test
    vocabularies in `vocabs` by name, or a model under the test-models
    folder (`vocabs`'s parent) by its path there."""
    if "/" in vocab:
        return os.path.join(os.path.dirname(os.path.abspath(vocabs)), vocab)
    return os.path.join(vocabs, f"ggml-vocab-{vocab}.gguf")


def build_families(vocabs, out):
    """The family models in `out`, built when missing or changed."""
    os.makedirs(out, exist_ok=True)
    for seed, (name, (arch, vocab, _, added, expected)) in enumerate(FAMILIES.items()):
        path = os.path.join(out, name + ".gguf")
        if expected and os.path.isfile(path) and sha256(path) == expected:
            continue
        staging = path + ".part"
        vocabulary = copied_vocabulary(vocabulary_file(vocabs, vocab), added)
        shape = TINY_GEMMA3 if arch == "gemma3" else TINY
        write_model(staging, arch, FAMILY_SEED + seed, vocabulary=vocabulary, rope_freqs=name == "tiny-llama3",
                    context=FAMILY_CONTEXT, shape=shape)
        actual = sha256(staging)
        if expected and actual != expected:
            os.remove(staging)
            sys.exit(f"[setup] {name}: built with sha256 {actual}, not {expected} (another numpy or gguf?)")
        os.replace(staging, path)
        print(f"[setup] built {name} ({arch} on the {vocab} vocabulary): {actual}", file=sys.stderr)


def write_bad_models(out):
    """Files that must be refused: a vocabulary of 259 tokens over
    embeddings of 200 rows."""
    write_model(os.path.join(out, "bad-vocabulary-rows.gguf"), "llama", 99, rows=200)


if __name__ == "__main__":
    if sys.argv[1] == "--bad":
        write_bad_models(sys.argv[2])
    else:
        build_families(*sys.argv[1:3])
