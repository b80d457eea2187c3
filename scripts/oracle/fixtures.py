"""What the llama.cpp oracle scripts share: the model's hash and the fixture
layout (a header, then one case per line, so a regenerated fixture diffs
readably)."""

import hashlib
import json


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def write(out_path, head, cases):
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(case, ensure_ascii=False) for case in cases))
        f.write("\n]}\n")


def without_extra_buffers():
    """Makes llama-cpp-python load weights into plain CPU buffers, not the
    repacked ones of its extra buffer types (AMX, or the x86 repacking of
    Q4_0 and Q4_K), which change the order of its sums: the plain buffers
    compute as ggml's reference kernels do, and as Nook does. (A build with
    AMX also crashes in `llama_decode` on this machine kind.) Call before
    the first `Llama(...)`."""
    import llama_cpp
    plain = llama_cpp.llama_model_default_params

    def params():
        p = plain()
        p.use_extra_bufts = False
        return p
    llama_cpp.llama_model_default_params = params
    llama_cpp.llama.llama_cpp.llama_model_default_params = params
