package dev.sentinel.notification.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.KafkaTopics;
import dev.sentinel.contracts.testing.Mailbox;
import dev.sentinel.contracts.testing.TestJwt;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.EmailRequests;
import dev.sentinel.notification.support.NotificationTopics;
import dev.sentinel.notification.support.SmtpProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead letters: a mail whose attempts run out while the SMTP server is away is parked in
 * the dead-letter topic with its reason and attempt count, listed to admins, and sent
 * exactly once when redriven. Runs with two attempts, so giving up takes seconds.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
@TestProfile(DeadLetterApiTest.TwoAttempts.class)
class DeadLetterApiTest {

    public static class TwoAttempts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The refused connections hang the mailer until the send timeout (5 s in %test):
            // 2 s still leaves a local send over a hundred times its usual time.
            return Map.of("notification.retry.max-attempts", "2", "notification.retry.initial-delay", "PT0.5S",
                    "quarkus.mailer.port", Integer.toString(SmtpProxy.port()),
                    "notification.sender.send-timeout", "PT2S");
        }
    }

    private static final String PATH = "/v1/notifications/dead-letters";

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @ConfigProperty(name = NotificationTopics.INPUT)
    String inputTopic;
    @ConfigProperty(name = NotificationTopics.DLQ)
    String dlqTopic;

    @Test
    void exhaustedMailsAreDeadLetteredWithTheirReasonAndARedriveSendsEachOnce() throws Exception {
        Deliveries deliveries = new Deliveries(pool);
        String first = EmailRequests.recipient("dead-a");
        String second = EmailRequests.recipient("dead-b");
        UUID a;
        UUID b;
        SmtpProxy.refuse();
        try (EmailRequests requests = new EmailRequests(inputTopic, json)) {
            a = requests.publish("password-reset", first, "en", Map.of("token", "reset-a")).id();
            b = requests.publish("spend-cap-reached", second, "ar", Map.of("cap", "10.00 USD")).id();
            Deliveries.waitUntil(Duration.ofSeconds(60), () -> "DEAD".equals(deliveries.row(a).get("status"))
                    && "DEAD".equals(deliveries.row(b).get("status")), "both dead after two attempts");
        } finally {
            SmtpProxy.forward();
        }

        Map<String, JsonNode> letters = new HashMap<>();
        for (ConsumerRecord<String, String> record : KafkaTopics.read(dlqTopic, 2, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
            JsonNode data = json.readTree(record.value()).get("data");
            letters.put(data.get("eventId").asText(), data);
        }
        JsonNode letterA = letters.get(a.toString());
        assertEquals(2, letterA.get("attempts").asInt());
        assertTrue(letterA.get("reason").asText().startsWith("attempts exhausted (2): SMTP"), letterA.toString());
        assertEquals("password-reset", letterA.get("template").asText());
        assertEquals(first, letterA.get("recipient").asText());
        // A dead letter keeps no usable one-time link: not on the topic, not in the table.
        assertTrue(letterA.get("params").path("token").isMissingNode(), letterA.toString());
        assertFalse(String.valueOf(deliveries.row(a).get("params")).contains("reset-a"), "token kept in the table");
        JsonNode letterB = letters.get(b.toString());
        assertEquals("10.00 USD", letterB.get("params").get("cap").asText(), "other parameters stay for a redrive");

        String admin = TestJwt.token(Roles.ADMIN);
        given().auth().oauth2(admin).when().get(PATH + "?limit=500").then().statusCode(200)
                .body("eventId", hasItem(a.toString()))
                .body("find { it.eventId == '" + a + "' }.attempts", equalTo(2))
                .body("find { it.eventId == '" + a + "' }.redrivable", equalTo(false))
                .body("find { it.eventId == '" + b + "' }.redrivable", equalTo(true))
                .body("find { it.eventId == '" + a + "' }.reason", startsWith("attempts exhausted (2)"));

        // The reset mail cannot be sent again without its link: the user asks for a new one.
        given().auth().oauth2(admin).when().post(PATH + "/" + a + "/redrive").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("BIZ_CONFLICT"))
                .body("detail", containsString("one-time link"));
        given().auth().oauth2(admin).when().post(PATH + "/" + b + "/redrive").then().statusCode(202)
                .body("status", equalTo("PENDING"));
        given().auth().oauth2(admin).when().post(PATH + "/redrive-all").then().statusCode(202);

        assertEquals(1, Mailbox.await(second, 1, Duration.ofSeconds(30), Duration.ZERO).size());
        given().auth().oauth2(admin).when().post(PATH + "/" + b + "/redrive").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("BIZ_DEAD_LETTER_NOT_FOUND"));
        given().auth().oauth2(admin).when().post(PATH + "/redrive-all").then().statusCode(202);
        Thread.sleep(2000);
        assertEquals(1, Mailbox.read(second).size(), "sent once, however often redriven");
        assertEquals(0, Mailbox.read(first).size(), "a reset mail without its link is never sent");
        assertEquals("SENT", deliveries.row(b).get("status"));
        assertEquals("DEAD", deliveries.row(a).get("status"));
    }

    @Test
    void aRecordThatWasNeverARequestIsListedButCannotBeRedriven() {
        UUID id = UUID.randomUUID();
        try (EmailRequests requests = new EmailRequests(inputTopic, json)) {
            requests.publishRaw("k", "<<not json>>", id.toString());
        }
        Deliveries deliveries = new Deliveries(pool);
        Deliveries.waitUntil(Duration.ofSeconds(30), () -> "DEAD".equals(deliveries.row(id).get("status")), "dead");
        String admin = TestJwt.token(Roles.ADMIN);
        given().auth().oauth2(admin).when().get(PATH + "?limit=500").then().statusCode(200)
                .body("find { it.eventId == '" + id + "' }.reason", equalTo("not JSON"))
                .body("find { it.eventId == '" + id + "' }.redrivable", equalTo(false));
        given().auth().oauth2(admin).when().post(PATH + "/" + id + "/redrive").then().statusCode(409)
                .body("code", equalTo("BIZ_CONFLICT"));
        given().auth().oauth2(admin).when().post(PATH + "/redrive-all").then().statusCode(202);
        assertEquals("DEAD", deliveries.row(id).get("status"));
    }

    @Test
    void onlyAdminsMayListOrRedrive() {
        given().when().get(PATH).then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_UNAUTHENTICATED"));
        given().when().post(PATH + "/redrive-all").then().statusCode(401);
        for (String role : new String[] {Roles.USER, Roles.SUPPORT, Roles.BILLING_ADMIN, Roles.SERVICE}) {
            String token = TestJwt.token(role);
            given().auth().oauth2(token).when().get(PATH).then().statusCode(403)
                    .contentType("application/problem+json").body("code", equalTo("AUTH_FORBIDDEN"));
            given().auth().oauth2(token).when().post(PATH + "/" + UUID.randomUUID() + "/redrive").then().statusCode(403);
            given().auth().oauth2(token).when().post(PATH + "/redrive-all").then().statusCode(403);
        }
        given().auth().oauth2("not.a.jwt").when().get(PATH).then().statusCode(401);
    }

    @Test
    void badInputIsAProblemNeverAServerError() {
        String admin = TestJwt.token(Roles.ADMIN);
        given().auth().oauth2(admin).when().post(PATH + "/" + UUID.randomUUID() + "/redrive").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("BIZ_DEAD_LETTER_NOT_FOUND"));
        given().auth().oauth2(admin).when().post(PATH + "/not-a-uuid/redrive").then()
                .statusCode(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThanOrEqualTo(400),
                        org.hamcrest.Matchers.lessThan(500)))
                .contentType("application/problem+json");
        given().auth().oauth2(admin).when().get(PATH + "?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).when().get(PATH + "?limit=100000").then().statusCode(400);
        // A query value that does not convert is bad input naming the field, not JAX-RS's bare 404.
        given().auth().oauth2(admin).when().get(PATH + "?limit=abc").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_TYPE"))
                .body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(admin).when().get(PATH + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
