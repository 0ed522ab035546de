"""A kafka-python consumer in a group, for runnel's tests of `runnel serve`'s group
coordinator (tests/it/serve_groups.rs):

    python3 group_consumer.py BOOTSTRAP GROUP TOPIC

Prints "<partition> <offset>" per record on stdout, commits after each poll that
returned records, and on SIGTERM leaves the group (close) and exits 0.
"""

import signal
import sys

from kafka import KafkaConsumer
from kafka.errors import CommitFailedError

stopping = False


def stop(_signum, _frame):
    global stopping
    stopping = True


def main():
    bootstrap, group, topic = sys.argv[1:4]
    signal.signal(signal.SIGTERM, stop)
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="python-consumer",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        heartbeat_interval_ms=200,
        session_timeout_ms=10000,
    )
    while not stopping:
        batches = consumer.poll(timeout_ms=100)
        for records in batches.values():
            for r in records:
                print(r.partition, r.offset)
        sys.stdout.flush()
        if batches:
            try:
                consumer.commit()
            except CommitFailedError as e:
                # Read again by the partitions' next owner: at-least-once, as Kafka.
                print("commit refused:", e, file=sys.stderr)
    consumer.close()


if __name__ == "__main__":
    main()
