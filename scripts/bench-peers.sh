#!/usr/bin/env bash
# runnel and its peers on the same input, the same disk and in the same run:
# SQLite, Redis Streams, NATS JetStream and a single-broker Apache Kafka
# (Kafka's own perf-test tools, and kcat). Each ingests the bench input of
# scripts/bench.sh (scripts/bench-input.py: MESSAGES keyed JSON-ish lines,
# `car-N:{...}`) as durably as it can, then reads everything back. The page
# cache is warm; every figure is the wall time of the whole command (process
# start included, as for runnel), the median of RUNS; the peers and runnel
# take turns within each run, so a machine getting slower shifts all alike.
# Prints one table per medium (the disk, then tmpfs /dev/shm): records/s in
# and out, and runnel's rate divided by each peer's.
#
# Usage: scripts/bench-peers.sh [MESSAGES]      (default 1000000)
# Environment: RUNS (default 3); RUNNEL=path uses that binary instead of
# building target/x86_64-unknown-linux-gnu/release/runnel; TMPFS=0 skips the tmpfs table; KAFKA=0 skips
# Kafka (its broker takes a minute to start on a loaded machine).
# Installs what is missing (as root, with apt-get: redis-server, nats-server,
# sqlite3, kcat); needs Go (builds scripts/peers), cargo (release build), Java
# 17 and Maven (scripts/kafka-cluster.sh), python3.
#
# How each peer is driven (the way its users would):
#   SQLite 3     the sqlite3 shell: journal_mode=WAL, synchronous=FULL, one
#                transaction: `.import` into a temp table, then one INSERT ..
#                SELECT splitting key and value; out: SELECT value ORDER BY rowid
#   Redis 7      one stream, XADD k KEY v VALUE pipelined 1000 a batch
#                (go-redis), appendonly yes with appendfsync everysec, then
#                always (fsync before replying, once per event-loop turn);
#                out: XRANGE pages of 10,000
#   JetStream    nats-server 2.9 -js, one stream, file storage (its default
#                sync: fsync every 2 minutes, not per write), subject STREAM.KEY;
#                async publishes with up to 4000 awaiting their ack (nats.go);
#                out: an ordered consumer, pulls of 10,000
#   Kafka 4.1.1  one broker (scripts/kafka-cluster.sh up 1), 6 partitions,
#                acks=all (one replica: acknowledged once in its page cache;
#                Kafka does not fsync by default). ProducerPerformance
#                --payload-file of the input's values (no keys: the sticky
#                partitioner), ConsumerPerformance (counts, prints nothing);
#                kcat -P -K : (acks=all, murmur2_random: Java's partitioner)
#                and kcat -C -e
#   runnel       produce --key-separator : --acks all into 6 partitions
#                (fsynced before exit), consume --format value
# Every reader's output goes through `| wc -l`, checked against MESSAGES.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
TMPFS=${TMPFS:-1}
KAFKA=${KAFKA:-1}

die() { echo "bench-peers.sh: error: $*" >&2; exit 69; }
say() { echo "bench-peers.sh: $*" >&2; }

# What is missing, installed loudly; nothing done when all is there.
missing=()
for tool in redis-server:redis-server redis-cli:redis-tools nats-server:nats-server sqlite3:sqlite3 kcat:kcat; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; install them: sudo apt-get install -y ${missing[*]}"
  say "installing ${missing[*]} (apt-get install -y)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 || {
    apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  } || die "apt-get could not install ${missing[*]}"
else
  say "redis-server, redis-cli, nats-server, sqlite3 and kcat are installed"
fi
command -v go >/dev/null || die "Go is not installed; it builds scripts/peers (Debian: apt-get install golang)"
if [ -n "${RUNNEL:-}" ]; then
  R=$(realpath "$RUNNEL")
else
  cargo build --release --quiet
  R=$PWD/target/x86_64-unknown-linux-gnu/release/runnel
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/runnel-peers.XXXXXX")
SHM=""
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "$WORK/disk" "$SHM"; do
    if [ -n "$dir" ] && [ -d "$dir/kafka" ]; then
      KAFKA_CLUSTER_DIR="$dir/kafka" scripts/kafka-cluster.sh down >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$WORK" ${SHM:+"$SHM"}
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building scripts/peers (Go: go-redis, nats.go)"
(cd scripts/peers && go build -o "$WORK/peers" .)
P=$WORK/peers
python3 scripts/bench-input.py "$N" "$WORK" lines
cut -d: -f2- "$WORK/lines.txt" >"$WORK/values.txt"
BYTES=$(stat -c %s "$WORK/lines.txt")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # port what
  local i
  for i in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  die "$2 did not listen on 127.0.0.1:$1 within 30 s"
}
now() { date +%s%N; }
# Runs a snippet once and appends its wall time (ns) to the times of LABEL.
declare -A TIMES
timed() { # label snippet
  local t0 t1
  t0=$(now)
  eval "$2"
  t1=$(now)
  TIMES[$1]+=" $((t1 - t0))"
}
# Checks what a reader counted (`| wc -l > $WORK/count`).
counted() { # what
  local c
  c=$(cat "$WORK/count")
  [ "$c" = "$N" ] || die "$1 read $c records, expected $N"
}

