#!/usr/bin/env bash
# Runs every test of Nook: set-up (only what is missing), then
#   1. the UI's type check and component tests (Vitest, happy-dom),
#   2. the Rust workspace's unit and integration tests, real models included,
#   3. UI flows in headless Chromium against the built UI with mocked IPC,
#   4. the real desktop app under Xvfb: WebDriver end to end, hotkey, tray
#      and session fallbacks.
# Every suite runs even when an earlier one fails; the exit code says whether
# all passed.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/setup.sh" || exit 1
bash "$here/scripts/setup.sh" --test-models || exit 1
source "$here/scripts/env.sh"
cd "$here"

failed=()
suite() {
  local name="$1"; shift
  printf '\n=== %s\n' "$name" >&2
  "$@" || failed+=("$name")
}

# The desktop binary embeds the built UI: build the UI first.
suite "UI build" npm run --silent build
suite "UI type check" npm run --silent typecheck
suite "UI components" npm run --silent test:components
# The integration tests run the real binaries: build them first (cargo test
# alone builds binaries only for their own package's tests).
if suite "Rust build" cargo build --workspace --bins; then
  suite "Rust tests" cargo test --workspace --no-fail-fast
  suite "UI flows (Chromium)" npm run --silent test:flows
  suite "Desktop app (Xvfb)" xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" \
    dbus-run-session -- env WEBKIT_DISABLE_COMPOSITING_MODE=1 npm run --silent test:desktop
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[*]}" >&2
  exit 1
fi
printf '\nAll tests passed.\n' >&2
