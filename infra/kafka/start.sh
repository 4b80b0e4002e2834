#!/usr/bin/env bash
# Start a throwaway single-node Kafka broker (KRaft mode, broker and controller in one process) on 127.0.0.1
# for integration tests. The broker's jars come from Maven Central (org.apache.kafka:kafka_2.13, resolved by
# Maven into .cache/kafka/lib on first use). Needs Java 17+ and mvn.
# Prints exactly one line on stdout: the bootstrap address (127.0.0.1:<port>). Everything else goes to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/.cache/kafka"
run="$cache/run"
log() { echo "[kafka] $*" >&2; }

if [[ -f "$run/broker.pid" ]] && kill -0 "$(cat "$run/broker.pid")" 2>/dev/null; then
  log "already running (pid $(cat "$run/broker.pid"))"
  cat "$run/bootstrap"
  exit 0
fi

command -v java >/dev/null || { log "java not found (Java 17 or newer is needed)"; exit 1; }
if [[ ! -f "$cache/lib/kafka_2.13-4.4.0.jar" ]]; then
  command -v mvn >/dev/null || { log "mvn not found: it resolves the broker's jars from Maven Central"; exit 1; }
  log "resolving org.apache.kafka:kafka_2.13:4.4.0 from Maven Central into $cache/lib"
  mvn -q -B -f "$root/infra/kafka/pom.xml" -Dmaven.repo.local="$cache/m2" dependency:copy-dependencies \
    -DoutputDirectory="$cache/lib" -DincludeScope=runtime >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"
controller="$(free_port)"
rm -rf "$run"
mkdir -p "$run/data"
cat > "$run/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$run/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPERTIES

classpath="$cache/lib/*"
cluster="$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
java -cp "$classpath" kafka.tools.StorageTool format -t "$cluster" -c "$run/server.properties" >&2 2>"$run/format.log" \
  || { log "formatting the KRaft storage failed: $(tail -3 "$run/format.log")"; exit 1; }
nohup java -Xmx512m -cp "$classpath" kafka.Kafka "$run/server.properties" >"$run/broker.log" 2>&1 &
echo $! >"$run/broker.pid"
echo "127.0.0.1:$port" >"$run/bootstrap"

for _ in $(seq 1 120); do
  if (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    log "broker $(cat "$run/broker.pid") listening on 127.0.0.1:$port"
    cat "$run/bootstrap"
    exit 0
  fi
  kill -0 "$(cat "$run/broker.pid")" 2>/dev/null || { log "the broker exited: $(tail -5 "$run/broker.log")"; exit 1; }
  sleep 0.5
done
log "the broker did not listen within 60 s: $(tail -5 "$run/broker.log")"
exit 1
