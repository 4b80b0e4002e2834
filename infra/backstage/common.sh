# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared settings of infra/backstage/start.sh and stop.sh. Sourced, not executed; logs go to stderr.
BS_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BS_REPO_ROOT="$(cd "$BS_SCRIPT_DIR/../.." && pwd)"
BS_CACHE_DIR="${PORTAL_CACHE_DIR:-$BS_REPO_ROOT/.cache}/backstage-backend"
BS_PORT="${BACKSTAGE_TEST_PORT:-7017}"
BS_BASE_URL="http://127.0.0.1:$BS_PORT"
BS_TOKEN="${BACKSTAGE_TEST_TOKEN:-next-portal-backstage-test-token}"
BS_CATALOG_TARGET="$(realpath "${BACKSTAGE_CATALOG_TARGET:-$BS_REPO_ROOT/test/fixtures/backstage/all.yaml}")"
BS_START_TIMEOUT="${BACKSTAGE_START_TIMEOUT:-180}"
# Seconds between re-processings of every entity (app-config.yaml: 2, so tests see changes soon). A large
# catalog needs more: each entity is processed and stitched again every interval, which starves first ingestion.
BS_PROCESSING_INTERVAL="${BACKSTAGE_PROCESSING_INTERVAL:-}"
BS_PID_FILE="$BS_CACHE_DIR/backstage-$BS_PORT.pid"
BS_LOG_FILE="$BS_CACHE_DIR/backstage-$BS_PORT.log"
# The project's Node 22 (the `node` npm package); better-sqlite3 12 is built for the Node that runs it.
BS_NODE="$BS_REPO_ROOT/node_modules/node/bin/node"
[[ -x "$BS_NODE" ]] || BS_NODE="$(command -v node)"

bs_log() { printf '[backstage-test] %s\n' "$*" >&2; }
bs_die() { printf '[backstage-test] ERROR: %s\n' "$*" >&2; exit 1; }
