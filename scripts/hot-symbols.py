#!/usr/bin/env python3
"""Regenerates link/hot-symbols.txt: the functions and data a short command
touches, in the order it first touches them.

The release link places these first (lld's --symbol-ordering-file, passed by
build.rs), so a one-line `produce` or a `topic list` maps a few hundred
kilobytes of the executable instead of pages scattered over all of its text
(BENCHMARKS.md, "Startup: the code a short command runs, laid out together").

How: each command below runs once under valgrind's lackey tool, which logs
every instruction fetched and every address read or written; each address is
mapped to the symbol that holds it (`nm`). A symbol the file names that a
later build no longer has is skipped by the linker, so the file only goes
stale, never wrong: rerun this after changes to the start-up path.

Usage: scripts/hot-symbols.py [BINARY]   (default: the release build)
       scripts/hot-symbols.py --check [BINARY]
--check only counts how many of the file's names the binary has (all of
them when the file is current; it exits 1 below 90%, time to rerun).
Needs valgrind and nm (binutils).
"""
import bisect
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "link", "hot-symbols.txt")
DEFAULT_BINARY = os.path.join(ROOT, "target", "x86_64-unknown-linux-gnu", "release", "runnel")

# glibc picks one variant of memcpy, strlen... for the CPU it runs on, and
# valgrind's virtual CPU is not the machine's: keep every variant of a
# routine whose one variant ran together.
IFUNC_VARIANT = re.compile(r"^(__\w+?)_(sse2|ssse3|sse4_1|sse4_2|avx|avx2|evex|evex512|avx512)")

# The short commands whose start-up is laid out together, most latency-bound
# first: each is (arguments after --data-dir DIR, standard input).
COMMANDS = [
    (["-q", "produce", "t"], b'{"a":1}\n'),
    (["-q", "produce", "t", "--key-field", "id"], b'{"id":"k1","a":1}\n'),
    (["topic", "list"], b""),
    (["topic", "describe", "t"], b""),
    (["consume", "t", "-n", "2"], b""),
    (["consume", "t", "-n", "2", "--format", "json"], b""),
    (["-q", "consume", "t", "--group", "g", "-n", "1"], b""),
    (["group", "list"], b""),
    (["group", "describe", "g"], b""),
    (["metadata"], b""),
]


def symbols(binary):
    """(start, end, name) of every sized symbol, sorted by address."""
    out = subprocess.run(["nm", "-S", "-n", "--defined-only", binary], capture_output=True, text=True, check=True)
    table = []
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) != 4 or int(fields[1], 16) == 0:
            continue
        start = int(fields[0], 16)
        table.append((start, start + int(fields[1], 16), fields[3]))
    table.sort()
    return table


def touched(trace, table, starts, seen, order):
    """Appends to `order` each symbol the lackey trace touches first time."""
    with open(trace) as lines:
        for line in lines:
            # "I  0040a1b2,3" (fetch) or " L 1fff0006a8,8" (load, store, modify)
            if len(line) < 4 or line[0] not in " I":
                continue
            try:
                address = int(line[3:].split(",", 1)[0], 16)
            except ValueError:
                continue
            i = bisect.bisect_right(starts, address) - 1
            if i < 0:
                continue
            start, end, name = table[i]
            if address < end and name not in seen:
                seen.add(name)
                order.append(name)


def check(binary):
    """Reports how many of the file's names `binary` has; exit 1 below 90%."""
    with open(OUT) as listed:
        wanted = [name.strip() for name in listed if name.strip()]
    present = {name for _, _, name in symbols(binary)}
    found = sum(name in present for name in wanted)
    print(f"hot-symbols: {found} of {len(wanted)} names in {binary}")
    if found < 0.9 * len(wanted):
        sys.exit("hot-symbols: the file is stale: run scripts/hot-symbols.py on this build, then rebuild")


def main():
    args = sys.argv[1:]
    checking = bool(args) and args[0] == "--check"
    if checking:
        args = args[1:]
    binary = args[0] if args else DEFAULT_BINARY
    for tool in ("nm",) if checking else ("valgrind", "nm"):
        if shutil.which(tool) is None:
            sys.exit(f"hot-symbols: {tool} is not installed (apt-get install valgrind binutils)")
    if not os.path.exists(binary):
        sys.exit(f"hot-symbols: no binary at {binary}: run `cargo build --release` first")
    if checking:
        return check(binary)
    table = symbols(binary)
    starts = [start for start, _, _ in table]
    seen, order = set(), []
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "data")
        subprocess.run([binary, "--data-dir", data, "-q", "topic", "create", "t", "--partitions", "2"], check=True)
        subprocess.run([binary, "--data-dir", data, "-q", "produce", "t"], input=b"a\nb\nc\n", check=True)
        for i, (args, stdin) in enumerate(COMMANDS):
            trace = os.path.join(work, f"trace-{i}")
            subprocess.run(
                ["valgrind", "--tool=lackey", "--trace-mem=yes", f"--log-file={trace}", binary, "--data-dir", data]
                + args,
                input=stdin,
                stdout=subprocess.DEVNULL,
                check=True,
            )
            touched(trace, table, starts, seen, order)
            os.remove(trace)
    bases = {m.group(1) for m in map(IFUNC_VARIANT.match, order) if m}
    for _, _, name in table:
        m = IFUNC_VARIANT.match(name)
        if m and m.group(1) in bases and name not in seen:
            seen.add(name)
            order.append(name)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        out.writelines(name + "\n" for name in order)
    print(f"hot-symbols: {len(order)} symbols written to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
