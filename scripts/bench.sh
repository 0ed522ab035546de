#!/usr/bin/env bash
# Whole-process benchmarks of runnel, side by side with cat/sync baselines
# measured in the same run. Prints a table of msgs/s, MB/s and the ratio to
# the baseline, then the ratios of issue #20 (scripts/ratios.py), on the
# disk and on tmpfs. Usage: scripts/bench.sh [MESSAGES]   (default 1000000)
# ONLY_RATIOS=1 skips the table; ONLY_PIPELINES=1 runs only the pipelines
# rows (consume --exec against consume | cat, --to against consume | produce).
# Needs: a release build (it runs `cargo build --release`), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${RUNS:-3}
cargo build --release --quiet
R=$PWD/target/x86_64-unknown-linux-gnu/release/runnel
WORK=$(mktemp -d "${TMPDIR:-/tmp}/runnel-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

python3 scripts/bench-input.py "$N" "$WORK"
BYTES=$(stat -c %s "$WORK/lines.txt")

now() { date +%s%N; }
# median of RUNS timings (ns) of a shell snippet; $1 = setup snippet run before each timing
median() {
  local setup=$1 body=$2 times=() t0 t1
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    t0=$(now); eval "$body"; t1=$(now)
    times+=($((t1 - t0)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
row() { # name ns messages baseline_ns
  python3 -c "
import sys
name, ns, msgs, bytes_, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = ns / 1e9
ratio = f'{base / ns:.2f}x' if base else '-'
print(f'{name:<46} {msgs / s / 1e6:>8.2f} M/s {bytes_ / s / 1e6:>9.1f} MB/s {ratio:>8}')
" "$@"
}
# A fresh data dir, and the disk settled (no write-back of an earlier run
# competing with the one measured).
fresh() { rm -rf "$WORK/d"; "$R" --data-dir "$WORK/d" -q init --brokers "${1:-1}"; "$R" --data-dir "$WORK/d" -q topic create t --partitions "${2:-6}" --replication-factor "${3:-1}"; sync; }

# The ratios: small invocations against dd/true, JSON against the plain
# paths; each on the disk and on tmpfs (software cost alone), each against
# its own baseline measured alternately in the same run.
ratios() {
  python3 "$PWD/scripts/ratios.py" "$R" "$WORK/disk" "$WORK" "$RUNS"
  if [ -d /dev/shm ]; then
    SHM=$(mktemp -d /dev/shm/runnel-bench.XXXXXX)
    python3 "$PWD/scripts/ratios.py" "$R" "$SHM" "$WORK" "$RUNS"
    rm -rf "$SHM"
  fi
}
if [ -n "${ONLY_RATIOS:-}" ]; then ratios; exit 0; fi

# Pipelines (issue 19): a group through `--exec cat --batch 1000` against a
# plain `consume --group | cat`, and `--exec cat --to` (exactly once) against
# `consume --group | produce` (at least once), each from a fresh group.
pipelines() {
  fresh 1 6 1; "$R" --data-dir "$WORK/d" -q produce t --key-separator : < "$WORK/lines.txt"
  "$R" --data-dir "$WORK/d" -q topic create out --partitions 6
  sync
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G | cat > /dev/null")
  row "consume --group G | cat" "$T" "$N" "$BYTES" 0
  B=$T
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G --exec cat --batch 1000 > /dev/null")
  row "consume --group G --exec cat --batch 1000" "$T" "$N" "$BYTES" "$B"
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G --exec cat --batch 1000 --parallel 2 > /dev/null")
  row "  the same, --parallel 2" "$T" "$N" "$BYTES" "$B"
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G --exec 'cat;' --batch 1000 > /dev/null")
  row "  the same through sh -c ('cat;')" "$T" "$N" "$BYTES" "$B"
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G | $R --data-dir $WORK/d -q produce out")
  row "consume --group G | produce out" "$T" "$N" "$BYTES" 0
  B=$T
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G --exec cat --batch 1000 --to out")
  row "consume --group G --exec cat --batch 1000 --to out" "$T" "$N" "$BYTES" "$B"
  T=$(median "G=g\$RANDOM" "$R --data-dir $WORK/d -q consume t --group \$G --exec cat --batch 10000 --to out")
  row "  the same, --batch 10000" "$T" "$N" "$BYTES" "$B"
}
if [ -n "${ONLY_PIPELINES:-}" ]; then
  echo "pipelines: $N messages, median of $RUNS runs; vs: the plain pipe's rate"
  pipelines
  exit 0
fi

echo "runnel benchmarks: $N messages, $((BYTES / N)) bytes/line avg, median of $RUNS runs"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r)"
printf '%-46s %12s %14s %8s\n' "what" "messages/s" "bytes/s" "vs base"

W=$(median "rm -f $WORK/copy; sync" "cat $WORK/lines.txt > $WORK/copy && sync")
row "baseline: cat input > file && sync" "$W" "$N" "$BYTES" 0
C=$(median ":" "cat $WORK/copy > /dev/null")
row "baseline: cat file > /dev/null" "$C" "$N" "$BYTES" 0

T=$(median "fresh 1 6 1" "$R --data-dir $WORK/d -q produce t --key-separator : < $WORK/lines.txt")
row "produce lines --key-separator, 6 p, RF 1" "$T" "$N" "$BYTES" "$W"
T=$(median "fresh 3 6 3" "$R --data-dir $WORK/d -q produce t --key-separator : < $WORK/lines.txt")
row "produce lines, 6 p, RF 3 on 3 brokers" "$T" "$N" "$BYTES" "$W"
T=$(median "fresh 1 6 1" "$R --data-dir $WORK/d -q produce t --format json < $WORK/envelopes.json")
row "produce --format json envelopes, 6 p" "$T" "$N" "$BYTES" "$W"
# Scaling: 1000 partitions against 6, the two runs alternated so that a
# machine getting faster or slower in between shifts both alike.
SIX=(); WIDE=()
for _ in $(seq "$RUNS"); do
  for p in 6 1000; do
    fresh 1 "$p" 1
    t0=$(now); "$R" --data-dir "$WORK/d" -q produce t --key-separator : < "$WORK/lines.txt"; t1=$(now)
    if [ "$p" = 6 ]; then SIX+=($((t1 - t0))); else WIDE+=($((t1 - t0))); fi
  done
done
mid() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
T6=$(mid "${SIX[@]}"); T=$(mid "${WIDE[@]}")
row "produce lines, 1000 partitions" "$T" "$N" "$BYTES" "$W"
echo "  1000 partitions at $((100 * T6 / T))% of the 6-partition rate (runs alternated: $((T / 1000000)) vs $((T6 / 1000000)) ms)"

fresh 1 6 1; "$R" --data-dir "$WORK/d" -q produce t --key-separator : < "$WORK/lines.txt"
sync
T=$(median "sync" "$R --data-dir $WORK/d -q consume t | cat > /dev/null")
row "consume --format value | cat" "$T" "$N" "$BYTES" "$C"
T=$(median "sync" "$R --data-dir $WORK/d -q consume t --format json | cat > /dev/null")
row "consume --format json | cat" "$T" "$N" "$BYTES" "$C"
if "$R" consume --help | grep -q -- '--group'; then
  T=$(median "G=g\$RANDOM" "( $R --data-dir $WORK/d -q consume t --group \$G --format json > /dev/null & $R --data-dir $WORK/d -q consume t --group \$G --format json > /dev/null; wait )")
  row "group of 2 members, --format json, commits" "$T" "$N" "$BYTES" "$C"
fi

pipelines

# One message per process, durable: median per invocation.
fresh 1 6 1
python3 - "$R" "$WORK/d" <<'PY'
import subprocess, sys, time, statistics
r, d = sys.argv[1], sys.argv[2]
times = []
for i in range(200):
    t0 = time.perf_counter()
    subprocess.run([r, "--data-dir", d, "-q", "produce", "t"], input=b"x\n", check=True)
    times.append((time.perf_counter() - t0) * 1000)
print(f"{'echo x | runnel produce t (one process each)':<46} median {statistics.median(times):.2f} ms, p99 {sorted(times)[197]:.2f} ms")
PY

# End to end: a long-lived producer and a --follow consumer.
python3 "$PWD/scripts/latency.py" "$R" "$WORK/d"

# Opening a partition with 100 segments costs what opening one with 1 does:
# one message produced (durably) and one read from the end, each a process.
rm -rf "$WORK/segs"
"$R" --data-dir "$WORK/segs" -q topic create many --config segment.bytes=1048576
"$R" --data-dir "$WORK/segs" -q topic create one
"$R" --data-dir "$WORK/segs" -q produce many --key-separator : < "$WORK/lines.txt"
python3 - "$R" "$WORK/segs" <<'PY'
import glob, subprocess, sys, time, statistics
r, d = sys.argv[1], sys.argv[2]
segments = len(glob.glob(f"{d}/broker-0/many-0/*.log"))
for topic in ["one", "many"]:
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        subprocess.run([r, "--data-dir", d, "-q", "produce", topic], input=b"x\n", check=True)
        subprocess.run([r, "--data-dir", d, "-q", "consume", topic, "--from", "-1"], check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    label = f"produce 1 + consume 1, {segments if topic == 'many' else 1} segment(s)"
    print(f"{label:<46} median {statistics.median(times):.2f} ms")
PY

# Scaling: describe 10,000 partitions; memory of a large produce.
rm -rf "$WORK/big"; "$R" --data-dir "$WORK/big" -q topic create wide --partitions 10000
T=$(median ":" "$R --data-dir $WORK/big topic describe wide > /dev/null")
echo "topic describe of 10000 partitions: $((T / 1000000)) ms"
fresh 1 6 1
for _ in 1 2 3 4 5; do cat "$WORK/lines.txt"; done > "$WORK/lines5.txt"
RSS=$( { /usr/bin/time -f '%M' "$R" --data-dir "$WORK/d" -q produce t --key-separator : < "$WORK/lines5.txt"; } 2>&1 | tail -1)
echo "peak RSS producing $(( $(stat -c %s "$WORK/lines5.txt") / 1000000 )) MB: $((RSS / 1024)) MiB"

ratios
