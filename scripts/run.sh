#!/usr/bin/env bash
# Runs Nook: set-up (only what is missing), build, then index FOLDER (default
# ~/Documents) with a progress bar and answer searches typed at a prompt.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/setup.sh"
source "$here/scripts/env.sh"
cd "$here"
cargo build --quiet -p nook-cli
exec "$CARGO_TARGET_DIR/debug/nook" run "$@"
