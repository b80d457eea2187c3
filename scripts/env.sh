# Sourced by Nook's scripts: one place for the build environment.
# The cargo target folder lives outside the source tree so that fresh clones
# (CI) reuse earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nook/target}"
if [ -d "$HOME/.cargo/bin" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
