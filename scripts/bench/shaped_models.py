"""Models of the shapes people download, with random weights, quantized by
llama.cpp itself: the chat speed benchmark's subjects for the quantization
types of issue 18 (Q4_K_M, Q5_K_M, Q8_0, Q4_0), so Nook and llama.cpp are
compared on the same files without fetching multi-gigabyte models.

Each shape (Qwen2.5-0.5B-Instruct's, Llama-3.2-1B-Instruct's: layers,
widths, heads, vocabulary — the real one, from llama.cpp's tokenizer test
vocabularies) is written once as F16 (scripts/random_models.py), then
llama.cpp's quantizer makes each type from it; the F16 file is removed.
Speed does not depend on what the weights are, only on their shapes and
types.

Usage (in the llama.cpp oracle venv, scripts/oracle/llamacpp.sh --venv-only):
  python shaped_models.py VOCABS_DIR OUT_DIR
  writes OUT_DIR/{qwen2.5-0.5b,llama-3.2-1b}-shape-TYPE.gguf
"""

import os
import sys

import llama_cpp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from random_models import LLAMA_3_2_1B, QWEN2_5_0_5B, copied_vocabulary, write_model  # noqa: E402

TYPES = {
    "Q4_K_M": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M,
    "Q5_K_M": llama_cpp.LLAMA_FTYPE_MOSTLY_Q5_K_M,
    "Q8_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0,
    "Q4_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0,
}
# name: (architecture, shape, vocabulary, types made)
SHAPES = {
    "qwen2.5-0.5b": ("qwen2", QWEN2_5_0_5B, "qwen2", ["Q4_K_M", "Q5_K_M", "Q8_0", "Q4_0"]),
    "llama-3.2-1b": ("llama", LLAMA_3_2_1B, "llama-bpe", ["Q4_K_M", "Q8_0"]),
}


def main(vocabs, out):
    os.makedirs(out, exist_ok=True)
    for seed, (name, (arch, shape, vocab, types)) in enumerate(SHAPES.items()):
        wanted = {t: os.path.join(out, f"{name}-shape-{t}.gguf") for t in types}
        if all(os.path.isfile(p) for p in wanted.values()):
            continue
        source = os.path.join(out, f"{name}-shape-F16.gguf")
        vocabulary = copied_vocabulary(os.path.join(vocabs, f"ggml-vocab-{vocab}.gguf"), {})
        print(f"[bench] writing {source}", file=sys.stderr)
        write_model(source, arch, 3000 + seed, vocabulary=vocabulary, context=4096, shape=shape, f16=True)
        for kind, path in wanted.items():
            params = llama_cpp.llama_model_quantize_default_params()
            params.ftype = TYPES[kind]
            params.nthread = 2
            print(f"[bench] quantizing to {kind}", file=sys.stderr)
            if llama_cpp.llama_model_quantize(source.encode(), (path + ".part").encode(), params) != 0:
                sys.exit(f"llama.cpp could not quantize {source} to {kind}")
            os.replace(path + ".part", path)
        os.remove(source)


if __name__ == "__main__":
    main(*sys.argv[1:3])
