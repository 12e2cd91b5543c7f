#!/usr/bin/env bash
# Sets up what is missing, builds the release site and serves it (SQLite by default).
# Environment: see `jupiter --help` (DATABASE_URL, LEPTOS_SITE_ADDR, PUBLIC_URL, SECRET_KEY).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_rust_tools
ensure_node_tools
clean_own_crates --release
log "building (release)"
build_site release
site_env
cd "$ROOT"
exec "$CARGO_TARGET_DIR/release/jupiter" "$@"
