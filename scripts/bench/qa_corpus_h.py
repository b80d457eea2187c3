"""Builds QA corpus H: 160 manual pages rendered to text (see tests/eval/qa/README.md).

    python3 scripts/bench/qa_corpus_h.py OUT_DIR   writes OUT_DIR/SECTION/PAGE.txt and OUT_DIR.list
"""
import collections, hashlib, os, re, subprocess, sys
root = "/usr/share/man"
cands = []
for sec in ("man1", "man5", "man8"):
    d = os.path.join(root, sec)
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        size = os.path.getsize(p)
        stem = re.split(r"[_.\-]", name)[0]
        if 1500 <= size <= 12000 and stem not in ("gcloud", "bq", "gsutil"):
            cands.append((hashlib.sha256(f"{sec}/{name}".encode()).hexdigest(), sec, name, p))
cands.sort()
out = sys.argv[1] if len(sys.argv) > 1 else "/work/qa-sets/corpus-h"
kept, seen, family = [], set(), collections.Counter()
for _, sec, name, p in cands:
    if len(kept) >= 160:
        break
    env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    r = subprocess.run(["man", "-l", p], capture_output=True, env=env)
    if r.returncode != 0:
        continue
    text = subprocess.run(["col", "-bx"], input=r.stdout, capture_output=True).stdout.decode("utf-8", "replace")
    if not (3000 <= len(text.encode()) <= 40000):
        continue
    h = hashlib.sha256(text.encode()).hexdigest()
    if h in seen:
        continue
    seen.add(h)
    stem = re.split(r"[_.\-]", name)[0]
    if family[stem] >= 3:
        continue
    family[stem] += 1
    base = name[:-3] if name.endswith(".gz") else name
    dest = os.path.join(out, sec, base + ".txt")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    open(dest, "w").write(text)
    kept.append(f"{sec}/{base}.txt\t{p}")
open(out + ".list", "w").write("\n".join(kept) + "\n")
print(len(cands), len(kept))
