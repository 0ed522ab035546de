// A Kafka consumer in a group, for runnel's tests of `runnel serve`'s group coordinator
// (tests/it/serve_groups.rs). Runs as a single-file program on Kafka's classpath
// (scripts/kafka-cluster.sh classpath):
//
//   java -cp CLASSPATH GroupConsumer.java BOOTSTRAP GROUP TOPIC [STRATEGY]
//
// STRATEGY: range | roundrobin | sticky | cooperative-sticky (default: the client's own,
// range then cooperative-sticky). Prints "<partition> <offset>" per record on stdout,
// commits synchronously after each poll that returned records, and on SIGTERM commits,
// leaves the group (close) and exits 0. Assignments are printed on stderr.

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class GroupConsumer {
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
        if (args.length > 3) {
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
