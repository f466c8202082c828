package dev.sentinel.account.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.LocalInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * user.registered from the real security-events topic creates the account with its email,
 * once per event however often it is delivered, and fills the email of an account that was
 * created lazily before the event arrived.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class SecurityEventsConsumerTest {

    @Inject
    OutboxRows db;
    @Inject
    ObjectMapper json;

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
    void registrationCreatesTheAccountWithItsEmail() throws Exception {
        String user = newUser();
        String email = "new-" + user + "@example.test";
        publish(registered(user, email));

        waitUntil(() -> db.count("select count(*) from account where user_id = $1 and email = $2", user, email) == 1);
        as(userToken(user)).get("/v1/account/plan").then().statusCode(200).body("plan", equalTo("FREE"));
    }

    @Test
    void duplicateDeliveriesHaveOneEffect() throws Exception {
        String user = newUser();
        EventEnvelope event = registered(user, "dup-" + user + "@example.test");
        for (int i = 0; i < 3; i++) {
            publish(event);
        }
        // A later record on the same partition proves the consumer went past all three copies.
        String marker = newUser();
        publish(registered(marker, "marker-" + marker + "@example.test"), user);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", marker) == 1);

        assertEquals(1, db.count("select count(*) from processed_event where event_id = $1", event.id()));
        assertEquals(1, db.count("select count(*) from account where user_id = $1", user));
    }

    @Test
    void replayedOldEventDoesNotUndoALaterChange() throws Exception {
        String user = newUser();
        EventEnvelope event = registered(user, "first-" + user + "@example.test");
        publish(event);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", user) == 1);
        db.count("with u as (update account set email = $1 where user_id = $2 returning 1) select count(*) from u",
                "changed-" + user + "@example.test", user);

        publish(event);
        String marker = newUser();
        publish(registered(marker, "marker-" + marker + "@example.test"), user);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", marker) == 1);

        Row row = db.one("select email from account where user_id = $1", user);
        assertEquals("changed-" + user + "@example.test", row.getString(0));
    }

    @Test
    void lazilyCreatedAccountGetsItsEmailWhenTheEventArrivesAndThenItsWarnings() throws Exception {
        String user = newUser();
        String email = "late-" + user + "@example.test";
        String token = userToken(user);
        as(token).body(Map.of("monthlyCapCents", 100)).post("/v1/account/limits").then().statusCode(200);
        as(token).body(charge(85, key())).post("/v1/account/spend").then().statusCode(200);
        assertEquals(1, db.events(user, EventType.SPEND_THRESHOLD_CROSSED.wireName()));
        assertEquals(0, db.emailsAbout(user), "no email known yet: the event goes out without a mail request");
        assertNull(db.one("select email from account where user_id = $1", user).getString(0));

        publish(registered(user, email));
        waitUntil(() -> db.count("select count(*) from account where user_id = $1 and email = $2", user, email) == 1);

        as(token).get("/v1/account/limits").then().body("monthlyCapCents", equalTo(100)).body("spentCents", equalTo(85));
        as(token).body(charge(15, key())).post("/v1/account/spend").then().statusCode(200);
        assertEquals(1, db.emails(email, EmailTemplate.SPEND_CAP_REACHED.wireName()));
        assertEquals(0, db.emails(email, EmailTemplate.SPEND_WARNING.wireName()), "the warning was already given this period");
    }

    @Test
    void otherEventTypesAndGarbageAreSkipped() throws Exception {
        String user = newUser();
        publish(EventEnvelope.of(EventType.USER_LOCKED, "auth-service").subject(user)
                .data(json.createObjectNode().put("reason", "test")).build());
        producer.send(new ProducerRecord<>(Topics.SECURITY_EVENTS, user, "{not json")).get();
        producer.send(new ProducerRecord<>(Topics.SECURITY_EVENTS, user,
                "{\"type\":\"user.registered\",\"id\":\"not-a-uuid\",\"subject\":\"" + user + "\"}")).get();
        String marker = newUser();
        publish(registered(marker, "marker-" + marker + "@example.test"), user);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", marker) == 1);

        assertEquals(0, db.count("select count(*) from account where user_id = $1", user));
    }

    private EventEnvelope registered(String user, String email) {
        return EventEnvelope.of(EventType.USER_REGISTERED, "auth-service").subject(user).actor(user)
                .data(json.createObjectNode().put("email", email)).build();
    }

    private void publish(EventEnvelope event) throws Exception {
        publish(event, event.subject());
    }

    /** Publishes under {@code key}: records with one key share a partition, so they are consumed in order. */
    private void publish(EventEnvelope event, String key) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SECURITY_EVENTS, key,
                json.writeValueAsString(event));
        record.headers().add(CloudEventHeaders.ID, event.id().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, event.type().wireName().getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not seen within 30 s");
            Thread.sleep(100);
        }
    }
}
