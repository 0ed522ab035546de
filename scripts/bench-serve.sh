#!/usr/bin/env bash
# `runnel serve` against one real Apache Kafka broker, side by side in one
# run, the same Kafka clients on both (issue #18's performance paragraph):
#   - ingest: `kcat -P -K : -X acks=all` of the same lines into a topic of 6
#     partitions (serve fsyncs before it acknowledges; Kafka does not);
#   - read: `kcat -C -e` of that topic to the end, values to a pipe;
#   - produce → fetch latency: examples/serve_latency.rs (librdkafka producer
#     with linger.ms=0, a long-polling consumer; median and p99);
#   - ready: exec of `runnel serve` until a connect and an ApiVersions answer
#     (median of READY_RUNS starts); Kafka's time to serve, once;
#   - idle RSS of serve, at start and after the runs.
# Each pair is timed alternately (serve first in odd runs, Kafka first in even
# ones), and beside each wall time the CPU time of the server process over that
# run (/proc/PID/stat: user + system), which a shared, loaded machine disturbs
# less than wall time. The load average is printed with the table.
# Usage: scripts/bench-serve.sh [MESSAGES]   (default 1000000)
# Settings: RUNS (3), LATENCY_COUNT (500), READY_RUNS (11).
# Needs: a release build (it runs `cargo build --release`), kcat, python3, and
# Java with Maven for scripts/kafka-cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
LATENCY_COUNT=${LATENCY_COUNT:-500}
READY_RUNS=${READY_RUNS:-11}
command -v kcat >/dev/null || { echo "bench-serve.sh: kcat is not installed (Debian: apt-get install kcat)" >&2; exit 69; }
cargo build --release --quiet --bin runnel --example serve_latency
R=$PWD/target/x86_64-unknown-linux-gnu/release/runnel
LAT=$PWD/target/x86_64-unknown-linux-gnu/release/examples/serve_latency
WORK=$(mktemp -d "${TMPDIR:-/tmp}/runnel-bench-serve.XXXXXX")
D=$WORK/data
export KAFKA_CLUSTER_DIR="$WORK/cluster"
SERVE_PID=
cleanup() {
  [[ -n "$SERVE_PID" ]] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  scripts/kafka-cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s%N; }
# user + system CPU of a process so far, in ms
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

python3 - "$N" "$WORK" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/lines.txt", "w") as lines:
    for i in range(n):
        car = f"car-{i % 1000}"
        lines.write(f'{car}:{{"car_id":"{car}","ride":{i},"km":12.5,"city":"Lisbon","fare":{{"eur":7.25}}}}\n')
PY
BYTES=$(stat -c %s "$WORK/lines.txt")

t0=$(now)
BK=$(scripts/kafka-cluster.sh up 1 | sed -n 's/^BOOTSTRAP=//p')
KAFKA_UP_MS=$((($(now) - t0) / 1000000))
KAFKA_PID=$(head -1 "$KAFKA_CLUSTER_DIR/pids")

"$R" --data-dir "$D" -q topic create lat -p 1
for run in $(seq "$RUNS"); do
  "$R" --data-dir "$D" -q topic create "p$run" -p 6
  "$R" --bootstrap-server "$BK" -q topic create "p$run" -p 6
done
"$R" --bootstrap-server "$BK" -q topic create lat -p 1

