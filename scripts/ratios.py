"""The ratios of issue #20, each measured side by side in one run, the two
sides alternated so that a machine getting faster or slower shifts both:
small invocations against the machine's floor (`dd ... fdatasync`,
`/bin/true`), alone and eight loops at once, the JSON paths against the plain
ones on the same input, and 1000 partitions against 6.
Usage: python3 scripts/ratios.py RUNNEL WORK_DIR INPUT_DIR [ROUNDS]
WORK_DIR is where the data dirs go (a disk folder, or one on tmpfs);
INPUT_DIR holds lines.txt, json.txt and envelopes.json (scripts/bench.sh
writes them)."""
import concurrent.futures
import os
import shutil
import statistics
import subprocess
import sys
import time

runnel, work, inputs = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
os.makedirs(work, exist_ok=True)
data = os.path.join(work, "ratios-data")


def warm(path):
    """Reads `path` once, so that the timed run finds it in the page cache:
    this machine's proactive reclaim (kdamond) drops pages of a file left
    unread for a few seconds, and a run that read part of its input from
    the disk would be timed on that."""
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass


def run(argv, stdin=None, stdout=subprocess.DEVNULL):
    """Wall time of one process, in ms (its input file read beforehand)."""
    if stdin:
        warm(stdin)
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as inp:
        t0 = time.perf_counter()
        subprocess.run(argv, stdin=inp, stdout=stdout, check=True)
        return (time.perf_counter() - t0) * 1000


def fresh(partitions=6):
    shutil.rmtree(data, ignore_errors=True)
    subprocess.run([runnel, "--data-dir", data, "-q", "topic", "create", "t", "--partitions", str(partitions)], check=True)


def alternate(cases, n, setup=None):
    """Median ms of each case, the cases run in turn n times."""
    times = {name: [] for name in cases}
    for _ in range(n):
        for name, (argv, stdin) in cases.items():
            if setup:
                setup()
            times[name].append(run(argv, stdin))
    return {name: statistics.median(t) for name, t in times.items()}


def line(what, ratio, target, better_below):
    met = ratio <= target if better_below else ratio >= target
    sign = "<=" if better_below else ">="
    print(f"  {what:<58} {ratio:5.2f}x  (target {sign} {target}x: {'met' if met else 'NOT met'})")


print(f"ratios in {work}")
# Small invocations: one durable message per process, and a read-only command.
one = os.path.join(work, "one-line")
with open(one, "w") as f:
    f.write('{"car_id":"car-1","ride":1}\n')
dd_out = os.path.join(work, "dd-out")
fresh()
small = alternate(
    {
        "produce": ([runnel, "--data-dir", data, "-q", "produce", "t"], one),
        "dd": (["dd", f"if={one}", f"of={dd_out}", "oflag=append", "conv=notrunc,fdatasync", "status=none"], None),
        "list": ([runnel, "--data-dir", data, "topic", "list"], None),
        "true": (["/bin/true"], None),
    },
    40 * rounds,
)
print(f"  one-message produce {small['produce']:.2f} ms, dd fdatasync {small['dd']:.2f} ms, "
      f"topic list {small['list']:.2f} ms, /bin/true {small['true']:.2f} ms (medians)")
line("produce t < one-line-file vs dd ... conv=notrunc,fdatasync", small["produce"] / small["dd"], 1.5, True)
line("topic list vs /bin/true", small["list"] / small["true"], 2.0, True)

# Eight concurrent loops of one-message producers on one partition against
# eight loops of `dd ... fdatasync` appending to one file: invocations per
# second in all, each invocation durable at its exit (group commit).
def loops(command, n):
    """Wall ms of eight concurrent shell loops of `command`, n times each."""
    script = f"for j in 1 2 3 4 5 6 7 8; do ( for i in $(seq {n}); do {command} || exit 1; done ) & done; wait"
    t0 = time.perf_counter()
    subprocess.run(["bash", "-c", script], check=True)
    return (time.perf_counter() - t0) * 1000


fresh(partitions=1)
per_loop = 10 * rounds
eight = {"produce": [], "dd": []}
for _ in range(3):
    eight["produce"].append(loops(f"'{runnel}' --data-dir '{data}' -q produce t < '{one}'", per_loop))
    eight["dd"].append(loops(f"dd if='{one}' of='{dd_out}' oflag=append conv=notrunc,fdatasync status=none", per_loop))
