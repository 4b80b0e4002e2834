#!/usr/bin/env bash
# Stop the Prometheus infra/prometheus/start.sh started (by its pid file) and remove its data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/infra/lib/stop-service.sh"
stop_service prometheus "$root/.cache/prometheus/run" prometheus.pid 20