# Ready: exec until a connect and an ApiVersions answer, on a data dir with topics.
READY=$(python3 - "$R" "$D" "$READY_RUNS" <<'PY'
import socket, statistics, struct, subprocess, sys, time
runnel, data, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def api_versions(sock):
    body = struct.pack(">hhih", 18, 0, 7, -1)  # ApiVersions v0, correlation 7, null client id
    sock.sendall(struct.pack(">i", len(body)) + body)
    size = b""
    while len(size) < 4:
        chunk = sock.recv(4 - len(size)); assert chunk, "closed"; size += chunk
    (n,) = struct.unpack(">i", size); got = b""
    while len(got) < n:
        chunk = sock.recv(n - len(got)); assert chunk, "closed"; got += chunk
    correlation, error = struct.unpack(">ih", got[:6])
    assert correlation == 7 and error == 0, (correlation, error)
times = []
for _ in range(runs):
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen([runnel, "--data-dir", data, "-q", "serve", "--listen", f"127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port))
            break
        except ConnectionRefusedError:
            if time.perf_counter() - t0 > 5:
                p.kill(); sys.exit("serve did not accept connections within 5 s")
            time.sleep(0.0002)
    api_versions(s)
    times.append((time.perf_counter() - t0) * 1000)
    s.close(); p.terminate(); p.wait()
print(f"{statistics.median(times):.1f} {min(times):.1f} {max(times):.1f}")
PY
)

"$R" --data-dir "$D" -q serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVE_PID=$!
until grep -q "listening on" "$WORK/serve.out" 2>/dev/null; do
  kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.01
done
BS=$(sed -n 's/^broker 0 listening on //p' "$WORK/serve.out")
sleep 0.5
RSS_START=$(rss_mb "$SERVE_PID")

# time_it SIDE WHAT CMD: runs CMD, appends "WHAT SIDE wall_ms server_cpu_ms" to $WORK/times
time_it() {
  local side=$1 what=$2 cmd=$3 pid c0 t0 t1 c1
  if [[ $side == serve ]]; then pid=$SERVE_PID B=$BS; else pid=$KAFKA_PID B=$BK; fi
  c0=$(cpu_ms "$pid"); t0=$(now)
  eval "$cmd"
  t1=$(now); c1=$(cpu_ms "$pid")
  echo "$what $side $(((t1 - t0) / 1000000)) $((c1 - c0))" >>"$WORK/times"
}
: >"$WORK/times"
for run in $(seq "$RUNS"); do
  order="serve kafka"
  ((run % 2 == 0)) && order="kafka serve"
  for side in $order; do
    time_it "$side" produce 'kcat -P -b "$B" -t "p$run" -K : -X acks=all -X partitioner=murmur2_random < "$WORK/lines.txt"'
  done
done
for run in $(seq "$RUNS"); do
  order="serve kafka"
  ((run % 2 == 0)) && order="kafka serve"
  for side in $order; do
    time_it "$side" consume 'kcat -C -b "$B" -t p1 -e -q -f "%s\n" | cat > /dev/null'
  done
done
# What each side holds, so a short count is caught.
for side in serve kafka; do
  [[ $side == serve ]] && B=$BS || B=$BK
  got=$(kcat -C -b "$B" -t p1 -e -q -f "%s\n" | wc -l)
  [[ $got == "$N" ]] || { echo "bench-serve.sh: $side holds $got records in p1, not $N" >&2; exit 1; }
done
L_SERVE=$("$LAT" "$BS" lat "$LATENCY_COUNT")
L_KAFKA=$("$LAT" "$BK" lat "$LATENCY_COUNT")
sleep 1
RSS_IDLE=$(rss_mb "$SERVE_PID")
RSS_KAFKA=$(rss_mb "$KAFKA_PID")

python3 - "$WORK/times" "$N" "$BYTES" <<PY
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n, size = int(sys.argv[2]), int(sys.argv[3])
def med(what, side, col):
    return statistics.median(int(r[col]) for r in rows if r[0] == what and r[1] == side)
def all_(what, side, col):
    return "/".join(r[col] for r in rows if r[0] == what and r[1] == side)
load = open("/proc/loadavg").read().split()[:3]
print(f"load average at the end: {' '.join(load)}; {n} messages of ~{size // n} B, 6 partitions, RUNS=$RUNS, alternated")
print()
print("| What | runnel serve | Kafka 4.1.1, 1 broker | serve / Kafka | Target |")
print("|---|---|---|---|---|")
for what, label in (("produce", "\`kcat -P -X acks=all\`, wall"), ("consume", "\`kcat -C -e\` to the end, wall")):
    s, k = med(what, "serve", 2), med(what, "kafka", 2)
    target = "met" if s <= k else "not met"
    print(f"| {label} (median; runs ms) | {n / s / 1e3:.2f} M msgs/s ({s} ms; {all_(what, 'serve', 2)}) "
          f"| {n / k / 1e3:.2f} M msgs/s ({k} ms; {all_(what, 'kafka', 2)}) | {k / s:.2f}× the rate | ≥ 1×: {target} |")
    s, k = med(what, "serve", 3), med(what, "kafka", 3)
    print(f"| {what}: server CPU (median; runs ms) | {s} ms ({all_(what, 'serve', 3)}) "
          f"| {k} ms ({all_(what, 'kafka', 3)}) | {s / max(k, 1):.2f}× the CPU | |")
ls, lk = "$L_SERVE", "$L_KAFKA"
med_s = float(ls.split()[1])
print(f"| produce → fetch latency, rdkafka (linger 0, long poll) | {ls} | {lk} | | ≤ 1 ms median: {'met' if med_s <= 1 else 'not met'} |")
ready = "$READY".split()
print(f"| ready: exec → connect + ApiVersions (median, min–max of $READY_RUNS) | {ready[0]} ms ({ready[1]}–{ready[2]}) "
      f"| {$KAFKA_UP_MS} ms (\`kafka-cluster.sh up 1\`, once) | | ≤ 50 ms: {'met' if float(ready[0]) <= 50 else 'not met'} |")
print(f"| RSS: serve at start / idle after the runs; Kafka after the runs | $RSS_START MB / $RSS_IDLE MB | $RSS_KAFKA MB | "
      f"| < 30 MB idle: {'met' if float('$RSS_IDLE') < 30 else 'not met'} |")
PY
