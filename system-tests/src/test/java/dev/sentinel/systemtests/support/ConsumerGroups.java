package dev.sentinel.systemtests.support;

import dev.sentinel.contracts.testing.LocalInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The suite's own Kafka consumer groups. The topics are the shared ones (their names are
 * contract constants), so they hold the records of every earlier test run and 'sentinel up';
 * at the start of a run the suite's groups are moved to the end of their topics, so the
 * services see only what this run produces, like the databases they start from empty.
 */
public final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /** Commits the current end offsets of {@code topic} for {@code group}; the group must have no live member. */
    public static void startAtEnd(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(java.util.List.of(topic))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(partitions).all()
                    .get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())));
            admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not move consumer group " + group + " to the end of " + topic
                    + " (a service of an earlier run still consuming?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
