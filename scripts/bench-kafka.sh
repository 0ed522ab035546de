#!/usr/bin/env bash
# runnel against a real Kafka broker, side by side with kcat on the same
# input and the same broker in one run: produce (`runnel produce` vs
# `kcat -P`, both acks=all), consume (`runnel consume` vs `kcat -C -e`), and
# the latency of producing one record (`echo x | runnel produce` vs
# `echo x | kcat -P`, median of LATENCY_RUNS).
# Usage: scripts/bench-kafka.sh [MESSAGES]   (default 1000000)
# Needs: a release build (it runs `cargo build --release`), kcat, python3,
# and Java with Maven for scripts/kafka-cluster.sh (one broker, its own folder).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
command -v kcat >/dev/null || { echo "bench-kafka.sh: kcat is not installed (Debian: apt-get install kcat)" >&2; exit 69; }
cargo build --release --quiet
R=$PWD/target/x86_64-unknown-linux-gnu/release/runnel
WORK=$(mktemp -d "${TMPDIR:-/tmp}/runnel-bench-kafka.XXXXXX")
export KAFKA_CLUSTER_DIR="$WORK/cluster"
trap 'scripts/kafka-cluster.sh down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
B=$(scripts/kafka-cluster.sh up 1 | sed -n 's/^BOOTSTRAP=//p')

python3 scripts/bench-input.py "$N" "$WORK" lines
BYTES=$(stat -c %s "$WORK/lines.txt")

now() { date +%s%N; }
# median of RUNS timings (ns) of a shell snippet run with $run set to 1..RUNS
median() {
  local body=$1 times=() t0 t1
  for run in $(seq "$RUNS"); do
    t0=$(now); eval "$body"; t1=$(now)
    times+=($((t1 - t0)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
rate() { python3 -c "import sys; n,ns,b=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]); print(f'{n/ns*1e9/1e6:.2f} M msgs/s ({b/ns*1e9/1e6:.0f} MB/s, {ns/1e6:.0f} ms)')" "$N" "$1" "$BYTES"; }

for run in $(seq "$RUNS"); do
  "$R" --bootstrap-server "$B" -q topic create "r$run" -p 6
  "$R" --bootstrap-server "$B" -q topic create "k$run" -p 6
done
P_RUNNEL=$(median '"$R" --bootstrap-server "$B" -q produce "r$run" -K : --acks all < "$WORK/lines.txt"')
P_KCAT=$(median 'kcat -P -b "$B" -t "k$run" -K : -X acks=all -X partitioner=murmur2_random < "$WORK/lines.txt"')
C_RUNNEL=$(median '"$R" --bootstrap-server "$B" -q consume r1 --format value | cat > /dev/null')
C_KCAT=$(median 'kcat -C -b "$B" -t r1 -e -q -f "%s\n" | cat > /dev/null')
RUNS_WAS=$RUNS
RUNS=${LATENCY_RUNS:-11}
L_RUNNEL=$(median 'echo x | "$R" --bootstrap-server "$B" -q produce r1 --acks all')
L_KCAT=$(median 'echo x | kcat -P -b "$B" -t k1 -X acks=all -X partitioner=murmur2_random')
RUNS=$RUNS_WAS
ms() { python3 -c "import sys; print(f'{int(sys.argv[1])/1e6:.0f} ms')" "$1"; }
echo "| What ($N messages, ~$((BYTES / N)) B, 6 partitions, 1 broker) | runnel | kcat |"
echo "|---|---|---|"
echo "| produce, acks=all | $(rate "$P_RUNNEL") | $(rate "$P_KCAT") |"
echo "| consume to the end | $(rate "$C_RUNNEL") | $(rate "$C_KCAT") |"
echo "| one record (\`echo x\` piped in), latency | $(ms "$L_RUNNEL") | $(ms "$L_KCAT") |"
