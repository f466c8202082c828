import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Waits until a Kafka broker serves, then creates topics that are missing and waits until
 * every partition of them has a leader.
 *
 * Stands in for Kafka's topic command (org.apache.kafka:kafka-tools), whose 4.4.0 jar the
 * package mirror lacks; it needs only kafka-clients, which the broker brings anyway.
 * deploy/local/sentinel compiles it once into the state folder and runs it as
 *
 *   java -cp 'libs/*:classes' KafkaTopics BOOTSTRAP TIMEOUT_SECONDS [NAME:PARTITIONS[:REPLICATION] ...]
 *
 * Exit 0 when the broker answered and every topic is there with leaders, 1 on timeout.
 */
public class KafkaTopics {

    /** Lines up under the status column of deploy/local/sentinel's output. */
    private static final String INDENT = " ".repeat(13);

    /** Topics this run created, so a later polling round does not report them as pre-existing. */
    private static final Set<String> CREATED = new java.util.HashSet<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaTopics BOOTSTRAP TIMEOUT_SECONDS [NAME:PARTITIONS[:REPLICATION] ...]");
            System.exit(2);
        }
        String bootstrap = args[0];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        Map<String, NewTopic> wanted = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] parts = args[i].split(":");
            short replication = parts.length > 2 ? Short.parseShort(parts[2]) : 1;
            wanted.put(parts[0], new NewTopic(parts[0], Integer.parseInt(parts[1]), replication));
        }

        // Wait for the listener before creating the admin client: one that connects too early
        // sits in request timeouts and back-off for seconds. Started together with the broker,
        // this JVM warms up while the broker starts.
        if (!waitForListener(bootstrap, deadline)) {
            System.err.println("kafka at " + bootstrap + " does not accept connections");
            System.exit(1);
        }

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Short timeouts: we poll in a loop against a broker that may still be starting.
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");

        String lastProblem = "no answer yet";
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (ready(admin, wanted)) {
                        System.exit(0);
                    }
                    lastProblem = "partitions without a leader yet";
                } catch (ExecutionException e) {
                    lastProblem = String.valueOf(e.getCause());
                } catch (RuntimeException e) {
                    lastProblem = String.valueOf(e);
                }
                Thread.sleep(250);
            }
        }
        System.err.println("kafka at " + bootstrap + " not ready in time: " + lastProblem);
        System.exit(1);
    }

    private static boolean waitForListener(String bootstrap, long deadline) throws InterruptedException {
        String first = bootstrap.split(",")[0];
        int colon = first.lastIndexOf(':');
        String host = first.substring(0, colon);
        int port = Integer.parseInt(first.substring(colon + 1));
        while (System.nanoTime() < deadline) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), 500);
                return true;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** One round: list, create what is missing, and check leaders. True when all is there. */
    private static boolean ready(Admin admin, Map<String, NewTopic> wanted) throws Exception {
        Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : wanted.values()) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> result
                    : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(10, TimeUnit.SECONDS);
                    CREATED.add(result.getKey());
                    System.out.println(INDENT + "topic " + result.getKey() + ": created ("
                            + wanted.get(result.getKey()).numPartitions() + " partitions)");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        if (wanted.isEmpty()) {
            return true;
        }
        Map<String, TopicDescription> described =
                admin.describeTopics(wanted.keySet()).allTopicNames().get(5, TimeUnit.SECONDS);
        for (TopicDescription description : described.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return false;
                }
            }
        }
        for (TopicDescription description : described.values()) {
            NewTopic want = wanted.get(description.name());
            int have = description.partitions().size();
            if (!CREATED.contains(description.name())) {
                String note = have < want.numPartitions()
                        ? " (WARNING: wanted " + want.numPartitions() + ")" : "";
                System.out.println(INDENT + "topic " + description.name() + ": exists (" + have + " partitions)" + note);
            }
        }
        return true;
    }
}
