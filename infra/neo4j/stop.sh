#!/usr/bin/env bash
# Stop the server infra/neo4j/start.sh started (by its pid file) and remove its data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/infra/lib/stop-service.sh"
stop_service neo4j "$root/.cache/neo4j/run" server.pid 30
