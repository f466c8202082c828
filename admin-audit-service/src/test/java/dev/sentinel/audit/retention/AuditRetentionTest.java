package dev.sentinel.audit.retention;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.audit.support.Rfc6962;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention: rows whose event time is older than the retention (400 days by default; the rows
 * here are back-dated by their event time) lose their payload in the purge, while their leaf
 * hashes, the tree and the checkpoints stay: an inclusion proof against the checkpoint signed
 * before the purge still verifies, verify stays valid, and the purged rows read as purged.
 * Rows within the retention are untouched; a purged row given a payload again is caught.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditRetentionTest {

    private static final String PATH = "/v1/admin/audit-logs";
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    AuditDb db;

    @Inject
    AuditRetention retention;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    private static EventEnvelope login(String subject, Instant time) {
        return new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION, EventType.AUTH_LOGIN_SUCCEEDED,
                "auth-service", time, subject, subject, "192.0.2.9", "Retained/1.0", "success", "ab".repeat(16),
                Events.JSON.createObjectNode().put("email", "old-" + subject.substring(0, 8) + "@example.test"));
    }

    private static double purgedMetric() {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "sentinel_retention_purged_total", "table=\"audit_log\"");
    }

    @Test
    void oldPayloadsArePurgedWhileProofsAndVerifyHold() {
        String subject = Events.newSubject();
        Instant old = Instant.now().minus(Duration.ofDays(500)).truncatedTo(ChronoUnit.SECONDS);
        EventEnvelope oldest = login(subject, old);
        EventEnvelope older = login(subject, old.plusSeconds(60));
        EventEnvelope recent = login(subject, Instant.now().minus(Duration.ofDays(399)));
        List.of(oldest, older, recent).forEach(events::send);
        events.flush();
        long first = db.seqOf(oldest.id());
        long second = db.seqOf(older.id());
        long third = db.seqOf(recent.id());
        long needed = Math.max(first, Math.max(second, third)) + 1;
        AuditDb.waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") >= needed);
        long size = db.count("select max(tree_size) from audit_checkpoint");
        byte[] root = db.one("select root_hash from audit_checkpoint where tree_size = $1", size).getBuffer(0).getBytes();
        String leaf = as(Roles.ADMIN).get(PATH + "/" + first).then().statusCode(200).body("purged", is(false))
                .body("ip", equalTo("192.0.2.9")).extract().path("leafHash");
        double metricBefore = purgedMetric();

        long purged = retention.purge().await().atMost(Duration.ofSeconds(60));
        assertTrue(purged >= 2, "purged " + purged);
        assertEquals(metricBefore + purged, purgedMetric(), "sentinel_retention_purged_total{table=audit_log} counts them");
        assertEquals(2, db.count("select count(*) from audit_log where seq = any($1) and purged_at is not null",
                (Object) new Long[] {first, second}));
        assertEquals(0, db.count("""
                select count(*) from audit_log where seq = any($1) and (subject is not null or actor is not null
                  or outcome is not null or ip is not null or user_agent is not null or ip_index is not null
                  or trace_id is not null or data is not null)""", (Object) new Long[] {first, second}));

        // The purged row reads as purged: its place in the tree, id, type, time and source stay.
        as(Roles.SUPPORT).get(PATH + "/" + first).then().statusCode(200)
                .body("purged", is(true)).body("leafHash", equalTo(leaf)).body("id", equalTo(oldest.id().toString()))
                .body("type", equalTo("auth.login_succeeded")).body("source", equalTo("auth-service"))
                .body("subject", nullValue()).body("ip", nullValue()).body("userAgent", nullValue())
                .body("data", nullValue()).body("traceId", nullValue()).body("personalDataErased", is(false));
        // The row within the retention keeps everything.
        as(Roles.SUPPORT).get(PATH + "/" + third).then().statusCode(200).body("purged", is(false))
                .body("subject", equalTo(subject)).body("ip", equalTo("192.0.2.9"));
        as(Roles.ADMIN).queryParam("subject", subject).get(PATH).then().statusCode(200)
                .body("items.size()", is(1)).body("items[0].seq", is((int) third));
        // Found by time, as purged; exported as purged.
        as(Roles.ADMIN).queryParam("from", old.toString()).queryParam("to", old.plusSeconds(61).toString())
                .queryParam("type", "auth.login_succeeded").get(PATH).then().statusCode(200)
                .body("items.seq", equalTo(List.of((int) second, (int) first)))
                .body("items.purged", equalTo(List.of(true, true)));
        String csv = as(Roles.ADMIN).queryParam("format", "csv").queryParam("from", old.toString())
                .queryParam("to", old.plusSeconds(1).toString()).get(PATH + "/export").then().statusCode(200).extract().asString();
        assertTrue(csv.split("\r\n")[1].endsWith(",false,true"), csv);
        assertFalse(csv.contains("192.0.2.9"), csv);

        // The proof against the checkpoint signed before the purge, and verify, still hold.
        JsonPath proof = as(Roles.ADMIN).queryParam("size", size).get(PATH + "/" + first + "/proof").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(leaf, proof.getString("leafHash"));
        List<byte[]> path = proof.getList("proof", String.class).stream().map(HEX::parseHex).toList();
        assertTrue(Rfc6962.verifyInclusion(first, size, HEX.parseHex(leaf), path, root));
        as(Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(true));

        // A second run leaves purged rows as they are.
        String stamp = db.one("select purged_at::text from audit_log where seq = $1", first).getString(0);
        retention.purge().await().atMost(Duration.ofSeconds(60));
        assertEquals(stamp, db.one("select purged_at::text from audit_log where seq = $1", first).getString(0));

        // A row marked purged that carries a payload again is named by verify.
        db.withAppendLock(() -> {
            db.execute("update audit_log set data = '{\"note\":\"forged\"}' where seq = $1", second);
            try {
                as(Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(false))
                        .body("problem", equalTo("edited")).body("firstBadSeq", is((int) second));
            } finally {
                db.execute("update audit_log set data = null where seq = $1", second);
            }
        });
        as(Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(true));
    }
}