rate = {k: 8 * per_loop / (statistics.median(v) / 1000) for k, v in eight.items()}
print(f"  eight loops of one-message produce {rate['produce']:.0f}/s, of dd fdatasync {rate['dd']:.0f}/s "
      f"({8 * per_loop} invocations each, median of 3 alternated)")
line("8 concurrent produce loops vs 8 dd ... fdatasync loops (rate)", rate["produce"] / rate["dd"], 0.8, False)

# JSON lines: --key-field against --key-separator on the same records.
lines, json_lines, envelopes = (os.path.join(inputs, n) for n in ("lines.txt", "json.txt", "envelopes.json"))
produce = [runnel, "--data-dir", data, "-q", "produce", "t"]
bulk = alternate(
    {
        "separator": (produce + ["--key-separator", ":"], lines),
        "field": (produce + ["--key-field", "car_id"], json_lines),
        "envelopes": (produce + ["--format", "json"], envelopes),
    },
    rounds,
    setup=fresh,
)
print(f"  produce --key-separator {bulk['separator']:.0f} ms, --key-field {bulk['field']:.0f} ms, "
      f"--format json {bulk['envelopes']:.0f} ms")
line("produce --key-field vs --key-separator (speed)", bulk["separator"] / bulk["field"], 0.6, False)
print(f"  {'produce --format json envelopes vs --key-separator (speed)':<58} {bulk['separator'] / bulk['envelopes']:5.2f}x")

# The same lines through a pipe, as the shell gives them (`cat | produce`):
# the pipe is widened once it comes full (src/sys/pipe.rs). No target.
piped_cmd = f"cat '{lines}' | '{runnel}' --data-dir '{data}' -q produce t --key-separator :"
piped = alternate(
    {"file": (produce + ["--key-separator", ":"], lines), "pipe": (["bash", "-c", piped_cmd], None)},
    rounds,
    setup=lambda: (fresh(), warm(lines)),
)
print(f"  produce --key-separator < file {piped['file']:.0f} ms, cat file | produce {piped['pipe']:.0f} ms")
print(f"  {'produce from a pipe vs from the file (speed)':<58} {piped['file'] / piped['pipe']:5.2f}x")

# 1000 partitions against 6: the same keyed lines, the two runs alternated.
wide = {6: [], 1000: []}
for _ in range(rounds):
    for partitions in wide:
        fresh(partitions)
        subprocess.run(["sync"], check=True)  # as the machine's runs below start
        wide[partitions].append(run(produce + ["--key-separator", ":"], lines))
six, thousand = statistics.median(wide[6]), statistics.median(wide[1000])
print(f"  produce --key-separator to 6 partitions {six:.0f} ms, to 1000 partitions {thousand:.0f} ms")
line("produce to 1000 partitions vs to 6 (speed)", six / thousand, 0.5, False)


def spread(data, files):
    """Wall ms of the machine writing `data` into `files` files, 16 KiB at
    a time in turn, and fdatasync-ing them (64 at once). The files exist
    beforehand, as `topic create` makes the partitions' segments: creating
    a file costs 0.4-0.8 ms on this disk, which neither side pays."""
    folder = os.path.join(work, "spread")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for i in range(files):
        open(os.path.join(folder, str(i)), "wb").close()
    subprocess.run(["sync"], check=True)
    t0 = time.perf_counter()
    fds = [os.open(os.path.join(folder, str(i)), os.O_WRONLY) for i in range(files)]
    for n, at in enumerate(range(0, len(data), 16384)):
        os.write(fds[n % files], data[at : at + 16384])
    with concurrent.futures.ThreadPoolExecutor(64) as pool:
        list(pool.map(os.fdatasync, fds))
    for fd in fds:
        os.close(fd)
    ms = (time.perf_counter() - t0) * 1000
    shutil.rmtree(folder)
    return ms


