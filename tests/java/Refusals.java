// What Apache Kafka's Java clients see from `runnel serve` for what it does not do
// (tests/it/serve_refusals.rs). Runs as a single-file program on Kafka's classpath:
//
//   java -cp CLASSPATH Refusals.java BOOTSTRAP TOPIC COUNT
//
// TOPIC holds COUNT records. Prints one line per check, "<check> <outcome>", where the
// outcome is "ok ..." or the exception's class name and message; every call has a
// deadline, so the program ends whatever the server does.

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Refusals {
    interface Check {
        String run() throws Exception;
    }

    static void check(String name, Check check) {
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = "ok " + check.run();
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause instanceof java.util.concurrent.ExecutionException) {
                cause = cause.getCause();
            }
            outcome = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println(name + " " + outcome.replace('\n', ' '));
        System.err.println(name + " took " + ms + " ms");
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int count = Integer.parseInt(args[2]);

        check("transactional-producer", () -> {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("transactional.id", "refused-tx");
            p.put("max.block.ms", "30000");
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "in a transaction")).get(30, TimeUnit.SECONDS);
                producer.commitTransaction();
                return "committed";
            }
        });

        check("read-committed-consumer", () -> {
            Properties c = new Properties();
            c.put("bootstrap.servers", bootstrap);
            c.put("isolation.level", "read_committed");
            c.put("key.deserializer", StringDeserializer.class.getName());
            c.put("value.deserializer", StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                TopicPartition tp = new TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                int seen = 0;
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen < count && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen++;
                    }
                }
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                return "read " + seen + " end " + end;
            }
        });

        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(a)) {
            check("describe-acls", () -> "" + admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            check("create-acls", () -> {
                AclBinding binding = new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
                admin.createAcls(List.of(binding)).all().get(30, TimeUnit.SECONDS);
                return "created";
            });
            check("describe-client-quotas", () ->
                    "" + admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get(30, TimeUnit.SECONDS).size());
            check("alter-client-quotas", () -> {
                ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "app"));
                ClientQuotaAlteration change = new ClientQuotaAlteration(entity,
                        List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0)));
                admin.alterClientQuotas(List.of(change)).all().get(30, TimeUnit.SECONDS);
                return "altered";
            });
            check("describe-cluster", () -> {
                DescribeClusterResult cluster = admin.describeCluster();
                return cluster.nodes().get(30, TimeUnit.SECONDS).size() + " nodes, controller "
                        + cluster.controller().get(30, TimeUnit.SECONDS).id() + ", id "
                        + cluster.clusterId().get(30, TimeUnit.SECONDS);
            });
            check("describe-log-dirs", () -> {
                Map<Integer, Map<String, LogDirDescription>> dirs =
                        admin.describeLogDirs(List.of(0)).allDescriptions().get(30, TimeUnit.SECONDS);
                long bytes = 0;
                int replicas = 0;
                for (LogDirDescription dir : dirs.get(0).values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(topic)) {
                            replicas++;
                            bytes += e.getValue().size();
                        }
                    }
                }
                return dirs.get(0).size() + " dirs, " + replicas + " replicas of " + topic + ", "
                        + (bytes > 0 ? "bytes > 0" : "no bytes");
            });
            check("list-transactions", () -> "" + admin.listTransactions().all().get(30, TimeUnit.SECONDS).size());
            check("describe-transactions", () -> "" + admin.describeTransactions(List.of("refused-tx")).all()
                    .get(30, TimeUnit.SECONDS));
        }
    }
}
