#!/usr/bin/env bash
# Stop the broker infra/kafka/start.sh started (by its pid file) and remove its data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/infra/lib/stop-service.sh"
stop_service kafka "$root/.cache/kafka/run" broker.pid 20
