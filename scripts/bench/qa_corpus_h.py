"""Builds QA corpus H: 160 manual pages rendered to text (see tests/eval/qa/README.md).

    python3 scripts/bench/qa_corpus_h.py OUT_DIR   writes OUT_DIR/SECTION/PAGE.txt and OUT_DIR.list

`manual_pages` also builds corpus K (scripts/bench/qa_corpus_k.py) from other sections.
"""
import collections, hashlib, os, re, subprocess, sys


def manual_pages(sections, count, out):
    """The first `count` pages of `sections` by the sha256 of their names, rendered to
    OUT/SECTION/PAGE.txt, listed in OUT.list."""
    root = "/usr/share/man"
    cands = []
    for sec in sections:
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
    kept, seen, family = [], set(), collections.Counter()
    for _, sec, name, p in cands:
        if len(kept) >= count:
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


if __name__ == "__main__":
    manual_pages(("man1", "man5", "man8"), 160, sys.argv[1] if len(sys.argv) > 1 else "/work/qa-sets/corpus-h")
