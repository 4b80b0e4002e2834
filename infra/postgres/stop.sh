#!/usr/bin/env bash
# Stop the test PostgreSQL started by infra/postgres/start.sh. Idempotent.
set -euo pipefail

# shellcheck source=./common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pg_resolve_paths lookup   # no mkdir
if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
  pg_log "no data dir at $PG_DATA; nothing to stop"
  exit 0
fi
pg_take_lock

pidfile="$PG_DATA/postmaster.pid"
case "$(pg_postmaster_state)" in
  none)  pg_log "server not running ($PG_DATA)"; exit 0 ;;
  stale) pg_log "server not running (removed stale postmaster.pid)"; exit 0 ;;
esac

if pg_find_bin; then
  pg_log "stopping PostgreSQL ($PG_DATA)"
  if ! as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >&2; then
    pg_tail_log
    pg_die "pg_ctl stop failed"
  fi
else
  # Binaries are gone (venv deleted) but a server may still run: SIGINT = fast shutdown.
  pid="$(head -n1 "$pidfile")"
  if pg_pid_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]]; then
    pg_log "pgserver binaries not found; sending SIGINT (fast shutdown) to postmaster $pid"
    kill -INT "$pid"
    for _ in $(seq 1 300); do
      pg_pid_alive "$pid" || break
      sleep 0.2
    done
    if pg_pid_alive "$pid"; then pg_die "postmaster $pid did not exit within 60s"; fi
  else
    pg_log "server not running (stale $pidfile)"
  fi
fi
pg_log "stopped"
