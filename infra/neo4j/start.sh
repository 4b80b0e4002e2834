#!/usr/bin/env bash
# Start a throwaway Neo4j (community edition, embedded in a small Java main) with its Bolt connector on
# 127.0.0.1, on a free port, for integration tests. The jars come from Maven Central (org.neo4j:neo4j, resolved by
# Maven into .cache/neo4j/lib on first use). Needs Java 17+ (javac too) and mvn. Authentication is off: it only
# listens on loopback and holds nothing but test data.
# Prints exactly one line on stdout: the Bolt URL (bolt://127.0.0.1:<port>). Everything else goes to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/.cache/neo4j"
run="$cache/run"
version="5.26.0"
log() { echo "[neo4j] $*" >&2; }

if [[ -f "$run/server.pid" ]] && kill -0 "$(cat "$run/server.pid")" 2>/dev/null; then
  log "already running (pid $(cat "$run/server.pid"))"
  cat "$run/url"
  exit 0
fi

command -v java >/dev/null || { log "java not found (Java 17 or newer is needed)"; exit 1; }
command -v javac >/dev/null || { log "javac not found: it compiles the small server main (a JDK 17 or newer is needed)"; exit 1; }
if [[ ! -f "$cache/lib/neo4j-kernel-$version.jar" ]]; then
  command -v mvn >/dev/null || { log "mvn not found: it resolves Neo4j's jars from Maven Central"; exit 1; }
  log "resolving org.neo4j:neo4j:$version from Maven Central into $cache/lib"
  mvn -q -B -f "$root/infra/neo4j/pom.xml" -Dmaven.repo.local="$cache/m2" dependency:copy-dependencies \
    -DoutputDirectory="$cache/lib" -DincludeScope=runtime >&2
fi
classpath="$cache/lib/*"
if [[ ! -f "$cache/classes/TestServer.class" || "$root/infra/neo4j/TestServer.java" -nt "$cache/classes/TestServer.class" ]]; then
  mkdir -p "$cache/classes"
  javac -d "$cache/classes" -cp "$classpath" "$root/infra/neo4j/TestServer.java" >&2
fi

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
rm -rf "$run"
mkdir -p "$run/data"
cat > "$run/neo4j.conf" <<SETTINGS
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
dbms.security.auth_enabled=false
server.memory.pagecache.size=256m
db.tx_log.rotation.retention_policy=false
SETTINGS

nohup java -Xms256m -Xmx1g -cp "$cache/classes:$classpath" TestServer "$run/data" "$run/neo4j.conf" >"$run/server.log" 2>&1 &
echo $! >"$run/server.pid"
echo "bolt://127.0.0.1:$port" >"$run/url"

for _ in $(seq 1 240); do
  if grep -qx ready "$run/server.log" && (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    log "server $(cat "$run/server.pid") serving Bolt on 127.0.0.1:$port"
    cat "$run/url"
    exit 0
  fi
  kill -0 "$(cat "$run/server.pid")" 2>/dev/null || { log "the server exited: $(tail -5 "$run/server.log")"; exit 1; }
  sleep 0.5
done
log "the server did not serve Bolt within 120 s: $(tail -5 "$run/server.log")"
exit 1
