#!/usr/bin/env bash
# A real Apache Kafka cluster (KRaft, no ZooKeeper) on 127.0.0.1 for tests,
# benchmarks and anyone comparing runnel with Kafka. Kafka's own jars come
# from Maven Central on first use and are cached.
#
#   scripts/kafka-cluster.sh up N        start N brokers (each also a KRaft
#                                        controller); the last line printed is
#                                        BOOTSTRAP=127.0.0.1:P1,...
#   scripts/kafka-cluster.sh down        stop them (by the pids recorded at
#                                        `up`) and remove their folders
#   scripts/kafka-cluster.sh kafka-run CLASS ARGS...
#                                        run one of Kafka's tools with the same
#                                        classpath, for example
#                                        org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
#   scripts/kafka-cluster.sh classpath   print the classpath
#
# Settings (environment):
#   KAFKA_VERSION        Kafka's version on Maven Central (default 4.1.1)
#   KAFKA_CLUSTER_DIR    where a cluster keeps its logs, data and pids
#                        (default ${TMPDIR:-/tmp}/runnel-kafka-$USER); one
#                        cluster per folder, so tests running side by side
#                        each set their own
#   KAFKA_CACHE_DIR      where the classpath is cached (default
#                        ${XDG_CACHE_HOME:-~/.cache}/runnel/kafka-$KAFKA_VERSION);
#                        the jars live in Maven's local repository
#   KAFKA_HEAP           the heap of each broker (default 384m)
#   KAFKA_TOOL_HEAP      the heap of a kafka-run tool (default 256m)
#   KAFKA_UP_TIMEOUT     seconds to wait for the cluster to serve (default 90)
#
# Exit codes: 0 done, 2 usage, 69 Java or Maven missing or the cluster did
# not come up in time (its logs are named), 73 a cluster already runs in
# KAFKA_CLUSTER_DIR.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
CLUSTER_DIR="${KAFKA_CLUSTER_DIR:-${TMPDIR:-/tmp}/runnel-kafka-${USER:-$(id -u)}}"
CACHE_DIR="${KAFKA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/runnel/kafka-$KAFKA_VERSION}"
HEAP="${KAFKA_HEAP:-384m}"
TOOL_HEAP="${KAFKA_TOOL_HEAP:-256m}"
UP_TIMEOUT="${KAFKA_UP_TIMEOUT:-90}"

die() {
  local code="$1"
  shift
  echo "kafka-cluster.sh: error: $*" >&2
  exit "$code"
}

need() {
  command -v "$1" >/dev/null 2>&1 || die 69 "$1 is not installed; install $2 (Debian: apt-get install $2)"
}

# The classpath of Kafka's broker, tools, Kafka Streams and Connect, resolved by Maven
# once per pom (a changed pom, say a dependency added, resolves again).
classpath() {
  local cp_file="$CACHE_DIR/classpath.txt"
  local pom
  pom=$(cat <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>runnel.scripts</groupId>
  <artifactId>kafka-cluster</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-streams</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>connect-file</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
EOF
  )
  if [[ ! -s "$cp_file" || "$(cat "$CACHE_DIR/pom.xml" 2>/dev/null)" != "$pom" ]]; then
    need java openjdk-17-jdk-headless
    need mvn maven
    mkdir -p "$CACHE_DIR"
    printf '%s\n' "$pom" >"$CACHE_DIR/pom.xml"
    mvn -q -f "$CACHE_DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file.tmp" >"$CACHE_DIR/maven.log" 2>&1 ||
      die 69 "Maven could not fetch Kafka $KAFKA_VERSION's jars; see $CACHE_DIR/maven.log"
    mv "$cp_file.tmp" "$cp_file"
  fi
  cat "$cp_file"
}

