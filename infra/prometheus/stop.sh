#!/usr/bin/env bash
# Stop the Prometheus infra/prometheus/start.sh started (by its pid file) and remove its data.
set -euo pipefail
run="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.cache/prometheus/run"
if [[ -f "$run/prometheus.pid" ]]; then
  pid="$(cat "$run/prometheus.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
fi
rm -rf "$run"
echo "[prometheus] stopped" >&2
