// A Kafka consumer in a group, for runnel's tests of `runnel serve`'s group coordinator
// (tests/it/serve_groups.rs). Runs as a single-file program on Kafka's classpath
// (scripts/kafka-cluster.sh classpath):
//
//   java -cp CLASSPATH GroupConsumer.java BOOTSTRAP GROUP TOPIC [STRATEGY]
//
// STRATEGY: range | roundrobin | sticky | cooperative-sticky | all-to-first (default: the
// client's own, range then cooperative-sticky). all-to-first is an assignor of this program's
// own (AllToFirst below): the member whose id sorts first gets every partition, which no
// assignor of Kafka's (or runnel's) would do, so the group's leader must be a client. Prints "<partition> <offset>" per record on stdout,
// commits synchronously after each poll that returned records, and on SIGTERM commits,
// leaves the group (close) and exits 0. Assignments are printed on stderr.

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class GroupConsumer {
    /// Every partition to the member whose id sorts first; each member's subscription carries
    /// its user data ("from <client id>"), which the leader prints as it assigns.
    public static class AllToFirst implements ConsumerPartitionAssignor {
        public String name() {
            return "all-to-first";
        }

        public ByteBuffer subscriptionUserData(Set<String> topics) {
            return ByteBuffer.wrap("from java-consumer".getBytes(StandardCharsets.UTF_8));
        }

        public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
            Map<String, Subscription> subscriptions = group.groupSubscription();
            List<String> members = new ArrayList<>(subscriptions.keySet());
            Collections.sort(members);
            Set<String> topics = new TreeSet<>();
            for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
                topics.addAll(e.getValue().topics());
                ByteBuffer data = e.getValue().userData();
                String text = data == null ? "none" : StandardCharsets.UTF_8.decode(data.duplicate()).toString();
                System.err.println("leader saw user data " + text);
            }
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : metadata.partitionsForTopic(topic)) {
                    all.add(new TopicPartition(topic, p.partition()));
                }
            }
            Map<String, Assignment> out = new HashMap<>();
            for (int i = 0; i < members.size(); i++) {
                out.put(members.get(i), new Assignment(i == 0 ? all : List.of()));
            }
            System.err.println("all-to-first gave " + all.size() + " partitions to " + members.size() + " members");
            return new GroupAssignment(out);
        }
    }

    static String assignor(String name) {
        switch (name) {
            case "range": return "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin": return "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "sticky": return "org.apache.kafka.clients.consumer.StickyAssignor";
            case "cooperative-sticky": return "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
            default: throw new IllegalArgumentException("unknown strategy " + name);
        }
    }

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("group.id", args[1]);
        props.put("client.id", "java-consumer");
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("heartbeat.interval.ms", "200");
        props.put("session.timeout.ms", "10000");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        if (args.length > 3 && args[3].equals("all-to-first")) {
            props.put("partition.assignment.strategy", List.of(AllToFirst.class));
        } else if (args.length > 3) {
            props.put("partition.assignment.strategy", assignor(args[3]));
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                main.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                System.err.println("revoked " + partitions);
            }

            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                System.err.println("assigned " + partitions);
            }
        });
        try {
            while (true) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    System.out.println(r.partition() + " " + r.offset());
                }
                System.out.flush();
                if (!records.isEmpty()) {
                    try {
                        consumer.commitSync();
                    } catch (RebalanceInProgressException | CommitFailedException e) {
                        // Read again by the partitions' next owner: at-least-once, as Kafka.
                        System.err.println("commit refused: " + e);
                    }
                }
            }
        } catch (WakeupException e) {
            // SIGTERM: leave below.
        } finally {
            consumer.close();
        }
    }
}
