package dev.sentinel.auth.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.outbox.OutboxConfig;
import dev.sentinel.contracts.outbox.OutboxRelay;
import dev.sentinel.contracts.outbox.OutboxWriter;
import dev.sentinel.contracts.testing.FaultProxy;
import dev.sentinel.contracts.testing.KafkaTopics;
import dev.sentinel.contracts.testing.LocalInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transactional outbox end to end, against the real PostgreSQL and Kafka: rows written
 * with a state change are published with their key and CloudEvents headers, survive a
 * broker outage (a test-owned proxy, not the shared broker stopped), and are not published
 * twice after a relay restart.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class OutboxRelayTest {

    @Inject
    OutboxWriter writer;
    @Inject
    OutboxRelay relay;
    @Inject
    Pool pool;
    @Inject
    ObjectMapper json;
    @Inject
    Vertx vertx;
    @Inject
    OutboxConfig outboxConfig;

    @Test
    void thousandRowsInSeparateTransactionsArePublishedWithKeyAndHeaders() throws Exception {
        String topic = KafkaTopics.create("outbox-test", 3);
        Map<UUID, String> keyById = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String subject = "user-" + (i % 37);
            EventEnvelope event = event(subject);
            keyById.put(event.id(), subject);
            commit(topic, event);
        }

        List<ConsumerRecord<String, String>> records = KafkaTopics.read(topic, 1000, Duration.ofSeconds(60), Duration.ofSeconds(1));

        assertEquals(1000, records.size());
        Set<UUID> seen = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            UUID id = UUID.fromString(KafkaTopics.header(record, CloudEventHeaders.ID));
            assertTrue(seen.add(id), "published twice: " + id);
            assertEquals(keyById.get(id), record.key());
            assertEquals(EventType.USER_LOCKED.wireName(), KafkaTopics.header(record, CloudEventHeaders.TYPE));
            assertEquals("1.0", KafkaTopics.header(record, CloudEventHeaders.SPEC_VERSION));
            JsonNode value = json.readTree(record.value());
            assertEquals(id.toString(), value.get("id").asText());
            assertEquals(record.key(), value.get("subject").asText());
        }
        assertEquals(keyById.keySet(), seen);
        assertEquals(0, pending(topic));
    }

    @Test
    void rolledBackChangeLeavesNoEvent() {
        String topic = "never-" + UUID.randomUUID();
        EventEnvelope event = event("user-rollback");
        assertThrows(RuntimeException.class, () -> VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> OutboxProbe.of("rolled back").persist()
                        .chain(() -> writer.append(topic, "user-rollback", event))
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("business rule failed"))))));
        assertEquals(0, count("select count(*) from outbox where id = $1", event.id()));
    }

    @Test
    void writingOutsideATransactionIsRefused() {
        assertThrows(IllegalStateException.class, () -> VertxContextSupport.subscribeAndAwait(
                () -> writer.append("any", "key", event("user-x"))));
    }

    @Test
    void rowsWaitOutABrokerOutageAndAreAllPublishedAfterIt() throws Exception {
        String topic = KafkaTopics.create("outbox-outage", 1);
        List<UUID> ids = new ArrayList<>();
        // The broker is away for this relay only: the service's own relay stands still, and one
        // built for the test reaches Kafka through a proxy that refuses until it forwards. The
        // shared broker, which other builds use, keeps running.
        relay.stop();
        OutboxRelay cutOff = null;
        try (FaultProxy broker = FaultProxy.start(kafkaHost(), kafkaPort(), FaultProxy.Mode.REFUSE)) {
            cutOff = new OutboxRelay(pool, vertx, outboxConfig, new SimpleMeterRegistry(),
                    Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.address()));
            cutOff.start();
            for (int i = 0; i < 50; i++) {
                EventEnvelope event = event("user-outage");
                ids.add(event.id());
                commit(topic, event);
            }
            // The relay tried and backed off (no fixed sleep: the first failed round is enough).
            waitUntil(() -> count("select count(*) from outbox where topic = $1 and attempts > 0", topic) > 0);
            assertEquals(50, pending(topic), "nothing can be published while the broker is away");

            broker.mode(FaultProxy.Mode.FORWARD);
            List<ConsumerRecord<String, String>> records = KafkaTopics.read(topic, 50, Duration.ofSeconds(90), Duration.ofSeconds(1));
            Set<UUID> published = new HashSet<>();
            records.forEach(r -> published.add(UUID.fromString(KafkaTopics.header(r, CloudEventHeaders.ID))));
            assertEquals(new HashSet<>(ids), published, "every row published after the outage");
            waitUntil(() -> pending(topic) == 0);
        } finally {
            if (cutOff != null) {
                cutOff.stop();
            }
            relay.start();
        }
    }

    @Test
    void relayRestartRepublishesNothingThatWasMarkedSent() throws Exception {
        String topic = KafkaTopics.create("outbox-restart", 2);
        for (int i = 0; i < 100; i++) {
            commit(topic, event("user-restart"));
        }
        assertEquals(100, KafkaTopics.read(topic, 100, Duration.ofSeconds(30), Duration.ZERO).size());
        waitUntil(() -> pending(topic) == 0);

        relay.stop();
        for (int i = 0; i < 10; i++) {
            commit(topic, event("user-restart"));
        }
        relay.start();

        List<ConsumerRecord<String, String>> records = KafkaTopics.read(topic, 110, Duration.ofSeconds(30), Duration.ofSeconds(3));
        assertEquals(110, records.size());
        assertEquals(110, records.stream().map(r -> KafkaTopics.header(r, CloudEventHeaders.ID)).distinct().count());
    }

    private void commit(String topic, EventEnvelope event) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                    () -> OutboxProbe.of("change").persist().chain(() -> writer.append(topic, event.subject(), event))));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private EventEnvelope event(String subject) {
        return EventEnvelope.of(EventType.USER_LOCKED, "auth-service").subject(subject).actor("test")
                .data(json.createObjectNode().put("reason", "test")).build();
    }

    private long pending(String topic) {
        return count("select count(*) from outbox where topic = $1 and sent_at is null", topic);
    }

    private long count(String sql, Object parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    private static String kafkaHost() {
        return LocalInfra.KAFKA.substring(0, LocalInfra.KAFKA.lastIndexOf(':'));
    }

    private static int kafkaPort() {
        return Integer.parseInt(LocalInfra.KAFKA.substring(LocalInfra.KAFKA.lastIndexOf(':') + 1));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(100);
        }
    }
}
