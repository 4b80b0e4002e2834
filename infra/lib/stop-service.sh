# Sourced by infra/<service>/stop.sh: stops the process a start.sh recorded in a pid file (TERM, then KILL after
# a grace period) and removes that service's run directory with its data.
# Usage: stop_service <name> <run directory> <pid file name> <grace seconds>
stop_service() {
  local name="$1" run="$2" pidfile="$2/$3" grace="$4" pid
  if [[ -f "$pidfile" ]]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 $((grace * 2))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
  fi
  rm -rf "$run"
  echo "[$name] stopped" >&2
}