# Quiet logging: warnings and errors to each broker's own log file.
log_config() {
  cat >"$CLUSTER_DIR/log4j2.properties" <<'EOF'
status = error
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${sys:kafka.logs.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.file.ref = file
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
EOF
}

free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

java_cmd() {
  local java="java"
  [[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
  echo "$java"
}

running_pids() {
  [[ -f "$CLUSTER_DIR/pids" ]] || return 0
  local pid
  while read -r pid; do
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
  done <"$CLUSTER_DIR/pids"
}

up() {
  local n="$1"
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || die 2 "'$n' is not a broker count; for example: up 3"
  need python3 python3
  if [[ -n "$(running_pids)" ]]; then
    die 73 "a cluster already runs in $CLUSTER_DIR (its bootstrap: $(cat "$CLUSTER_DIR/bootstrap" 2>/dev/null)); stop it with: $0 down"
  fi
  local cp java
  cp="$(classpath)"
  java="$(java_cmd)"
  rm -rf "$CLUSTER_DIR"
  mkdir -p "$CLUSTER_DIR"
  log_config
  read -r -a ports <<<"$(free_ports $((2 * n)))"
  local voters="" bootstrap="" i
  for ((i = 0; i < n; i++)); do
    voters+="${voters:+,}$((i + 1))@127.0.0.1:${ports[$((n + i))]}"
    bootstrap+="${bootstrap:+,}127.0.0.1:${ports[$i]}"
  done
  local rf=$((n < 3 ? n : 3)) min_isr=$((n < 3 ? 1 : 2))
  local cluster_id
  # As Kafka's own Uuid.randomUuid: never one that starts with '-', which
  # the storage tool would read as an option (1 in 64 of them).
  cluster_id="$(python3 -c '
import base64, itertools, uuid
ids = (base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=") for _ in itertools.count())
print(next(i for i in ids if not i.startswith("-")))')"
  for ((i = 0; i < n; i++)); do
    local node=$((i + 1)) dir="$CLUSTER_DIR/broker-$((i + 1))"
    mkdir -p "$dir/data"
    cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:${ports[$i]},CONTROLLER://127.0.0.1:${ports[$((n + i))]}
advertised.listeners=PLAINTEXT://127.0.0.1:${ports[$i]}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
    "$java" -cp "$cp" -Dlog4j2.configurationFile="$CLUSTER_DIR/log4j2.properties" \
      -Dkafka.logs.file="$dir/format.log" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$dir/server.properties" >"$dir/format.out" 2>&1 ||
      die 69 "formatting broker $node's storage failed; see $dir/format.out"
  done
  for ((i = 0; i < n; i++)); do
    local dir="$CLUSTER_DIR/broker-$((i + 1))"
    nohup "$java" -Xms64m -Xmx"$HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$CLUSTER_DIR/log4j2.properties" -Dkafka.logs.file="$dir/server.log" \
      -cp "$cp" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
    echo $! >>"$CLUSTER_DIR/pids"
  done
  echo "$bootstrap" >"$CLUSTER_DIR/bootstrap"
  local deadline=$((SECONDS + UP_TIMEOUT))
  for ((i = 0; i < n; i++)); do
    local dir="$CLUSTER_DIR/broker-$((i + 1))"
    until grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null; do
      if ((SECONDS > deadline)); then
        stop_pids
        die 69 "Kafka did not start within ${UP_TIMEOUT}s; see $dir/server.log and $dir/stdout.log"
      fi
      if [[ -z "$(running_pids)" ]]; then
        die 69 "Kafka exited while starting; see $dir/server.log and $dir/stdout.log"
      fi
      sleep 0.2
    done
  done
  # Serving metadata: every broker answers, as Kafka's own tool sees them.
  until [[ "$("$java" -cp "$cp" -Dlog4j2.configurationFile="$CLUSTER_DIR/log4j2.properties" \
    -Dkafka.logs.file="$CLUSTER_DIR/tools.log" org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "$bootstrap" 2>/dev/null | grep -c '(id: ')" -ge "$n" ]]; do
    if ((SECONDS > deadline)); then
      stop_pids
      die 69 "Kafka started but did not serve metadata within ${UP_TIMEOUT}s; see $CLUSTER_DIR/broker-*/server.log"
    fi
    sleep 0.5
  done
  echo "BOOTSTRAP=$bootstrap"
}

# Stops the cluster's processes (TERM, then KILL after 10 s); keeps its folder.
stop_pids() {
  local pids
  pids="$(running_pids)"
  if [[ -n "$pids" ]]; then
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    local waited=0
    while [[ -n "$(running_pids)" ]] && ((waited < 100)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    pids="$(running_pids)"
    # shellcheck disable=SC2086
    [[ -z "$pids" ]] || kill -9 $pids 2>/dev/null || true
  fi
}

down() {
  stop_pids
  rm -rf "$CLUSTER_DIR"
}

kafka_run() {
  [[ $# -ge 1 ]] || die 2 "kafka-run needs a class, for example org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"
  local cp java
  cp="$(classpath)"
  java="$(java_cmd)"
  mkdir -p "$CACHE_DIR"
  [[ -f "$CACHE_DIR/tools-log4j2.properties" ]] || cat >"$CACHE_DIR/tools-log4j2.properties" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = err
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = %p %m%n
rootLogger.level = error
rootLogger.appenderRef.err.ref = err
EOF
  exec "$java" -Xmx"$TOOL_HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$CACHE_DIR/tools-log4j2.properties" -cp "$cp" "$@"
}

case "${1:-}" in
  up) up "${2:-1}" ;;
  down) down ;;
  kafka-run)
    shift
    kafka_run "$@"
    ;;
  classpath) classpath ;;
  *) die 2 "usage: $0 up N | down | kafka-run CLASS ARGS... | classpath" ;;
esac
