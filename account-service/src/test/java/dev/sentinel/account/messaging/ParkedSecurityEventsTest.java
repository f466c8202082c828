package dev.sentinel.account.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.LocalInfra;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static dev.sentinel.account.Api.newUser;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison records on security-events: a record that cannot be read and one whose effect fails
 * for good are parked with their reason and counted, and the next record on the same
 * partition still creates its account; a parked record read again is parked and counted once.
 * The topic is the real, shared one, so records of earlier runs may be parked meanwhile: the
 * assertions name this test's records by position, and compare the counter with the table.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class ParkedSecurityEventsTest {

    private static final String SERIES = "consumer=\"" + SecurityEventsConsumer.CONSUMER + "\"";

    @Inject
    OutboxRows db;
    @Inject
    ObjectMapper json;
    @Inject
    KafkaClientService kafka;

    KafkaProducer<String, String> producer;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @AfterEach
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void unreadableAndFailingRecordsAreParkedAndTheNextRegistrationStillCreatesItsAccount() throws Exception {
        assertTrue(metrics().contains("sentinel_consumer_parked_total{" + SERIES + "}"),
                "the parked series is there from the start");
        String key = newUser();
        RecordMetadata garbage = send(key, "{not json", null);
        // PostgreSQL stores no NUL character in text: this registration can never be applied.
        EventEnvelope poisoned = registered("nul\u0000" + newUser(), "nul@example.test");
        RecordMetadata failing = publish(poisoned, key);
        String next = newUser();
        publish(registered(next, "next-" + next + "@example.test"), key);

        waitUntil(() -> db.count("select count(*) from account where user_id = $1", next) == 1);

        Row unreadable = parkedRow(garbage);
        assertNotNull(unreadable, "the unreadable record is parked");
        assertEquals("not JSON", unreadable.getString("reason"));
        assertEquals("{not json", unreadable.getString("raw_value"));
        assertEquals(key, unreadable.getString("message_key"));
        assertNull(unreadable.getUUID("event_id"));
        assertNotNull(unreadable.getOffsetDateTime("parked_at"));

        Row failed = parkedRow(failing);
        assertNotNull(failed, "the registration that fails for good is parked");
        assertTrue(failed.getString("reason").contains("22021"), failed.getString("reason"));
        assertEquals(poisoned.id(), failed.getUUID("event_id"));
        assertTrue(failed.getString("raw_value").contains("user.registered"));
        assertEquals(0, db.count("select count(*) from processed_event where event_id = $1", poisoned.id()),
                "its failed transaction left nothing behind");
        assertEveryParkedRecordCountedOnce();
    }

    @Test
    void aParkedRecordReadAgainIsParkedAndCountedOnce() throws Exception {
        String key = newUser();
        EventEnvelope noSubject = EventEnvelope.of(EventType.USER_REGISTERED, "auth-service")
                .data(json.createObjectNode().put("email", "nobody@example.test")).build();
        RecordMetadata poison = publish(noSubject, key);
        String first = newUser();
        publish(registered(first, "first-" + first + "@example.test"), key);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", first) == 1);
        assertEquals("user.registered without a usable subject", parkedRow(poison).getString("reason"));
        assertEveryParkedRecordCountedOnce();

        // What a restart or rebalance does: the consumer reads the partition again from an earlier offset.
        rewind(new TopicPartition(poison.topic(), poison.partition()), poison.offset());
        String second = newUser();
        publish(registered(second, "second-" + second + "@example.test"), key);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", second) == 1);

        assertEquals(1, db.count("""
                select count(*) from parked_record where topic = $1 and kafka_partition = $2 and kafka_offset = $3""",
                poison.topic(), poison.partition(), poison.offset()));
        assertEveryParkedRecordCountedOnce();
    }

    /**
     * The counter and the table both start empty with the test run (the test database is
     * cleaned at start), so each parked row counted once means they agree. Waits a little:
     * records left on the shared topic by earlier runs may be parked while the test runs.
     */
    private void assertEveryParkedRecordCountedOnce() throws InterruptedException {
        waitUntil(() -> parked() == db.count("select count(*) from parked_record where consumer = $1",
                SecurityEventsConsumer.CONSUMER));
    }

    private void rewind(TopicPartition partition, long offset) {
        boolean found = false;
        for (KafkaConsumer<Object, Object> consumer : kafka.<Object, Object>getConsumers("security-events")) {
            found |= consumer.runOnPollingThread(c -> {
                if (!c.assignment().contains(partition)) {
                    return false;
                }
                c.seek(partition, offset);
                return true;
            }).await().atMost(Duration.ofSeconds(10));
        }
        assertTrue(found, "a consumer of the channel has " + partition);
    }

    private Row parkedRow(RecordMetadata record) {
        return db.one("""
                select reason, raw_value, message_key, event_id, parked_at from parked_record
                 where consumer = $1 and topic = $2 and kafka_partition = $3 and kafka_offset = $4""",
                SecurityEventsConsumer.CONSUMER, record.topic(), record.partition(), record.offset());
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double parked() {
        return PrometheusText.sum(metrics(), "sentinel_consumer_parked_total", SERIES);
    }

    private EventEnvelope registered(String user, String email) {
        return EventEnvelope.of(EventType.USER_REGISTERED, "auth-service").subject(user).actor(user)
                .data(json.createObjectNode().put("email", email)).build();
    }

    private RecordMetadata publish(EventEnvelope event, String key) throws Exception {
        return send(key, json.writeValueAsString(event), event.id().toString());
    }

    /** Publishes under {@code key}: records with one key share a partition, so they are consumed in order. */
    private RecordMetadata send(String key, String value, String eventId) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SECURITY_EVENTS, key, value);
        if (eventId != null) {
            record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEventHeaders.TYPE,
                    EventType.USER_REGISTERED.wireName().getBytes(StandardCharsets.UTF_8));
        }
        return producer.send(record).get();
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "not seen within 30 s");
            Thread.sleep(100);
        }
    }
}
