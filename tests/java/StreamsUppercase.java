// A Kafka Streams application, for runnel's tests of `runnel serve` (tests/it/serve_groups.rs):
// Kafka Streams' group runs its own assignor (`stream`), which the group's leader, a client,
// computes. Runs as a single-file program on Kafka's classpath (scripts/kafka-cluster.sh
// classpath, which has kafka-streams):
//
//   java -cp CLASSPATH StreamsUppercase.java BOOTSTRAP APPLICATION_ID INPUT OUTPUT STATE_DIR
//
// Writes each record of INPUT to OUTPUT with its key and its value upper-cased. Prints its
// state changes on stderr ("state RUNNING") and, at each assignment, "tasks N" (its active
// tasks); on SIGTERM closes (committing) and exits 0.

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

public class StreamsUppercase {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 200);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10000);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[2], Consumed.with(Serdes.String(), Serdes.String()))
            .mapValues(v -> v.toUpperCase())
            .to(args[3], Produced.with(Serdes.String(), Serdes.String()));
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.setStateListener((now, before) -> {
            System.err.println("state " + now);
            if (now == KafkaStreams.State.RUNNING) {
                System.err.println("tasks " + streams.metadataForLocalThreads().stream()
                    .mapToInt(t -> t.activeTasks().size()).sum());
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            System.err.println("failed: " + e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(20));
            closed.countDown();
        }));
        streams.start();
        closed.await();
    }
}
