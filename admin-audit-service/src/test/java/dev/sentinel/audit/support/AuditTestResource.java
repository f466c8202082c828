package dev.sentinel.audit.support;

import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.LocalInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts every test run of the audit log from a clean slate beside its emptied database: the
 * test consumer group is moved to the end of the shared {@code security-events} topic (which
 * holds what other modules' tests and 'sentinel up' published), and checkpoints are mirrored
 * to a fresh directory.
 */
public class AuditTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String GROUP = "admin-audit-service-test";

    @Override
    public Map<String, String> start() {
        startAtEnd(GROUP, Topics.SECURITY_EVENTS);
        try {
            Path mirror = Files.createTempDirectory("audit-checkpoints");
            return Map.of("audit.checkpoint.mirror-dir", mirror.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }

    /** Commits the topic's end offsets for the group, retrying while a member of a previous run is still leaving. */
    static void startAtEnd(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                try {
                    Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(List.of(topic))
                            .allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                            .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                    Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(partitions).all()
                            .get(30, TimeUnit.SECONDS).entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
                    admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Could not move " + group + " to the end of " + topic, e);
                    }
                    Thread.sleep(1000); // a member of the previous test app has not left the group yet
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not prepare " + topic + " for " + group, e);
        }
    }
}
