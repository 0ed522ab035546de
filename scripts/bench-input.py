#!/usr/bin/env python3
"""The bench input of scripts/bench.sh, bench-kafka.sh and bench-peers.sh.

Usage: bench-input.py N DIR [lines|json|envelopes]...   (default: all three)

Writes N keyed JSON-ish records, 1000 distinct keys (car-0 .. car-999), as
  DIR/lines.txt       car-N:{"car_id":"car-N","ride":I,...}   (--key-separator :)
  DIR/json.txt        the values alone, one a line            (--key-field car_id)
  DIR/envelopes.json  {"key":"car-N","value":"..."} lines     (--format json)
"""
import json
import sys

n, work = int(sys.argv[1]), sys.argv[2]
kinds = sys.argv[3:] or ["lines", "json", "envelopes"]
names = {"lines": "lines.txt", "json": "json.txt", "envelopes": "envelopes.json"}
files = {k: open(f"{work}/{names[k]}", "w") for k in kinds}
lines, js, env = files.get("lines"), files.get("json"), files.get("envelopes")
for i in range(n):
    car = f"car-{i % 1000}"
    value = f'{{"car_id":"{car}","ride":{i},"km":12.5,"city":"Lisbon","fare":{{"eur":7.25}}}}'
    if lines:
        lines.write(f"{car}:{value}\n")
    if js:
        js.write(f"{value}\n")
    if env:
        env.write(json.dumps({"key": car, "value": value}, separators=(",", ":")) + "\n")
for f in files.values():
    f.close()
