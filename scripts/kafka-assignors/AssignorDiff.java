// Runs Kafka's own StickyAssignor / CooperativeStickyAssignor (from the kafka-clients jar on
// the class path) on the cases read from stdin, one per line, and prints each assignment.
// Used by runnel's differential test of its assignors (src/consumer/assignors/tests/
// differential.rs); see that file for how to run it.
//
// Case:   STRATEGY;TOPICS;MEMBER;MEMBER...    STRATEGY: sticky | cooperative-sticky
//         TOPICS:  t1=3,t2=4   (or empty)
//         MEMBER:  id|t1,t2|t1#0,t2#3|GEN      (owned partitions, GEN a number or n for none)
// Output: id=t1#0,t2#3;id=...                  members and partitions in sorted order
//         or "error: ..." when Kafka's assignor throws
//
// Members are put into a HashMap in the order given (runnel gives them in member-id order).
// A member without a generation reports generation -1, which Kafka ranks the same.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor;
import org.apache.kafka.common.TopicPartition;

public class AssignorDiff {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringBuilder out = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) continue;
            String result;
            try {
                result = run(line);
            } catch (RuntimeException e) {
                result = "error: " + e;
            }
            out.append(result).append('\n');
        }
        System.out.print(out);
    }

    static List<TopicPartition> partitions(String spec) {
        List<TopicPartition> out = new ArrayList<>();
        if (spec.isEmpty()) return out;
        for (String tp : spec.split(",")) {
            int at = tp.lastIndexOf('#');
            out.add(new TopicPartition(tp.substring(0, at), Integer.parseInt(tp.substring(at + 1))));
        }
        return out;
    }

    static String run(String line) {
        String[] parts = line.split(";", -1);
        boolean cooperative = parts[0].equals("cooperative-sticky");
        AbstractStickyAssignor assignor = cooperative ? new CooperativeStickyAssignor() : new StickyAssignor();
        Map<String, Integer> partitionsPerTopic = new HashMap<>();
        if (!parts[1].isEmpty())
            for (String t : parts[1].split(",")) {
                String[] kv = t.split("=");
                partitionsPerTopic.put(kv[0], Integer.parseInt(kv[1]));
            }
        Map<String, Subscription> subscriptions = new HashMap<>();
        for (int i = 2; i < parts.length; i++) {
            String[] m = parts[i].split("\\|", -1);
            List<String> topics = m[1].isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(m[1].split(",")));
            List<TopicPartition> owned = partitions(m[2]);
            int generation = m[3].equals("n") ? AbstractStickyAssignor.DEFAULT_GENERATION : Integer.parseInt(m[3]);
            Subscription s;
            if (cooperative) {
                s = new Subscription(topics, null, owned, generation, Optional.empty());
            } else {
                // StickyAssignor reads owned partitions and generation from its user data.
                StickyAssignor encoder = new StickyAssignor();
                encoder.onAssignment(new Assignment(owned), new ConsumerGroupMetadata("g", generation, m[0], Optional.empty()));
                s = new Subscription(topics, encoder.subscriptionUserData(new HashSet<>(topics)), owned, generation, Optional.empty());
            }
            subscriptions.put(m[0], s);
        }
        Map<String, List<TopicPartition>> assignment = assignor.assign(partitionsPerTopic, subscriptions);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<TopicPartition>> e : new TreeMap<>(assignment).entrySet()) {
            if (b.length() > 0) b.append(';');
            List<TopicPartition> tps = new ArrayList<>(e.getValue());
            tps.sort((x, y) -> x.topic().equals(y.topic()) ? Integer.compare(x.partition(), y.partition()) : x.topic().compareTo(y.topic()));
            b.append(e.getKey()).append('=');
            for (int i = 0; i < tps.size(); i++) {
                if (i > 0) b.append(',');
                b.append(tps.get(i).topic()).append('#').append(tps.get(i).partition());
            }
        }
        return b.toString();
    }
}
