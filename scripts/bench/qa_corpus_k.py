"""Builds QA corpus K: 150 manual pages of sections 2, 3 and 7 (system calls, library
functions, overviews) rendered to text, chosen by the rule of corpus H (see
tests/eval/qa/README.md).

    python3 scripts/bench/qa_corpus_k.py OUT_DIR   writes OUT_DIR/SECTION/PAGE.txt and OUT_DIR.list

The second column of OUT_DIR.list is tests/eval/qa/corpus-k.txt.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qa_corpus_h import manual_pages

manual_pages(("man2", "man3", "man7"), 150, sys.argv[1] if len(sys.argv) > 1 else "/work/qa-sets/corpus-k")
