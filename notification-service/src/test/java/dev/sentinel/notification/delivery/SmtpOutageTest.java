package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.Mailbox;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP server goes away for a while: mails wait in the delivery table, are retried
 * with backoff while the consumer goes on, and all arrive once when the server is back.
 * The outage is the test's own proxy refusing connections, not the shared server stopped.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
@TestProfile(SmtpOutageTest.BehindProxy.class)
class SmtpOutageTest {

    /**
     * The mailer and the SMTP health probe reach the server through the test's proxy. A send
     * into the refusing proxy hangs until the send timeout, four at a time: 2 s (not the 5 s
     * of %test) lets the 20 mails all fail once in about 10 s, and still gives a local send
     * over a hundred times its usual time once the server is back.
     */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", Integer.toString(SmtpProxy.port()),
                    "notification.sender.send-timeout", "PT2S");
        }
    }

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @ConfigProperty(name = NotificationTopics.INPUT)
    String inputTopic;

    @Test
    void mailsAreRetriedThroughAnOutageAndAllArriveOnceTheServerIsBack() {
        Deliveries deliveries = new Deliveries(pool);
        List<String> recipients = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        SmtpProxy.refuse();
        try (EmailRequests requests = new EmailRequests(inputTopic, json)) {
            for (int r = 0; r < 10; r++) {
                recipients.add(EmailRequests.recipient("outage" + r));
            }
            for (int i = 0; i < 20; i++) {
                ids.add(requests.publish(i % 2 == 0 ? "mfa-enabled" : "password-reset", recipients.get(i % 10), "en",
                        Map.of("token", "t" + i)).id());
            }
            Deliveries.waitUntil(Duration.ofSeconds(60), () -> deliveries.retrying(ids) == 20,
                    "every mail failed at least once and waits for a retry");
            // Mail waits in the delivery table: still ready, the server reported down beside.
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            // The probe runs every 2 s: it may not have seen the outage when the first sends did.
            Deliveries.waitUntil(Duration.ofSeconds(10), () -> "DOWN".equals(given().when()
                    .get("/q/health/group/dependencies").then().extract()
                    .path("checks.find { it.name == 'Dependencies' }.data.smtp")), "smtp reported down");
            given().when().get("/q/health/group/dependencies").then().statusCode(503);
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            SmtpProxy.forward();
        }

        Deliveries.waitUntil(Duration.ofSeconds(90), () -> deliveries.count(ids, "SENT") == 20, "all sent after the outage");
        Set<String> seen = new HashSet<>();
        for (String recipient : recipients) {
            List<Mailbox.Received> mails = Mailbox.await(recipient, 2, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(2, mails.size(), recipient);
            mails.forEach(m -> assertTrue(seen.add(m.eventId()), "twice: " + m.eventId()));
        }
        assertEquals(20, seen.size());
        Deliveries.waitUntil(Duration.ofSeconds(10), () -> "UP".equals(given().when()
                .get("/q/health/group/dependencies").then().extract()
                .path("checks.find { it.name == 'Dependencies' }.data.smtp")), "smtp reported up again");
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("sentinel_mail_retried_total{"))
                .body(org.hamcrest.Matchers.containsString("sentinel_mail_send_seconds_count{"));
    }
}
