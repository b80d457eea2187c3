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
