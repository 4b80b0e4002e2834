#!/usr/bin/env bash
# Stops the Backstage test backend that start.sh started (by its recorded pid only).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

if [[ ! -f "$BS_PID_FILE" ]]; then
  bs_log "not running"
  exit 0
fi
pid="$(cat "$BS_PID_FILE")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
fi
rm -f "$BS_PID_FILE"
bs_log "stopped"