# One medium: every peer's servers in DIR, RUNS turns of every peer.
bench() { # dir id label
  local dir=$1 medium=$2 label=$3 redis_port nats_port bootstrap="" run
  mkdir -p "$dir/redis" "$dir/nats" "$dir/sqlite"
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --save "" \
    --appendonly yes --appendfsync everysec --auto-aof-rewrite-percentage 0 \
    --logfile "$dir/redis.log" --daemonize no &
  PIDS+=($!)
  nats_port=$(free_port)
  nats-server -js -sd "$dir/nats" -a 127.0.0.1 -p "$nats_port" -l "$dir/nats.log" &
  PIDS+=($!)
  wait_port "$redis_port" redis-server
  wait_port "$nats_port" nats-server
  if [ "$KAFKA" = 1 ]; then
    say "starting Kafka in $dir/kafka"
    bootstrap=$(KAFKA_CLUSTER_DIR="$dir/kafka" scripts/kafka-cluster.sh up 1 | sed -n 's/^BOOTSTRAP=//p')
    [ -n "$bootstrap" ] || die "Kafka did not come up; see $dir/kafka"
  fi
  local REDIS=127.0.0.1:$redis_port NATS=nats://127.0.0.1:$nats_port
  local KRUN="env KAFKA_CLUSTER_DIR=$dir/kafka KAFKA_TOOL_HEAP=1g scripts/kafka-cluster.sh kafka-run"
  cat "$WORK/lines.txt" "$WORK/values.txt" >/dev/null # the page cache warm
  for run in $(seq "$RUNS"); do
    say "$label: run $run of $RUNS"
    # runnel
    rm -rf "$dir/runnel"
    "$R" --data-dir "$dir/runnel" -q init
    "$R" --data-dir "$dir/runnel" -q topic create t --partitions 6
    sync
    timed "runnel in" '"$R" --data-dir "$dir/runnel" -q produce t --key-separator : --acks all < "$WORK/lines.txt"'
    timed "runnel out" '"$R" --data-dir "$dir/runnel" -q consume t --format value | wc -l > "$WORK/count"'
    counted runnel
    # SQLite
    rm -f "$dir/sqlite/db" "$dir/sqlite/db-wal" "$dir/sqlite/db-shm"
    sync
    timed "sqlite in" 'sqlite3 -bail "$dir/sqlite/db" < "$WORK/sqlite.sql" > /dev/null'
    timed "sqlite out" 'sqlite3 "$dir/sqlite/db" "SELECT value FROM records ORDER BY rowid" | wc -l > "$WORK/count"'
    counted SQLite
    # Redis Streams, AOF everysec then always
    for fsync in everysec always; do
      redis-cli -p "$redis_port" CONFIG SET appendfsync "$fsync" >/dev/null
      sync
      timed "redis-$fsync in" '"$P" redis-in "$REDIS" "s$run$fsync" "$WORK/lines.txt"'
      timed "redis-$fsync out" '"$P" redis-out "$REDIS" "s$run$fsync" "$N" | wc -l > "$WORK/count"'
      counted "Redis ($fsync)"
      redis-cli -p "$redis_port" DEL "s$run$fsync" >/dev/null
    done
    # NATS JetStream
    sync
    timed "jetstream in" '"$P" nats-in "$NATS" "cars$run" "$WORK/lines.txt"'
    timed "jetstream out" '"$P" nats-out "$NATS" "cars$run" "$N" | wc -l > "$WORK/count"'
    counted JetStream
    # Kafka
    if [ "$KAFKA" = 1 ]; then
      "$R" --bootstrap-server "$bootstrap" -q topic create "perf$run" -p 6
      "$R" --bootstrap-server "$bootstrap" -q topic create "kcat$run" -p 6
      sync
      timed "kafka-perf in" '$KRUN org.apache.kafka.tools.ProducerPerformance --topic "perf$run" --num-records "$N" \
        --throughput -1 --payload-file "$WORK/values.txt" --producer-props bootstrap.servers="$bootstrap" acks=all \
        > "$WORK/perf-in.$medium.$run"'
      timed "kafka-perf out" '$KRUN org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" \
        --topic "perf$run" --messages "$N" --timeout 120000 > "$WORK/perf-out.$medium.$run"'
      tail -1 "$WORK/perf-out.$medium.$run" | awk -F', *' '{print $5}' > "$WORK/count"
      counted ConsumerPerformance
      sync
      timed "kcat in" 'kcat -P -b "$bootstrap" -t "kcat$run" -K : -X acks=all -X partitioner=murmur2_random < "$WORK/lines.txt"'
      timed "kcat out" 'kcat -C -b "$bootstrap" -t "kcat$run" -e -q -f "%s\n" | wc -l > "$WORK/count"'
      counted kcat
      # the tools' own figures, JVM start and group join left out
      grep -o '[0-9.]* records/sec' "$WORK/perf-in.$medium.$run" | tail -1 | cut -d' ' -f1 >> "$WORK/perf-in-own.$medium"
      tail -1 "$WORK/perf-out.$medium.$run" | awk -F', *' '{print $10}' >> "$WORK/perf-out-own.$medium"
    fi
  done
  table "$label"
  if [ "$KAFKA" = 1 ]; then
    echo
    echo "Kafka's tools by their own count (JVM start and group join left out), median:" \
      "ProducerPerformance $(median_of "$WORK/perf-in-own.$medium") records/s," \
      "ConsumerPerformance $(median_of "$WORK/perf-out-own.$medium") records/s (fetch)"
    KAFKA_CLUSTER_DIR="$dir/kafka" scripts/kafka-cluster.sh down >/dev/null
  fi
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
  for key in "${!TIMES[@]}"; do unset "TIMES[$key]"; done
}

