package dev.sentinel.notification.support;

import dev.sentinel.contracts.testing.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives the service under test input and dead-letter topics of its own, new for every test
 * JVM (so records of earlier runs, whose delivery rows the cleaned test database forgot,
 * are never read again), next to the test-only consumer group of the %test profile.
 */
public class NotificationTopics implements QuarkusTestResourceLifecycleManager {

    public static final String INPUT = "mp.messaging.incoming.email-requests.topic";
    public static final String DLQ = "notification.dlq-topic";

    @Override
    public Map<String, String> start() {
        return Map.of(
                INPUT, KafkaTopics.create("email-requests.test", 3),
                DLQ, KafkaTopics.create("email-requests.dlq.test", 1));
    }

    @Override
    public void stop() {
        // the topics are unique per run and tiny; the broker's retention takes them away
    }
}
