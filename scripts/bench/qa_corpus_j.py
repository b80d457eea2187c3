"""Builds QA corpus J: documents that are not READMEs (see tests/eval/qa/README.md).

    python3 scripts/bench/qa_corpus_j.py OUT_DIR   writes the files under OUT_DIR and OUT_DIR.list

OUT_DIR.list is tests/eval/qa/corpus-j.txt. `nook-bench qa --corpus` makes the same
files from it (checked byte for byte when the set was written).

Three kinds of document a person keeps beside READMEs, chosen by rule:
- the Markdown guides, FAQs, design notes and reference pages that crates ship in
  cargo's registry besides their README and change log (newest version of a crate;
  1.5 to 40 KB; at most 5 a crate, in the order of the sha256 of their paths), copied
  to `CRATE-VERSION/PATH`;
- the FAQs Debian packages install under /usr/share/doc (plain text), copied to
  `PACKAGE/FAQ`;
- 25 upstream release notes (`NEWS`) of 3 to 40 KB under /usr/share/doc, in the order
  of the sha256 of their paths, copied to `PACKAGE/NEWS`.
A `.gz` file is written uncompressed, without `.gz`. Files whose text another chosen
file already has are left out.
"""
import glob, gzip, hashlib, os, re, sys

out = sys.argv[1] if len(sys.argv) > 1 else "/work/qa-sets/corpus-j"
registry = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/index.crates.io-*/")))[-1]

def key(path):
    return hashlib.sha256(path.encode()).hexdigest()

def text_of(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()

def version_key(folder):
    m = re.match(r"(.+?)-(\d+)\.(\d+)\.(\d+)(.*)$", folder)
    return (m.group(1), (int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5))) if m else (folder, ())

newest = {}
for folder in os.listdir(registry):
    name, version = version_key(folder)
    if name not in newest or version > version_key(newest[name])[1]:
        newest[name] = folder

skip = re.compile(r"readme|change|history|licen[cs]e|copying|contributing|code_of_conduct|security|release|authors|notice", re.I)
skip_dirs = {".github", "plans", "target", "tests", "benches", "fuzz"}
chosen = []  # (list line, target relative path, bytes)
for crate in sorted(newest.values()):
    found = []
    for dirpath, dirs, files in os.walk(os.path.join(registry, crate)):
        dirs[:] = [d for d in dirs if d not in skip_dirs]
        for f in files:
            path = os.path.join(dirpath, f)
            if f.endswith(".md") and not skip.search(f) and 1500 <= os.path.getsize(path) <= 40000:
                found.append(os.path.relpath(path, registry))
    for rel in sorted(found, key=key)[:5]:
        chosen.append((rel, rel, text_of(os.path.join(registry, rel))))

doc = "/usr/share/doc"
for path in sorted(glob.glob(f"{doc}/*/FAQ") + glob.glob(f"{doc}/*/FAQ.gz")):
    chosen.append((path, os.path.join(path.split("/")[-2], "FAQ"), text_of(path)))

news = []
for path in glob.glob(f"{doc}/*/NEWS") + glob.glob(f"{doc}/*/NEWS.gz"):
    size = len(text_of(path))
    if 3000 <= size <= 40000:
        news.append(path)
for path in sorted(news, key=key)[:25]:
    chosen.append((path, os.path.join(path.split("/")[-2], "NEWS"), text_of(path)))

seen, kept = set(), []
for line, target, data in chosen:
    digest = hashlib.sha256(data).hexdigest()
    if digest in seen:
        continue
    seen.add(digest)
    dest = os.path.join(out, target)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    open(dest, "wb").write(data)
    kept.append(line)
open(out + ".list", "w").write("\n".join(kept) + "\n")
print(len(chosen), len(kept))
