#!/usr/bin/env bash
# Runs Nook: set-up (only what is missing), build, then start the desktop app.
# Without a display it falls back to the command line: index FOLDER (default
# ~/Documents) and answer searches typed at a prompt.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/setup.sh"
source "$here/scripts/env.sh"
cd "$here"
# The desktop app embeds the built UI; the whole workspace builds with the
# same feature set as the tests, so one build serves both.
npm run --silent build
cargo build --quiet --workspace --bins
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting Nook on the command line (the desktop app needs X11 or Wayland)." >&2
  exec "$CARGO_TARGET_DIR/debug/nook" run "$@"
fi
exec "$CARGO_TARGET_DIR/debug/nook-desktop"
