package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import dev.sentinel.contracts.testing.TestJwt;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.NotificationTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention: finished deliveries past their age are deleted (default 30 days), whatever is
 * still to be sent or recent stays, and a purged dead letter leaves the admin listing.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
class DeliveryRetentionTest {

    private static final String INSERT = """
            insert into delivery (event_id, template, recipient, recipient_key, limit_bucket, locale, status,
                                  attempts, next_attempt_at, received_at, sent_at, dead_at, last_error)
            values ($1, 'mfa-enabled', 'retention@example.test', 'retention@example.test', 'general', 'en', $2,
                    1, now() + interval '1 day', now() - make_interval(days => $3),
                    case when $2 = 'SENT' then now() - make_interval(days => $3) end,
                    case when $2 = 'DEAD' then now() - make_interval(days => $4) end,
                    case when $2 = 'DEAD' then 'retention test' end)""";

    @Inject
    DeliveryRetention retention;
    @Inject
    Pool pool;

    @Test
    void finishedDeliveriesPastTheirRetentionGoAndEverythingElseStays() {
        UUID oldSent = row("SENT", 31, 0);
        UUID oldSuppressed = row("SUPPRESSED", 31, 0);
        UUID oldDead = row("DEAD", 40, 31);
        UUID recentSent = row("SENT", 2, 0);
        UUID recentlyDead = row("DEAD", 40, 29);
        UUID oldButPending = row("PENDING", 45, 0);
        Deliveries deliveries = new Deliveries(pool);
        String admin = TestJwt.token(Roles.ADMIN);
        given().auth().oauth2(admin).when().get("/v1/notifications/dead-letters?limit=500").then().statusCode(200)
                .body("eventId", hasItem(oldDead.toString()));
        double before = purgedCounter();

        long purged = retention.purge().await().atMost(Duration.ofSeconds(30));

        assertTrue(purged >= 3, "at least the three old finished rows: " + purged);
        for (UUID gone : List.of(oldSent, oldSuppressed, oldDead)) {
            assertTrue(deliveries.row(gone).isEmpty(), gone + " purged");
        }
        assertEquals(Map.of("SENT", 1L, "DEAD", 1L, "PENDING", 1L), Map.of(
                "SENT", deliveries.count(List.of(recentSent), "SENT"),
                "DEAD", deliveries.count(List.of(recentlyDead), "DEAD"),
                "PENDING", deliveries.count(List.of(oldButPending), "PENDING")), "recent and unfinished rows stay");
        given().auth().oauth2(admin).when().get("/v1/notifications/dead-letters?limit=500").then().statusCode(200)
                .body("eventId", not(hasItem(oldDead.toString())))
                .body("eventId", hasItem(recentlyDead.toString()));
        assertTrue(purgedCounter() >= before + 3, "sentinel_retention_purged_total{table=delivery} counts them");
    }

    private UUID row(String status, int receivedDaysAgo, int deadDaysAgo) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery(INSERT).execute(Tuple.of(id, status, receivedDaysAgo, deadDaysAgo))
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private static double purgedCounter() {
        return PrometheusText.sum(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString(),
                "sentinel_retention_purged_total", "table=\"delivery\"");
    }
}