def spread_as_runnel(files, piece):
    """Wall ms of `scripts/spread-floor.c`: the machine, in C, writing the
    bench bytes as runnel's producer does (`piece`-byte writes in turn,
    each file written back every 64 KiB, then 32 fdatasyncs at a time)."""
    folder = os.path.join(work, "spread")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    out = subprocess.run([floor_binary, folder, str(files), str(piece), lines], capture_output=True, text=True,
                         check=True)
    shutil.rmtree(folder)
    return float(out.stdout)


# The machine's own cost of spreading the same bytes: the bench keys land on
# 630 of the 1000 partitions.
with open(lines, "rb") as f:
    bench_bytes = f.read()
floor = {6: [], 630: []}
for _ in range(rounds):
    for files in floor:
        floor[files].append(spread(bench_bytes, files))
floor6, floor630 = statistics.median(floor[6]), statistics.median(floor[630])
print(f"  the machine: the same bytes in 16 KiB writes to 6 files {floor6:.0f} ms, to 630 files {floor630:.0f} ms, "
      f"fdatasync'd: {floor6 / floor630:.2f}x")
# The same bytes written as runnel writes them, in C (no interpreter between
# the system calls): 256 KiB frames at 6 partitions, 16 KiB at 1000.
floor_binary = os.path.join(work, "spread-floor")
source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spread-floor.c")
if shutil.which("cc") and subprocess.run(["cc", "-O2", "-pthread", source, "-o", floor_binary]).returncode == 0:
    floor = {6: [], 630: []}
    for _ in range(rounds):
        for files in floor:
            floor[files].append(spread_as_runnel(files, 262144 if files == 6 else 16384))
    floor6, floor630 = statistics.median(floor[6]), statistics.median(floor[630])
    print(f"  the machine, in C, writing as runnel writes (256 KiB to 6 files, 16 KiB to 630, written back every "
          f"64 KiB): {floor6:.0f} ms, {floor630:.0f} ms: {floor6 / floor630:.2f}x")
else:
    print("  the machine writing as runnel writes: skipped (no C compiler `cc`)")

fresh()
subprocess.run(produce + ["--key-separator", ":"], stdin=open(lines, "rb"), check=True)
consume = [runnel, "--data-dir", data, "-q", "consume", "t", "--format"]


def piped_to_cat(source):
    """A case of `alternate`: `source` (shell words) piped into `cat`."""
    return (["bash", "-c", f"{source} | cat > /dev/null"], None)


quoted = " ".join(f"'{word}'" for word in consume)
# A run takes ~0.1 s, and this machine's pipe has outliers of 2-5x that come
# and go for seconds (BENCHMARKS.md): at least 15 rounds, so that a median
# does not land on them.
def warm_data():
    """Reads every file of the data dir, as `run` reads a produce's input:
    the kernel's proactive reclaim drops a few percent of the logs' pages
    within a minute here, and a consume would read those from the disk."""
    for folder, _, names in os.walk(data):
        for name in names:
            warm(os.path.join(folder, name))


out = alternate({fmt: piped_to_cat(f"{quoted} {fmt}") for fmt in ("value", "json")}, max(rounds, 15), warm_data)
value, js = out["value"], out["json"]
print(f"  consume --format value | cat {value:.0f} ms, --format json | cat {js:.0f} ms")
line("consume --format json vs --format value (speed)", value / js, 0.5, False)

# The machine moving the same bytes through the same pipe: the two outputs,
# saved to tmpfs, `cat FILE | cat`. JSON's envelope makes its output ~2.5x
# the values' bytes, and a pipe costs per byte.
saved = {}
for fmt in ("value", "json"):
    saved[fmt] = os.path.join("/dev/shm", f"runnel-ratios-{os.getpid()}.{fmt}")
    with open(saved[fmt], "wb") as f:
        subprocess.run(consume + [fmt], stdout=f, check=True)
piped = alternate({fmt: piped_to_cat(f"cat '{path}'") for fmt, path in saved.items()}, max(rounds, 15))
for path in saved.values():
    os.remove(path)
cat_value, cat_json = piped["value"], piped["json"]
print(f"  the machine: cat FILE | cat, the value bytes {cat_value:.0f} ms, the JSON bytes {cat_json:.0f} ms: "
      f"{cat_value / cat_json:.2f}x")
shutil.rmtree(data, ignore_errors=True)
