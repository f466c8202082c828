package dev.sentinel.account;

import dev.sentinel.account.spend.SpendRequestRetention;
import dev.sentinel.contracts.messaging.ParkedRecordsPurge;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention: idempotency records older than 90 days and parked records older than 30 days
 * go, newer ones stay, and each purge is counted by table.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class RetentionTest {

    @Inject
    SpendRequestRetention spendRequests;
    @Inject
    ParkedRecordsPurge parkedRecords;
    @Inject
    OutboxRows db;

    @Test
    void oldIdempotencyRecordsGoAndTheirKeysAreNewAgain() {
        String user = newUser();
        String oldKey = key();
        String recentKey = key();
        as(userToken(user)).body(charge(100, oldKey)).post("/v1/account/spend").then().statusCode(200);
        as(userToken(user)).body(charge(100, recentKey)).post("/v1/account/spend").then().statusCode(200);
        db.count("with aged as (update spend_request set created_at = now() - interval '91 days'"
                + " where account_id = $1 and idempotency_key = $2 returning 1) select count(*) from aged", user, oldKey);
        db.count("with aged as (update spend_request set created_at = now() - interval '89 days'"
                + " where account_id = $1 and idempotency_key = $2 returning 1) select count(*) from aged", user, recentKey);
        double before = purged("spend_request");

        long purged = spendRequests.purge().await().atMost(Duration.ofSeconds(30));

        assertTrue(purged >= 1, "purged " + purged);
        assertEquals(0, records(user, oldKey));
        assertEquals(1, records(user, recentKey), "a record within its retention stays");
        assertTrue(purged("spend_request") - before >= 1, "sentinel_retention_purged_total{table=spend_request}");
        // The recent key still replays (charges nothing); the forgotten one is a new request.
        as(userToken(user)).body(charge(100, recentKey)).post("/v1/account/spend")
                .then().statusCode(200).body("spentCents", equalTo(200));
        as(userToken(user)).body(charge(100, oldKey)).post("/v1/account/spend")
                .then().statusCode(200).body("spentCents", equalTo(300));
    }

    @Test
    void oldParkedRecordsGoRecentOnesStay() {
        String consumer = "retention-test-" + UUID.randomUUID();
        park(consumer, 1, 31);
        park(consumer, 2, 29);
        double before = purged("parked_record");

        long purged = parkedRecords.purge().await().atMost(Duration.ofSeconds(30));

        assertTrue(purged >= 1, "purged " + purged);
        assertEquals(0, db.count("select count(*) from parked_record where consumer = $1 and kafka_offset = 1", consumer));
        assertEquals(1, db.count("select count(*) from parked_record where consumer = $1 and kafka_offset = 2", consumer));
        assertTrue(purged("parked_record") - before >= 1, "sentinel_retention_purged_total{table=parked_record}");
    }

    private void park(String consumer, long offset, int daysAgo) {
        db.count("""
                with parked as (
                    insert into parked_record (consumer, topic, kafka_partition, kafka_offset, message_key, reason,
                                               raw_value, value_length, parked_at)
                    values ($1, 'security-events', 0, $2, 'someone@example.com', 'test', '{}', 2,
                            now() - make_interval(days => $3))
                    returning 1)
                select count(*) from parked""", consumer, offset, daysAgo);
    }

    private long records(String user, String key) {
        return db.count("select count(*) from spend_request where account_id = $1 and idempotency_key = $2", user, key);
    }

    private static double purged(String table) {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "sentinel_retention_purged_total", "table=\"" + table + "\"");
    }
}
