#!/usr/bin/env bash
# Start a throwaway PostgreSQL + pgvector server for integration tests.
# Prints exactly one line on stdout: the connection URL. Everything else -> stderr.
# See infra/postgres/README.md.
set -euo pipefail

# shellcheck source=./common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ---------------------------------------------------------------- OS user
if pg_is_root; then
  if ! pg_user_exists; then
    pg_log "creating system user '$PG_OS_USER'"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_OS_USER" >&2 \
      || pg_user_exists \
      || pg_die "could not create system user '$PG_OS_USER'"
  fi
fi

pg_resolve_paths create
pg_take_lock

# ---------------------------------------------------------------- pgserver venv
install_pgserver() {
  if [[ ! -x "$PG_VENV/bin/python" ]]; then
    pg_log "creating venv $PG_VENV"
    command -v python3 >/dev/null 2>&1 || pg_die "python3 not found"
    python3 -m venv "$PG_VENV" >&2 \
      || pg_die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  pg_log "pip install $PGSERVER_SPEC (bundled PostgreSQL + pgvector binaries)"
  # --no-deps: we only use the bundled binaries, not pgserver's Python API
  # (its deps fasteners/platformdirs/psutil are not needed).
  "$PG_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --no-input "$PGSERVER_SPEC" >&2 \
    || pg_die "pip install $PGSERVER_SPEC failed"
}

want_version="${PGSERVER_SPEC##*==}"
have_version=""
if [[ -x "$PG_VENV/bin/python" ]]; then
  have_version="$("$PG_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pgserver"))' 2>/dev/null || true)"
fi
if [[ -z "$have_version" || ( "$want_version" != "$PGSERVER_SPEC" && "$have_version" != "$want_version" ) ]] \
   || ! pg_find_bin; then
  install_pgserver
fi
pg_find_bin || pg_die "pgserver installed but pginstall/bin/postgres not found in $PG_VENV"
for b in initdb pg_ctl postgres psql pg_isready; do
  [[ -x "$PG_BIN/$b" ]] || pg_die "missing bundled binary $PG_BIN/$b"
done
[[ -f "$PG_SHARE/extension/vector.control" ]] || pg_die "pgvector not bundled ($PG_SHARE/extension/vector.control missing)"
pg_can_traverse "$PG_BIN/postgres" \
  || pg_die "'$PG_OS_USER' cannot reach $PG_BIN (parent dirs not traversable); set PORTAL_CACHE_DIR to e.g. /tmp/portal-cache"

# ---------------------------------------------------------------- data dir
if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
  if [[ -d "$PG_DATA" ]] && [[ -n "$(ls -A "$PG_DATA" 2>/dev/null)" ]]; then
    pg_die "$PG_DATA exists, is not empty and is not a PostgreSQL data dir; remove it or set PG_TEST_DATA"
  fi
  mkdir -p "$PG_DATA"
  if pg_is_root; then
    chown "$PG_OS_USER:$PG_OS_USER" "$PG_DATA"
  fi
  chmod 700 "$PG_DATA"
  pg_can_traverse "$PG_DATA" \
    || pg_die "'$PG_OS_USER' cannot reach $PG_DATA (parent dirs not traversable); set PG_TEST_DATA/PORTAL_CACHE_DIR under /tmp"
  pg_log "initdb $PG_DATA"
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_TEST_USER" --auth=trust \
        --encoding=UTF8 --locale=C --no-instructions >"$PG_CACHE_DIR/initdb.log" 2>&1; then
    cat "$PG_CACHE_DIR/initdb.log" >&2
    pg_die "initdb failed"
  fi
  # Only local socket + IPv4 loopback, no password.
  as_pg tee "$PG_DATA/pg_hba.conf" >/dev/null <<'HBA'
# Test-only cluster (infra/postgres/start.sh): trust, loopback only.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
HBA
  # Throwaway-cluster settings: speed over durability.
  as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<'CONF'

