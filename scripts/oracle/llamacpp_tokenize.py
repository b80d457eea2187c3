"""Reference token ids from llama.cpp, the oracle for Nook's tokenizer.

For every text of tests/fixtures/tokenizer_corpus.json, records the ids
llama.cpp (through llama-cpp-python, built from source) gives with each
combination of add_special and parse_special, reading the vocabulary from the
same GGUF file Nook reads. Nook's test tokenizes the same texts and must give
the same ids.

Usage: python llamacpp_tokenize.py MODEL.gguf CORPUS_JSON OUT_JSON
"""

import json
import sys

import llama_cpp
from llama_cpp import Llama

import fixtures



def main(model, corpus_path, out_path):
    texts = json.load(open(corpus_path, encoding="utf-8"))["texts"]
    vocab = Llama(model_path=model, vocab_only=True, verbose=False)
    cases = []
    for text in texts:
        for add_special in (False, True):
            for parse_special in (False, True):
                ids = vocab.tokenize(text.encode("utf-8"), add_bos=add_special, special=parse_special)
                cases.append({"text": text, "add_special": add_special, "parse_special": parse_special, "ids": ids})
    head = {"oracle": f"llama-cpp-python {llama_cpp.__version__}", "model_sha256": fixtures.sha256(model)}
    fixtures.write(out_path, head, cases)


if __name__ == "__main__":
    main(*sys.argv[1:4])
