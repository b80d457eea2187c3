"""Builds QA corpus I: the GNU manuals Debian installs as info files, as text (see tests/eval/qa/README.md).

    python3 scripts/bench/qa_corpus_i.py OUT_DIR   writes OUT_DIR/MANUAL.txt and OUT_DIR.list

OUT_DIR.list is tests/eval/qa/corpus-i.txt: each manual's first file. `nook-bench qa
--corpus` makes the same texts from it (checked byte for byte when the set was written).

A manual split over `NAME.info-1.gz`, `NAME.info-2.gz`… is joined in order into one
file, as a person keeps one manual; the info format's node separators and its
indirect and tag tables (byte offsets for the info reader) are dropped. Manuals of
30 to 400 KB are kept, so the set measures long documents, many passages a file.
"""
import gzip, os, re, sys

root = "/usr/share/info"
out = sys.argv[1] if len(sys.argv) > 1 else "/work/qa-sets/corpus-i"
parts = {}
for name in sorted(os.listdir(root)):
    m = re.fullmatch(r"(.+)\.info(?:-(\d+))?\.gz", name)
    if m:
        parts.setdefault(m.group(1), []).append((int(m.group(2) or 0), name))

def readable(raw):
    # Drop the reader's tables: from a separator line to the next separator.
    text = re.sub(r"\x1f\n(Indirect|Tag Table):\n.*?(?=\x1f|\Z)", "", raw, flags=re.S)
    text = text.replace("\x1f\n", "\n").replace("\x1f", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

kept = []
for manual, files in sorted(parts.items()):
    raw = "".join(gzip.open(os.path.join(root, n), "rt", errors="replace").read() for _, n in sorted(files))
    text = readable(raw)
    if not (30_000 <= len(text.encode()) <= 400_000):
        continue
    dest = os.path.join(out, manual + ".txt")
    os.makedirs(out, exist_ok=True)
    open(dest, "w").write(text)
    kept.append(os.path.join(root, sorted(files)[0][1]))
open(out + ".list", "w").write("\n".join(kept) + "\n")
print(len(parts), len(kept))
