#!/usr/bin/env bash
# Sets up what is missing, builds the release site and serves it (SQLite by default).
# Environment: see `jupiter --help` (DATABASE_URL, LEPTOS_SITE_ADDR, PUBLIC_URL, SECRET_KEY).
set -euo pipefail
# common.sh sets LEPTOS_SITE_ADDR for the builds; the address to serve on is the caller's.
SERVE_ON="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_rust_tools
ensure_node_tools
clean_own_crates --release
log "building (release)"
build_site release
site_env
export LEPTOS_SITE_ADDR="$SERVE_ON"
cd "$ROOT"
exec "$CARGO_TARGET_DIR/release/jupiter" "$@"