median_of() { sort -g "$1" | sed -n "$(( ($(wc -l < "$1") + 1) / 2 ))p" | python3 -c 'import sys; print(f"{float(sys.stdin.read()) / 1e6:.2f} M")'; }

# The table of one medium: median rate of each, and runnel's ratio to it.
table() { # medium
  local key args=()
  for key in "${!TIMES[@]}"; do args+=("$key=${TIMES[$key]}"); done
  python3 - "$1" "$N" "$RUNS" "${args[@]}" <<'PY'
import statistics, sys
medium, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
times = {}
for arg in sys.argv[4:]:
    key, _, ns = arg.partition("=")
    times[key] = [int(t) for t in ns.split()]
def rate(key):
    return n / (statistics.median(times[key]) / 1e9) / 1e6 if key in times else None
peers = [
    ("runnel", "runnel: produce -K : --acks all, 6 partitions (fsync before exit) / consume --format value"),
    ("sqlite", "SQLite: WAL, synchronous=FULL (fsync at commit), one transaction / SELECT value"),
    ("redis-everysec", "Redis Streams: AOF everysec (fsync each second), XADD pipelined 1000 a batch / XRANGE 10,000 a page"),
    ("redis-always", "Redis Streams: AOF always (fsync before each reply), XADD pipelined 1000 a batch / XRANGE 10,000 a page"),
    ("jetstream", "NATS JetStream: file storage (fsync every 2 min), async publish 4000 in flight / ordered consumer"),
    ("kafka-perf", "Kafka: ProducerPerformance acks=all (no fsync) / ConsumerPerformance"),
    ("kcat", "Kafka: kcat -P -K : acks=all (no fsync), 6 partitions / kcat -C -e"),
]
ours_in, ours_out = rate("runnel in"), rate("runnel out")
print(f"\n{medium}: {n} records, median of {runs} runs, M records/s (whole command, wall time)\n")
print("| Peer (in / out) | In, M/s | Out, M/s | runnel ÷ peer, in | runnel ÷ peer, out |")
print("|---|---:|---:|---:|---:|")
for key, label in peers:
    r_in, r_out = rate(f"{key} in"), rate(f"{key} out")
    if r_in is None:
        continue
    ratio = lambda ours, theirs: "-" if key == "runnel" else f"{ours / theirs:.2f}x"
    print(f"| {label} | {r_in:.2f} | {r_out:.2f} | {ratio(ours_in, r_in)} | {ratio(ours_out, r_out)} |")
PY
}

US=$(printf '\037')
cat >"$WORK/sqlite.sql" <<EOF
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
PRAGMA temp_store=MEMORY;
CREATE TABLE records(offset INTEGER PRIMARY KEY, key TEXT, value TEXT);
BEGIN;
CREATE TEMP TABLE raw(line TEXT);
.mode ascii
.separator "$US" "\n"
.import $WORK/lines.txt raw
INSERT INTO records(key, value)
  SELECT substr(line, 1, instr(line, ':') - 1), substr(line, instr(line, ':') + 1) FROM raw;
COMMIT;
EOF

echo "runnel and its peers: $N records, $((BYTES / N)) bytes/line avg, median of $RUNS runs"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: runnel $("$R" --version | awk '{print $2}'), SQLite $(sqlite3 --version | cut -d' ' -f1)," \
  "Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), nats-server $(nats-server --version | sed 's/.*v//')," \
  "Kafka ${KAFKA_VERSION:-4.1.1}, kcat $(kcat -V 2>&1 | sed -n 's/^Version \([^ ]*\).*/\1/p')"
bench "$WORK/disk" disk "On the disk (${TMPDIR:-/tmp})"
if [ "$TMPFS" = 1 ] && [ -d /dev/shm ]; then
  SHM=$(mktemp -d /dev/shm/runnel-peers.XXXXXX)
  bench "$SHM" tmpfs "On tmpfs (/dev/shm)"
fi
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
