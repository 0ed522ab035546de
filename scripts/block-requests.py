"""What a command asked of the disk, request by request: runs COMMAND under
`perf record` of the block layer's issue and complete events (the whole
machine, so the kernel's own write-back threads count too) and prints, per
request kind, how many were issued, their sizes, and how long the device
took to complete them, with when the first and last of each kind started
(ms from the first request). Kinds are the block layer's flags: W a write,
WS a synchronous one (an fsync's data), WSM an fsync's metadata (an inode
block), FF a device cache flush, RA a read-ahead.
It needs root (or perf_event_paranoid -1) and perf. Example, one produce
into 1000 partitions of a fresh, synced topic:
  python3 scripts/block-requests.py -- runnel produce t --key-separator : < lines.txt
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

EVENT = re.compile(
    r"\s(?P<t>[\d.]+):\s+block:block_rq_(?P<ev>issue|complete): \S+ (?P<kind>\S+) (?:\d+ )?\(\) (?P<sector>\d+) \+ (?P<n>\d+)"
)
SIZES = [(8, "4K"), (32, "<=16K"), (128, "<=64K"), (512, "<=256K")]


def size_class(sectors):
    if sectors == 0:
        return "none"
    for limit, name in SIZES:
        if sectors <= limit:
            return name
    return ">256K"


def main():
    if "--" not in sys.argv:
        sys.exit("usage: block-requests.py -- COMMAND [ARGS...]")
    command = sys.argv[sys.argv.index("--") + 1 :]
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "perf.data")
        record = ["perf", "record", "-q", "-a", "-o", data, "-e", "block:block_rq_issue", "-e", "block:block_rq_complete"]
        status = subprocess.run(record + ["--"] + command).returncode
        script = subprocess.run(["perf", "script", "-i", data], capture_output=True, text=True).stdout
    issued = {}
    sizes = collections.defaultdict(collections.Counter)
    latencies = collections.defaultdict(list)
    for line in script.splitlines():
        m = EVENT.search(line)
        if not m:
            continue
        t, key = float(m["t"]), (m["sector"], m["n"])
        if m["ev"] == "issue":
            issued[key] = (t, m["kind"])
            sizes[m["kind"]][size_class(int(m["n"]))] += 1
        elif key in issued:
            start, kind = issued.pop(key)
            latencies[kind].append((start, (t - start) * 1000))
    if not latencies:
        sys.exit(f"no block requests recorded (command exit {status})")
    origin = min(start for done in latencies.values() for start, _ in done)
    print(f"command exit {status}")
    for kind in sorted(latencies):
        done = latencies[kind]
        ms = sorted(d for _, d in done)
        starts = [s for s, _ in done]
        by_size = " ".join(f"{k}:{v}" for k, v in sorted(sizes[kind].items()))
        print(
            f"{kind:4} {len(ms):5} done  median {ms[len(ms) // 2]:7.2f} ms  p90 {ms[int(len(ms) * 0.9)]:7.2f}  "
            f"max {ms[-1]:7.2f}  from {(min(starts) - origin) * 1000:6.0f} to {(max(starts) - origin) * 1000:6.0f} ms  "
            f"[{by_size}]"
        )


if __name__ == "__main__":
    main()
