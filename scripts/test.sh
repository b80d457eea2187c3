#!/usr/bin/env bash
# Runs every test of Nook: set-up (only what is missing), then the whole
# workspace's unit and integration tests with the real models.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bash "$here/scripts/setup.sh"
source "$here/scripts/env.sh"
cd "$here"
# The integration tests run the real `nook` binary: build it first (cargo
# test alone builds binaries only for their own package's tests).
cargo build --workspace --bins
cargo test --workspace --no-fail-fast
