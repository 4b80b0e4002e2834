# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared settings/helpers for infra/postgres/start.sh and stop.sh.
# Sourced, not executed. Everything here logs to stderr only.

PG_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG_REPO_ROOT="$(cd "$PG_SCRIPT_DIR/../.." && pwd)"

PG_TEST_PORT="${PG_TEST_PORT:-54329}"
PG_TEST_DB="${PG_TEST_DB:-portal_test}"
PG_TEST_USER="${PG_TEST_USER:-portal}"          # database role (not an OS user)
PG_OS_USER="${PG_OS_USER:-portalpg}"            # unprivileged OS user used when running as root
PGSERVER_SPEC="${PGSERVER_SPEC:-pgserver==0.1.4}"
PG_TEST_START_TIMEOUT="${PG_TEST_START_TIMEOUT:-60}"  # seconds

# Never let the caller's libpq environment redirect our own commands.
unset PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGOPTIONS PGSERVICE PGSERVICEFILE PGDATA PGSSLMODE || true

umask 022   # the venv must be readable by the unprivileged user

pg_log() { printf '[pg-test] %s\n' "$*" >&2; }
pg_die() { printf '[pg-test] ERROR: %s\n' "$*" >&2; exit 1; }

pg_is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Run a command as the OS user that owns the cluster. fd 9 (our lock) is closed
# so that a daemonised postgres does not keep holding the lock.
as_pg() {
  if pg_is_root; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u "$PG_OS_USER" -- "$@") 9>&-
    else
      (cd / && setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups -- "$@") 9>&-
    fi
  else
    "$@" 9>&-
  fi
}

pg_user_exists() { id -u "$PG_OS_USER" >/dev/null 2>&1; }

# Can the cluster's OS user reach (traverse) this path?
pg_can_traverse() {
  if pg_is_root; then
    pg_user_exists && as_pg test -x "$1"
  else
    test -x "$1"
  fi
}

# Fallback location when the repo is not traversable by the unprivileged user
# (e.g. a checkout under /root with mode 700).
pg_fallback_cache_dir() {
  local key
  key="$(printf '%s' "$PG_REPO_ROOT" | cksum | cut -d' ' -f1)"
  printf '/tmp/portal-pg-cache-%s' "$key"
}

# Sets PG_CACHE_DIR, PG_VENV, PG_DATA, PG_SOCK_DIR, PG_LOCK_FILE.
#   $1 = "create" to mkdir the cache dir before checking it (start.sh),
#        "lookup" to only compute the paths (stop.sh).
pg_resolve_paths() {
  local mode="${1:-}"
  if [[ -n "${PORTAL_CACHE_DIR:-}" ]]; then
    PG_CACHE_DIR="$PORTAL_CACHE_DIR"
  else
    PG_CACHE_DIR="$PG_REPO_ROOT/.cache"
    if pg_is_root; then
      if [[ "$mode" == create ]]; then mkdir -p "$PG_CACHE_DIR"; fi
      if [[ -d "$PG_CACHE_DIR" ]] && ! pg_can_traverse "$PG_CACHE_DIR"; then
        PG_CACHE_DIR="$(pg_fallback_cache_dir)"
        pg_log "repo cache dir is not traversable by '$PG_OS_USER'; using $PG_CACHE_DIR instead"
      elif [[ ! -d "$PG_CACHE_DIR" && -d "$(pg_fallback_cache_dir)" ]]; then
        PG_CACHE_DIR="$(pg_fallback_cache_dir)"
      fi
    fi
  fi
  if [[ "$mode" == create ]]; then mkdir -p "$PG_CACHE_DIR"; fi
  PG_CACHE_DIR="$(cd "$PG_CACHE_DIR" 2>/dev/null && pwd || printf '%s' "$PG_CACHE_DIR")"
  PG_VENV="$PG_CACHE_DIR/pgserver-venv"
  PG_DATA="${PG_TEST_DATA:-$PG_CACHE_DIR/pg-test-data}"
  PG_DATA="${PG_DATA%/}"
  # Unix socket dir: short, in /tmp, owned by the cluster user, one per port.
  PG_SOCK_DIR="/tmp/portal-pg-sock-$PG_TEST_PORT"
  PG_LOCK_FILE="/tmp/portal-pg-$(printf '%s' "$PG_DATA" | cksum | cut -d' ' -f1).lock"
}

pg_take_lock() {
  exec 9>"$PG_LOCK_FILE"
  flock -w 600 9 || pg_die "timed out waiting for lock $PG_LOCK_FILE (another start/stop running?)"
}

# Sets PG_BIN from the installed pgserver package (no import of pgserver itself).
pg_find_bin() {
  local pkg
  [[ -x "$PG_VENV/bin/python" ]] || return 1
  pkg="$("$PG_VENV/bin/python" - <<'PY' 2>/dev/null
import importlib.util
spec = importlib.util.find_spec("pgserver")
print(spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else "")
PY
)" || return 1
  [[ -n "$pkg" && -x "$pkg/pginstall/bin/postgres" ]] || return 1
  PG_BIN="$pkg/pginstall/bin"
  PG_SHARE="$pkg/pginstall/share/postgresql"
}

pg_tail_log() {
  local f="$PG_DATA/server.log"
  if [[ -f "$f" ]]; then
    pg_log "---- last 40 lines of $f ----"
    tail -n 40 "$f" >&2 || true
    pg_log "---- end of log ----"
  else
    pg_log "(no server log at $f)"
  fi
}

# True if $1 is a live (non-zombie) process. Plain `kill -0` is not enough:
# a killed postmaster can linger as a zombie until init reaps it, and
# postgres/pg_ctl would then treat its stale postmaster.pid as live.
pg_pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# Prints "running", "stale" (pid file left behind by a dead/zombie/reused pid,
# now removed together with a stale socket lock), or "none".
pg_postmaster_state() {
  local pidfile="$PG_DATA/postmaster.pid" pid port sockdir socklock
  [[ -f "$pidfile" ]] || { echo none; return 0; }
  pid="$(sed -n 1p "$pidfile" 2>/dev/null || true)"
  port="$(sed -n 4p "$pidfile" 2>/dev/null || true)"
  sockdir="$(sed -n 5p "$pidfile" 2>/dev/null || true)"
  if pg_pid_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]]; then
    echo running
    return 0
  fi
  rm -f "$pidfile"
  if [[ -n "$port" && -n "$sockdir" ]]; then
    socklock="$sockdir/.s.PGSQL.$port.lock"
    if [[ -f "$socklock" ]] && ! pg_pid_alive "$(sed -n 1p "$socklock" 2>/dev/null || true)"; then
      rm -f "$socklock" "$sockdir/.s.PGSQL.$port"
    fi
  fi
  echo stale
}
