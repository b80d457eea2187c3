#!/usr/bin/env bash
# Regenerates the llama.cpp reference fixtures in tests/fixtures/llamacpp/
# (token ids of a multilingual corpus, for the default models and llama.cpp's
# test vocabularies; greedy continuations of fixed prompts;
# logits and greedy tokens of tiny random models of each architecture, which
# it also writes to tests/fixtures/tiny-models/; greedy answers of the tiny
# models on real vocabularies to the prompt `nook ask` builds) from the same GGUF files
# Nook reads. llama-cpp-python has no binary wheel on
# PyPI: the first run builds llama.cpp from source (CPU only, about 8 minutes
# on 2 cores) into a wheel kept in ~/.cache/nook/wheels-v3 and a venv in
# ~/.cache/nook/llamacpp-v3-venv. It is built for x86-64-v3 (AVX2, FMA,
# F16C), the instruction set Nook is built for, so speeds compare like for
# like, and without AMX, whose repacked weights crash llama_decode on this
# machine kind. The fixtures are committed, so the tests never need this
# build.
#
#   bash scripts/oracle/llamacpp.sh               build if needed, write the fixtures
#   bash scripts/oracle/llamacpp.sh --venv-only   build if needed (for scripts/bench.sh chat)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$HOME/.cache/nook/llamacpp-v3-venv"
wheels="$HOME/.cache/nook/wheels-v3"
version=0.3.36

if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  python3 -m venv "$venv"
  if ! ls "$wheels"/llama_cpp_python-$version-*.whl >/dev/null 2>&1; then
    echo "[oracle] building llama-cpp-python $version (llama.cpp from source, CPU only)" >&2
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_BLAS=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_METAL=OFF -DGGML_OPENMP=ON -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DMTMD_BUILD=OFF -DLLAVA_BUILD=OFF" \
      CMAKE_BUILD_PARALLEL_LEVEL=2 "$venv/bin/pip" wheel --no-cache-dir --no-binary llama-cpp-python --no-deps "llama-cpp-python==$version" -w "$wheels"
  fi
  "$venv/bin/pip" install --quiet "$wheels"/llama_cpp_python-$version-*.whl
fi
# gguf-py writes the tiny test models (scripts/oracle/tiny_models.py).
"$venv/bin/python" -c "import gguf" 2>/dev/null || "$venv/bin/pip" install --quiet "gguf==0.19.0"

if [ "${1:-}" = --venv-only ]; then
  exit 0
fi
bash "$here/scripts/setup.sh" --models
bash "$here/scripts/setup.sh" --test-models
models="${XDG_DATA_HOME:-$HOME/.local/share}/nook/models"
out="$here/tests/fixtures/llamacpp"
mkdir -p "$out"
corpus="$here/tests/fixtures/tokenizer_corpus.json"
"$venv/bin/python" "$here/scripts/oracle/llamacpp_tokenize.py" \
  "$models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf" "$corpus" "$out/smollm2-tokenize.json"
"$venv/bin/python" "$here/scripts/oracle/llamacpp_tokenize.py" \
  "$HOME/.cache/nook/test-models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf" "$corpus" "$out/gemma3-tokenize.json"
"$venv/bin/python" "$here/scripts/oracle/llamacpp_greedy.py" \
  "$models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf" "$out/smollm2-greedy.json"
"$venv/bin/python" "$here/scripts/oracle/llamacpp_greedy.py" \
  "$HOME/.cache/nook/test-models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf" "$out/gemma3-greedy.json"
# The same corpus on each of llama.cpp's own test vocabularies (the families
# people bring), fetched by the test set-up.
vocabs="$HOME/.cache/nook/test-models/llama-vocabs"
for name in llama-bpe qwen2 qwen35 deepseek-llm deepseek-coder command-r falcon mpt refact starcoder gpt-2 llama-spm phi-3 gemma-4; do
  "$venv/bin/python" "$here/scripts/oracle/llamacpp_tokenize.py" \
    "$vocabs/ggml-vocab-$name.gguf" "$corpus" "$out/vocab-$name-tokenize.json"
done
# Tiny random models of each architecture, and llama.cpp's answers on them.
(cd "$here/scripts/oracle" && "$venv/bin/python" tiny_models.py "$here/tests/fixtures/tiny-models" "$out")
# The tiny models on the real vocabularies of the families people bring
# (built by the test set-up): llama.cpp's greedy answer after the prompt
# `nook ask` builds with each, so the built `nook` binary is needed.
source "$here/scripts/env.sh"
nook="$CARGO_TARGET_DIR/debug/nook"
[ -x "$nook" ] || (cd "$here" && cargo build --workspace --bins)
(cd "$here/scripts/oracle" && "$venv/bin/python" family_models.py "$nook" "$HOME/.cache/nook/test-models/families" "$out")
echo "[oracle] fixtures written to $out" >&2
