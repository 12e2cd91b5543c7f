# A private, throwaway PostgreSQL cluster for the tests (stopped on exit), unless
# TEST_DATABASE_URL already points at one. Installs Debian's postgresql when missing.

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_test_postgres() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then log "using TEST_DATABASE_URL"; return 0; fi
  local bin; bin="$(pg_bin_dir)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then apt_install postgresql; bin="$(pg_bin_dir)"; fi
  PG_TMP="$(mktemp -d /tmp/jupiter-pg.XXXXXX)"
  local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_TMP"; run=(runuser -u postgres --); fi
  log "starting a throwaway PostgreSQL on port $port"
  "${run[@]}" "$bin/initdb" -A trust -U postgres -D "$PG_TMP/data" >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
    -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -m immediate stop)
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_test_postgres() {
  if [ -n "${PG_TMP:-}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; rm -rf "$PG_TMP"; fi
}
