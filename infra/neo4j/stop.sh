#!/usr/bin/env bash
# Stop the server infra/neo4j/start.sh started (by its pid file) and remove its data.
set -euo pipefail
run="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.cache/neo4j/run"
if [[ -f "$run/server.pid" ]]; then
  pid="$(cat "$run/server.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
fi
rm -rf "$run"
echo "[neo4j] stopped" >&2
