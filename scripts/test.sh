#!/usr/bin/env bash
# Sets up what is missing and runs every check: format, clippy, unit + property + service +
# HTTP tests on SQLite and PostgreSQL, the OpenAPI validator, and browser tests in Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ROOT/scripts/lib/postgres.sh"

WORK="$(mktemp -d /tmp/jupiter-test.XXXXXX)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  stop_test_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_rust_tools
ensure_node_tools with-playwright
command -v chromium >/dev/null || apt_install chromium
if [ ! -x "$TOOLS_DIR/venv/bin/openapi-spec-validator" ]; then
  log "installing openapi-spec-validator (PyPI)"
  python3 -m venv "$TOOLS_DIR/venv"
  "$TOOLS_DIR/venv/bin/pip" install -q openapi-spec-validator
fi

cd "$ROOT"
log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

start_test_postgres
log "cargo test (SQLite and PostgreSQL)"
cargo test --workspace 2>&1 | tee "$WORK/cargo-test.log"

log "building the site (server + hydrate bundle)"
build_site debug
JUPITER="$CARGO_TARGET_DIR/debug/jupiter"

log "validating the OpenAPI document"
"$JUPITER" openapi > "$WORK/openapi.json"
"$TOOLS_DIR/venv/bin/openapi-spec-validator" "$WORK/openapi.json"

log "browser tests (Chromium)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
site_env
(cd "$WORK" && DATABASE_URL="sqlite://$WORK/e2e.db?mode=rwc" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  SECRET_KEY=e2e "$JUPITER" > "$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break
  sleep 0.2
done
ARTIFACTS="$ROOT/end2end/artifacts"
rm -rf "$ARTIFACTS"
(cd "$ROOT/end2end" && BASE_URL="http://127.0.0.1:$PORT" E2E_ARTIFACTS="$ARTIFACTS" \
  PLAYWRIGHT_CORE="$TOOLS_DIR/node_modules/playwright-core" node --test --test-reporter=spec tests/ ) 2>&1 | tee "$WORK/e2e.log"
e2e_status=${PIPESTATUS[0]}
if [ "$e2e_status" != 0 ]; then echo "--- server log"; cat "$WORK/server.log"; exit "$e2e_status"; fi
echo "screenshots: $ARTIFACTS"

# One closing line for all runners.
passed=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$WORK/cargo-test.log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -oE '[0-9]+ failed' "$WORK/cargo-test.log" | awk '{s+=$1} END {print s+0}')
e2e_pass=$(grep -oE '^ℹ pass [0-9]+' "$WORK/e2e.log" | awk '{s+=$3} END {print s+0}')
e2e_fail=$(grep -oE '^ℹ fail [0-9]+' "$WORK/e2e.log" | awk '{s+=$3} END {print s+0}')
echo
echo "all tests: $((passed + e2e_pass)) passed, $((failed + e2e_fail)) failed"