# ---- added by infra/postgres/start.sh (test cluster, not durable) ----
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
else
  data_major="$(cat "$PG_DATA/PG_VERSION")"
  bin_major="$("$PG_BIN/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')"
  [[ "$data_major" == "$bin_major" ]] \
    || pg_die "$PG_DATA is PostgreSQL $data_major but bundled binaries are $bin_major; run stop.sh and delete $PG_DATA"
fi

# ---------------------------------------------------------------- start
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_TEST_PORT" -U "$PG_TEST_USER" -d postgres -t 2 >/dev/null 2>&1; }

state="$(pg_postmaster_state)"
if [[ "$state" == stale ]]; then
  pg_log "removed stale postmaster.pid (previous server was killed)"
fi
if [[ "$state" == running ]]; then
  running_port="$(sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
  if [[ "$running_port" != "$PG_TEST_PORT" ]]; then
    pg_die "server for $PG_DATA is already running on port ${running_port:-?}, not $PG_TEST_PORT; run infra/postgres/stop.sh first"
  fi
  pg_log "server already running (pid $(head -n1 "$PG_DATA/postmaster.pid"), port $PG_TEST_PORT)"
else
  # Socket dir: short path in /tmp, owned by the cluster user.
  if [[ -e "$PG_SOCK_DIR" ]]; then
    owner="$(stat -c %U "$PG_SOCK_DIR")"
    want_owner="$(id -un)"; pg_is_root && want_owner="$PG_OS_USER"
    if [[ ! -d "$PG_SOCK_DIR" || -L "$PG_SOCK_DIR" || "$owner" != "$want_owner" ]]; then
      rm -rf "$PG_SOCK_DIR"
    fi
  fi
  if [[ ! -d "$PG_SOCK_DIR" ]]; then
    mkdir -m 700 "$PG_SOCK_DIR"
    if pg_is_root; then chown "$PG_OS_USER:$PG_OS_USER" "$PG_SOCK_DIR"; fi
  fi
  pg_log "starting PostgreSQL on 127.0.0.1:$PG_TEST_PORT (data $PG_DATA)"
  # -w: pg_ctl waits until the server accepts connections (bounded by -t).
  if ! as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t "$PG_TEST_START_TIMEOUT" \
        -o "-c listen_addresses=127.0.0.1 -p $PG_TEST_PORT -k $PG_SOCK_DIR" >&2; then
    pg_tail_log
    pg_die "pg_ctl start failed or timed out (${PG_TEST_START_TIMEOUT}s); port $PG_TEST_PORT busy? see log above"
  fi
fi

# Belt and braces: make sure TCP on 127.0.0.1 really answers (bounded wait).
deadline=$(( SECONDS + PG_TEST_START_TIMEOUT ))
until pg_ready; do
  if (( SECONDS >= deadline )); then
    pg_tail_log
    pg_die "server is not accepting TCP connections on 127.0.0.1:$PG_TEST_PORT after ${PG_TEST_START_TIMEOUT}s"
  fi
  sleep 0.2
done

# ---------------------------------------------------------------- database + pgvector
psql_() {
  PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_TEST_PORT" -U "$PG_TEST_USER" "$@" 9>&-
}
exists="$(psql_ -d postgres -tA -c "select 1 from pg_database where datname = '$PG_TEST_DB'")"
if [[ "$exists" != "1" ]]; then
  pg_log "creating database $PG_TEST_DB"
  psql_ -d postgres -c "create database \"$PG_TEST_DB\"" >&2
fi
versions="$(psql_ -d "$PG_TEST_DB" -tA -F ' ' \
  -c "set client_min_messages = warning" \
  -c "create extension if not exists vector" \
  -c "select current_setting('server_version'), extversion from pg_extension where extname = 'vector'")" \
  || { pg_tail_log; pg_die "could not enable pgvector in $PG_TEST_DB"; }
pg_log "ready: PostgreSQL ${versions% *}, pgvector ${versions#* } (data $PG_DATA)"

printf 'postgres://%s@127.0.0.1:%s/%s\n' "$PG_TEST_USER" "$PG_TEST_PORT" "$PG_TEST_DB"
