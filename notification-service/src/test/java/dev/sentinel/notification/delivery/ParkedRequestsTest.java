package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.Mailbox;
import dev.sentinel.contracts.testing.PrometheusText;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.EmailRequests;
import dev.sentinel.notification.support.NotificationTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An email request whose recording fails for good is parked with its reason and counted,
 * the next request on the same partition is still sent, and the counters of what the failed
 * transaction would have done (a dead letter) do not move.
 *
 * <p>The failure is a real constraint violation: a delivery row already holds the request's
 * event id while processed_event does not (as when the dedupe record was purged first), so
 * inserting the delivery breaks its primary key on every attempt.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
class ParkedRequestsTest {

    private static final String SERIES = "consumer=\"" + EmailRequestConsumer.CONSUMER + "\"";

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @ConfigProperty(name = NotificationTopics.INPUT)
    String inputTopic;

    EmailRequests requests;

    @BeforeEach
    void open() {
        requests = new EmailRequests(inputTopic, json);
    }

    @AfterEach
    void close() {
        requests.close();
    }

    @Test
    void aRequestThatCanNeverBeRecordedIsParkedAndTheNextMailStillGoesOut() {
        assertTrue(metrics().contains("sentinel_consumer_parked_total{" + SERIES + "}"),
                "the parked series is there from the start");
        double before = parked();
        String key = "parking-" + UUID.randomUUID();
        EventEnvelope clashing = EmailRequests.envelope(json, "mfa-enabled", EmailRequests.recipient("clash"), "en",
                Map.of());
        occupy(clashing.id());
        requests.publish(clashing, key);
        String next = EmailRequests.recipient("next");
        requests.publish(EmailRequests.envelope(json, "mfa-disabled", next, "en", Map.of()), key);

        assertEquals(1, Mailbox.await(next, 1, Duration.ofSeconds(30), Duration.ZERO).size(),
                "the consumer went on with the next request");
        Deliveries.waitUntil(Duration.ofSeconds(10), () -> parkedRow(clashing.id()) != null, "parked");
        Row row = parkedRow(clashing.id());
        assertTrue(row.getString("reason").contains("23505"), row.getString("reason"));
        assertEquals(key, row.getString("message_key"));
        assertEquals(inputTopic, row.getString("topic"));
        assertTrue(row.getString("raw_value").contains(clashing.id().toString()));
        assertEquals(before + 1, parked());
    }

    @Test
    void aDeadLetterWhoseTransactionRollsBackIsNotCounted() {
        String template = "never-" + UUID.randomUUID().toString().substring(0, 8);
        String deadLettered = "sentinel_mail_dead_lettered_total";
        String key = "parking-" + UUID.randomUUID();
        EventEnvelope unusable = EmailRequests.envelope(json, template, EmailRequests.recipient("dead"), "en", Map.of());
        occupy(unusable.id());
        requests.publish(unusable, key);
        String next = EmailRequests.recipient("after-dead");
        requests.publish(EmailRequests.envelope(json, "mfa-disabled", next, "en", Map.of()), key);

        assertEquals(1, Mailbox.await(next, 1, Duration.ofSeconds(30), Duration.ZERO).size());
        Deliveries.waitUntil(Duration.ofSeconds(10), () -> parkedRow(unusable.id()) != null, "parked");
        assertEquals(0, PrometheusText.sum(metrics(), deadLettered, "template=\"" + template + "\""),
                "the dead letter was rolled back with its transaction, so it is not counted");
        assertEquals(0, pool.preparedQuery("select count(*) from outbox where payload -> 'data' ->> 'eventId' = $1")
                .execute(Tuple.of(unusable.id().toString())).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0), "nor published");
    }

    /** A delivery row under this event id, with no processed_event record for it. */
    private void occupy(UUID eventId) {
        pool.preparedQuery("""
                        insert into delivery (event_id, template, recipient, params, status, redrivable, attempts, sent_at)
                        values ($1, 'mfa-enabled', 'earlier@mail.sentinel.test', '{}', 'SENT', true, 1, now())""")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10));
    }

    private Row parkedRow(UUID eventId) {
        RowSet<Row> rows = pool.preparedQuery("""
                        select topic, reason, message_key, raw_value from parked_record
                         where consumer = $1 and event_id = $2""")
                .execute(Tuple.of(EmailRequestConsumer.CONSUMER, eventId)).await().atMost(Duration.ofSeconds(10));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double parked() {
        return PrometheusText.sum(metrics(), "sentinel_consumer_parked_total", SERIES);
    }
}
