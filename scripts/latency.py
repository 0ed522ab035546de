"""End-to-end latency: a line written into a running `runnel produce` until
a `runnel consume --follow` in another process prints it.
Usage: python3 scripts/latency.py RUNNEL DATA_DIR [COUNT]"""
import statistics
import subprocess
import sys
import time

runnel, data_dir = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 500
base = [runnel, "--data-dir", data_dir, "-q"]
subprocess.run(base + ["topic", "create", "lat", "--partitions", "1"], check=False, capture_output=True)
consumer = subprocess.Popen(base + ["consume", "lat", "--from", "end", "--follow"], stdout=subprocess.PIPE, bufsize=0)
producer = subprocess.Popen(base + ["produce", "lat", "--acks", "1"], stdin=subprocess.PIPE, bufsize=0)
time.sleep(0.5)
latencies = []
for i in range(count):
    line = f"{i}\n".encode()
    t0 = time.perf_counter()
    producer.stdin.write(line)
    got = consumer.stdout.readline()
    latencies.append((time.perf_counter() - t0) * 1000)
    assert got == line, (got, line)
    time.sleep(0.002)
producer.stdin.close()
producer.wait()
consumer.kill()
latencies.sort()
p99 = latencies[int(len(latencies) * 0.99) - 1]
print(f"{'end to end, produce -> consume --follow':<46} median {statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms")
