#!/usr/bin/env bash
# Runs Nook's benchmarks, side by side with the sentence-transformers oracle,
# on 2 threads. Prints each figure as JSON and leaves them in
# docs/bench-results/; docs/BENCHMARKS.md records them.
#
#   bash scripts/bench.sh            all benchmarks
#   bash scripts/bench.sh embed      only one: embed, index, watch, search, find, chat, qa, desktop, deb
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/setup.sh"
source "$here/scripts/env.sh"
cd "$here"

export RAYON_NUM_THREADS=2
out="$here/docs/bench-results"
mkdir -p "$out"
venv="$HOME/.cache/nook/oracle-venv"
models_dir="${XDG_DATA_HOME:-$HOME/.local/share}/nook/models"

oracle() {
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sentence_transformers" 2>/dev/null; then
    echo "[bench] installing the sentence-transformers oracle (PyTorch CPU) into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check sentence-transformers
  fi
}

npm run --silent build
cargo build --quiet --workspace --bins  # the same feature set as the tests
bench="$CARGO_TARGET_DIR/debug/nook-bench"
what="${1:-all}"

if [ "$what" = all ] || [ "$what" = embed ]; then
  oracle
  "$bench" embed --texts 2000 --texts-out "$out/embed-texts.json" | tee "$out/embed-nook.json"
  "$venv/bin/python" scripts/oracle/bench_embed.py "$models_dir/all-MiniLM-L6-v2" "$out/embed-texts.json" 2 \
    | tee "$out/embed-sentence-transformers.json"
fi
if [ "$what" = all ] || [ "$what" = index ]; then
  "$bench" index --files 2000 | tee "$out/index.json"
  "$bench" index --files 1000 --documents 1000 --probe | tee "$out/index-mixed.json"
fi
if [ "$what" = all ] || [ "$what" = watch ]; then
  "$bench" watch --saves 40 --files 20000 | tee "$out/watch.json"
fi
if [ "$what" = all ] || [ "$what" = search ]; then
  "$bench" search --chunks 10000 | tee "$out/search-10k.json"
  "$bench" search --chunks 100000 | tee "$out/search-100k.json"
  "$bench" search --chunks 100000 --ann | tee "$out/search-100k-ann.json"
fi
if [ "$what" = all ] || [ "$what" = find ]; then
  "$bench" find --chunks 100000 --requests tests/eval/requests.json | tee "$out/find-100k.json"
fi
if [ "$what" = all ] || [ "$what" = chat ]; then
  # Side by side with llama.cpp (llama-cpp-python built from source once by
  # scripts/oracle/llamacpp.sh) on the same GGUF, prompt ids and 2 threads.
  bash scripts/oracle/llamacpp.sh --venv-only
  bash scripts/setup.sh --test-models
  llamacpp="$HOME/.cache/nook/llamacpp-v3-venv/bin/python"
  # Random-weight models of the shapes people download, quantized by
  # llama.cpp to the types they download (scripts/bench/shaped_models.py).
  shaped="$HOME/.cache/nook/bench-models"
  "$llamacpp" scripts/bench/shaped_models.py "$HOME/.cache/nook/test-models/llama-vocabs" "$shaped"
  for model in "$models_dir/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf" \
               "$HOME/.cache/nook/test-models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf" \
               "$shaped"/qwen2.5-0.5b-shape-{Q4_K_M,Q5_K_M,Q8_0,Q4_0}.gguf "$shaped"/llama-3.2-1b-shape-{Q4_K_M,Q8_0}.gguf; do
    name=$(basename "$model" .gguf)
    "$bench" chat --model "$model" --prompt-tokens 500 --generate 128 --ids-out "$out/chat-ids-$name.json" \
      | tee "$out/chat-nook-$name.json"
    for settings in parity default; do
      "$llamacpp" scripts/oracle/bench_chat.py "$model" "$out/chat-ids-$name.json" 2 128 "$settings" \
        | tee "$out/chat-llamacpp-$settings-$name.json"
    done
  done
fi
if [ "$what" = all ] || [ "$what" = qa ]; then
  # Answers on real text: the crate READMEs of cargo's registry and the
  # question sets written apart (tests/eval/qa/README.md).
  cargo fetch --quiet
  bash scripts/setup.sh --test-models
  qa_home="$HOME/.cache/nook/qa-home"
  gemma="$HOME/.cache/nook/test-models/gemma-3-270m/gemma-3-270m-q4_k_m.gguf"
  # Sets a-d are over the crate READMEs (corpus.txt), each later set over
  # its own corpus (corpus-X.txt): an index each.
  for set in a b c d e f g h i j k; do
    case "$set" in
      a|b|c|d) corpus=tests/eval/qa/corpus.txt; home="$qa_home" ;;
      *) corpus="tests/eval/qa/corpus-$set.txt"; home="$qa_home-$set" ;;
    esac
    "$bench" qa --home "$home" --corpus "$corpus" --questions "tests/eval/qa/set-$set.json" --quote-only \
      --out "$out/qa-$set-quotes-answers.json" | tee "$out/qa-$set-quotes.json"
    "$bench" qa --home "$home" --corpus "$corpus" --questions "tests/eval/qa/set-$set.json" \
      --out "$out/qa-$set-smollm2-answers.json" | tee "$out/qa-$set-smollm2.json"
    "$bench" qa --home "$home-gemma" --corpus "$corpus" --questions "tests/eval/qa/set-$set.json" --chat-model "$gemma" \
      --out "$out/qa-$set-gemma-answers.json" | tee "$out/qa-$set-gemma.json"
  done
  "$bench" qa --home "$qa_home" --questions tests/eval/qa/set-d.json --pairs --limit 20 \
    --out "$out/qa-d-pairs-answers.json" | tee "$out/qa-d-pairs.json"
fi
if [ "$what" = all ] || [ "$what" = desktop ]; then
  xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" dbus-run-session -- \
    env WEBKIT_DISABLE_COMPOSITING_MODE=1 node scripts/bench/desktop.mjs | tee "$out/desktop.txt"
fi
if [ "$what" = all ] || [ "$what" = deb ]; then
  # A release build and the Tauri bundler's .deb (a separate, long build:
  # about 45 min cold here), then the desktop figures of that release binary
  # and the WebKitGTK floor. The Tauri CLI is fetched for this step only
  # (npm registry).
  # The document reader runs as its own process, installed next to the app.
  cargo build --release -p nook-extractor --bin nook-extract
  extra=$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/nook-extract":"%s"}}}}}' "$CARGO_TARGET_DIR/release/nook-extract")
  npx --yes @tauri-apps/cli@2.12.5 build --bundles deb --config src-tauri/tauri.conf.json --config "$extra"
  deb=$(ls "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb)
  { ls -l "$deb"; dpkg-deb -I "$deb" | grep -E "Installed-Size|Depends"; } | tee "$out/deb.txt"
  xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" dbus-run-session -- \
    env WEBKIT_DISABLE_COMPOSITING_MODE=1 NOOK_DESKTOP_BINARY="$CARGO_TARGET_DIR/release/nook-desktop" RUNS=20 \
    node scripts/bench/desktop.mjs cold-start hotkey memory floor | tee "$out/desktop-release.txt"
fi
