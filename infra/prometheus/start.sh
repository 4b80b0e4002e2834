#!/usr/bin/env bash
# Start a throwaway Prometheus on 127.0.0.1 for integration tests. Its binaries are Debian's `prometheus` package
# (2.42): the installed ones if `prometheus` and `promtool` are on PATH, else the package fetched with
# `apt-get download` and unpacked with `dpkg -x` into .cache/prometheus/root (no root needed; as root, an
# `apt-get update` is tried when the package lists are missing). Before it starts, the deterministic test history
# (infra/prometheus/write-history.ts) is backfilled with `promtool tsdb create-blocks-from openmetrics`, and
# Prometheus scrapes itself every second (job "prometheus") for live samples.
# Prints exactly one line on stdout: the base URL (http://127.0.0.1:<port>). Everything else goes to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/.cache/prometheus"
run="$cache/run"
log() { echo "[prometheus] $*" >&2; }

if [[ -f "$run/prometheus.pid" ]] && kill -0 "$(cat "$run/prometheus.pid")" 2>/dev/null; then
  log "already running (pid $(cat "$run/prometheus.pid"))"
  cat "$run/url"
  exit 0
fi

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  prometheus="$(command -v prometheus)"
  promtool="$(command -v promtool)"
else
  prometheus="$cache/root/usr/bin/prometheus"
  promtool="$cache/root/usr/bin/promtool"
  if [[ ! -x "$prometheus" ]]; then
    command -v apt-get >/dev/null || { log "neither prometheus on PATH nor apt-get to fetch Debian's package"; exit 1; }
    mkdir -p "$cache/deb"
    log "fetching Debian's prometheus package (apt-get download) into $cache/deb"
    if ! (cd "$cache/deb" && apt-get download prometheus >&2 2>"$cache/deb/download.log"); then
      [[ "$(id -u)" == 0 ]] || { log "apt-get download failed: $(tail -2 "$cache/deb/download.log")"; exit 1; }
      log "apt-get download failed; updating the package lists and trying again"
      apt-get update -qq >&2
      (cd "$cache/deb" && apt-get download prometheus >&2)
    fi
    dpkg -x "$(ls "$cache"/deb/prometheus_*.deb | tail -1)" "$cache/root"
  fi
fi
log "$("$prometheus" --version 2>&1 | head -1)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"
rm -rf "$run"
mkdir -p "$run/data"

# The history is backfilled into the data directory before Prometheus opens it.
"$root/node_modules/.bin/tsx" "$root/infra/prometheus/write-history.ts" >"$run/history.om"
"$promtool" tsdb create-blocks-from openmetrics --quiet "$run/history.om" "$run/data" >&2

cat > "$run/prometheus.yml" <<CONFIG
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$port']
CONFIG

# The backfilled history is months old: retention must not delete it at start.
nohup "$prometheus" --config.file="$run/prometheus.yml" --storage.tsdb.path="$run/data" --storage.tsdb.retention.time=3650d \
  --web.listen-address="127.0.0.1:$port" >"$run/prometheus.log" 2>&1 &
echo $! >"$run/prometheus.pid"
echo "http://127.0.0.1:$port" >"$run/url"

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
    log "prometheus $(cat "$run/prometheus.pid") ready at http://127.0.0.1:$port"
    cat "$run/url"
    exit 0
  fi
  kill -0 "$(cat "$run/prometheus.pid")" 2>/dev/null || { log "prometheus exited: $(tail -5 "$run/prometheus.log")"; exit 1; }
  sleep 0.5
done
log "prometheus was not ready within 60 s: $(tail -5 "$run/prometheus.log")"
exit 1
