"""A kafka-python consumer in a group, for runnel's tests of `runnel serve`'s group
coordinator (tests/it/serve_groups.rs):

    python3 group_consumer.py BOOTSTRAP GROUP TOPIC[,TOPIC...] [all-to-first]

Prints "<partition> <offset>" per record on stdout, commits after each poll that
returned records, and on SIGTERM leaves the group (close) and exits 0. With
`all-to-first`, the group's assignor is this program's own (AllToFirst, as
tests/java/GroupConsumer.java's): the member whose id sorts first gets every
partition. With GROUP_INSTANCE_ID set in the environment, the consumer is a
static member (KIP-345) of that instance id; fenced by a newer instance, it
prints "fenced" on stderr and exits 3.
"""

import logging
import os
import signal
import sys

from kafka import KafkaConsumer
from kafka.coordinator.assignors.abstract import (
    AbstractPartitionAssignor,
    ConsumerProtocolAssignment,
    ConsumerProtocolSubscription,
)
from kafka.errors import CommitFailedError, FencedInstanceIdError

stopping = False


class AllToFirst(AbstractPartitionAssignor):
    """Every partition to the member whose id sorts first."""

    name = "all-to-first"
    version = 0

    @classmethod
    def assign(cls, cluster, members):
        ids = sorted(m.member_id for m in members)
        topics = sorted({t for m in members for t in m.metadata.topics})
        everything = [(t, sorted(cluster.partitions_for_topic(t) or [])) for t in topics]
        print("all-to-first gave", sum(len(p) for _, p in everything), "partitions to",
              len(ids), "members", file=sys.stderr, flush=True)
        return {
            m: ConsumerProtocolAssignment(cls.version, everything if m == ids[0] else [], b"")
            for m in ids
        }

    @classmethod
    def metadata(cls, topics):
        return ConsumerProtocolSubscription(cls.version, list(topics), b"from python-consumer")

    @classmethod
    def on_assignment(cls, assignment, generation):
        pass


def take_join_in_flight(consumer):
    """Works around a kafka-python 3.0 bug (seen with 3.0.12; 2.x checked
    for it, dpkp/kafka-python#1695): when poll()'s timeout ends while a
    JoinGroup -> SyncGroup is in flight, the next poll() awaits it again only
    while the member still needs to rejoin. A leader rejoining because the
    topics' metadata changed stops needing to once it has assigned (its
    assignment snapshot now equals the metadata), so the SyncGroup's answer
    is never taken: the member keeps no partitions and sends no heartbeats
    (they are off during a join) until the coordinator evicts it, on a Kafka
    broker as on runnel serve. Asking for a rejoin makes the next poll()
    take the answer of the join in flight or, if that join has ended
    meanwhile, send a new JoinGroup: either way the member gets its
    assignment (one generation later in the second case)."""
    coordinator = getattr(consumer, "_coordinator", None)
    if getattr(coordinator, "_join_task", None) is not None and not coordinator.need_rejoin():
        print("a join in flight would be dropped: asking kafka-python to await it", file=sys.stderr, flush=True)
        coordinator.request_rejoin()


def stop(_signum, _frame):
    global stopping
    stopping = True


def main():
    # kafka-python's own view of the group (joins, generations, heartbeats
    # refused, rejoins) on stderr, which a failing test prints.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("kafka.coordinator").setLevel(logging.INFO)
    bootstrap, group, topic = sys.argv[1:4]
    signal.signal(signal.SIGTERM, stop)
    options = {}
    if sys.argv[4:] == ["all-to-first"]:
        options["partition_assignment_strategy"] = [AllToFirst]
    if os.environ.get("GROUP_INSTANCE_ID"):
        options["group_instance_id"] = os.environ["GROUP_INSTANCE_ID"]
    consumer = KafkaConsumer(
        *topic.split(","),
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="python-consumer",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        heartbeat_interval_ms=200,
        session_timeout_ms=10000,
        **options,
    )
    while not stopping:
        try:
            batches = consumer.poll(timeout_ms=100)
        except FencedInstanceIdError:
            print("fenced", file=sys.stderr, flush=True)
            sys.exit(3)
        take_join_in_flight(consumer)
        for records in batches.values():
            for r in records:
                print(r.partition, r.offset)
        sys.stdout.flush()
        if batches:
            try:
                consumer.commit()
            except FencedInstanceIdError:
                print("fenced", file=sys.stderr, flush=True)
                sys.exit(3)
            except CommitFailedError as e:
                # Read again by the partitions' next owner: at-least-once, as Kafka.
                print("commit refused:", e, file=sys.stderr)
    consumer.close()


if __name__ == "__main__":
    main()
