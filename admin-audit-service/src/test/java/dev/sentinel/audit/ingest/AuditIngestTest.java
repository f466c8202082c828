package dev.sentinel.audit.ingest;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.AuditDb.waitUntil;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * security-events from the real topic land as audit rows once per event id, with their
 * personal fields encrypted at rest and readable through the API; unreadable records are
 * parked with their reason and never hold up the records behind them.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditIngestTest {

    @Inject
    AuditDb db;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void anEventLandsOnceWithEveryFieldAndItsPlaceInTheTree() {
        String subject = Events.newSubject();
        String email = "login-" + subject + "@example.test";
        EventEnvelope event = Events.login(subject, email);
        for (int i = 0; i < 3; i++) {
            events.publish(event);
        }
        // A later record on the same partition proves the consumer went past all three copies.
        EventEnvelope marker = Events.login(subject, "marker-" + subject + "@example.test");
        events.publish(marker);
        db.seqOf(marker.id());

        assertEquals(1, db.count("select count(*) from audit_log where event_id = $1", event.id()));
        long seq = db.seqOf(event.id());
        as(Roles.ADMIN).get("/v1/admin/audit-logs/" + seq).then().statusCode(200)
                .body("seq", equalTo((int) seq))
                .body("leafHash", matchesPattern("[0-9a-f]{64}"))
                .body("id", equalTo(event.id().toString()))
                .body("type", equalTo("auth.login_succeeded"))
                .body("source", equalTo("auth-service"))
                .body("subject", equalTo(subject))
                .body("actor", equalTo(subject))
                .body("outcome", equalTo("success"))
                .body("ip", equalTo(event.ip()))
                .body("userAgent", equalTo(event.userAgent()))
                .body("traceId", equalTo(event.traceId()))
                .body("data.email", equalTo(email))
                .body("data.method", equalTo("password"))
                .body("personalDataErased", equalTo(false));
        as(Roles.SUPPORT).get("/v1/admin/audit-logs/" + seq).then().statusCode(200).body("seq", equalTo((int) seq));
    }

    @Test
    void personalFieldsAreNotStoredInPlainText() {
        String subject = Events.newSubject();
        String email = "secret-" + subject + "@example.test";
        EventEnvelope event = Events.login(subject, email);
        events.publish(event);
        db.seqOf(event.id());

        Row row = db.one("select ip, user_agent, data from audit_log where event_id = $1", event.id());
        String ip = new String(row.getBuffer(0).getBytes(), StandardCharsets.ISO_8859_1);
        String userAgent = new String(row.getBuffer(1).getBytes(), StandardCharsets.ISO_8859_1);
        assertFalse(ip.contains(event.ip()), "ip stored in plain text");
        assertFalse(userAgent.contains(subject), "user agent stored in plain text");
        assertFalse(row.getString(2).contains(email), "email stored in plain text: " + row.getString(2));
        assertTrue(row.getString(2).contains("\"email\":\"enc:v1:"), row.getString(2));
        assertEquals(1, db.count("select count(*) from audit_subject_key where owner = $1", subject));
    }

    @Test
    void unreadableRecordsAreParkedWithTheirReasonAndTheNextOneLands() {
        String subject = Events.newSubject();
        EventEnvelope valid = Events.login(subject, "after-" + subject + "@example.test");
        String validJson = json(valid);
        double parkedBefore = parkedMetric();

        events.publishRaw(subject, "{not json " + subject);
        events.publishRaw(subject, validJson.replace("\"specversion\":\"1.0\"", "\"specversion\":\"9.9\"")
                .replace(valid.id().toString(), java.util.UUID.randomUUID().toString()));
        events.publishRaw(subject, "{\"specversion\":\"1.0\",\"id\":\"" + java.util.UUID.randomUUID()
                + "\",\"type\":\"user.locked\",\"source\":\"auth-service\",\"time\":\"2026-01-01T00:00:00Z\",\"subject\":\""
                + subject + "\",\"actor\":\"nul\\u0000byte\"}");
        events.publishRaw(subject, "{\"specversion\":\"1.0\",\"id\":\"" + java.util.UUID.randomUUID()
                + "\",\"type\":\"no.such_type\",\"source\":\"auth-service\",\"time\":\"2026-01-01T00:00:00Z\",\"subject\":\""
                + subject + "\"}");
        events.publishRaw(subject, "{\"raw\":\"\u0000\",\"subject\":\"" + subject + "\"}");
        events.publish(valid);
        db.seqOf(valid.id());

        // In the shared parked_record, under the ingest's consumer name, with key and value.
        String parked = "select count(*) from parked_record where consumer = 'admin-audit-service.audit-log'"
                + " and message_key = $1 and position($1 in raw_value) > 0 and value_length = length(raw_value)";
        assertEquals(5, db.count(parked, subject));
        assertEquals(1, db.count(parked + " and reason like 'not JSON%'", subject));
        assertEquals(1, db.count(parked + " and reason = 'unknown envelope version: 9.9'", subject));
        assertEquals(1, db.count(parked + " and reason = 'NUL character in actor'", subject));
        assertEquals(1, db.count(parked + " and reason = 'unknown event type: no.such_type'", subject));
        // The NUL PostgreSQL text cannot hold is replaced, as ParkedRecords does for every consumer.
        assertEquals(1, db.count(parked + " and reason = 'NUL byte in the record' and position(U&'\\FFFD' in raw_value) > 0",
                subject));
        assertEquals(0, db.count("select count(*) from audit_log where subject = $1 and event_id <> $2", subject, valid.id()));
        assertTrue(parkedMetric() >= parkedBefore + 5);
    }

    @Test
    void metricsArePresent() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1, PrometheusText.series(text, "sentinel_consumer_parked_total", PARKED_BY_INGEST), "parked series missing");
        for (String name : new String[] {"sentinel_audit_rows_appended_total", "sentinel_audit_subjects_erased_total",
                "sentinel_audit_ingest_lag_seconds", "sentinel_audit_checkpoint_age_seconds"}) {
            assertTrue(text.contains("\n" + name + " ") || text.contains("\n" + name + "{"), name + " missing");
        }
    }

    @Test
    void readsNeedAnAdminOrSupportToken() {
        given().get("/v1/admin/audit-logs/0").then().statusCode(401).body("code", equalTo("AUTH_UNAUTHENTICATED"));
        as(Roles.USER).get("/v1/admin/audit-logs/0").then().statusCode(403).body("code", equalTo("AUTH_FORBIDDEN"));
        as(Roles.SERVICE).get("/v1/admin/audit-logs/0").then().statusCode(403);
        as(Roles.BILLING_ADMIN).get("/v1/admin/audit-logs/0").then().statusCode(403);
        as(Roles.SUPPORT).get("/v1/admin/audit-logs/verify").then().statusCode(403);
        as(Roles.USER).get("/v1/admin/audit-logs/public-key").then().statusCode(403);
        given().get("/v1/admin/audit-logs/checkpoints/latest").then().statusCode(401);
    }

    @Test
    void badOrUnknownSeqIsAProblem() {
        as(Roles.ADMIN).get("/v1/admin/audit-logs/abc").then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.ADMIN).get("/v1/admin/audit-logs/-1").then().statusCode(400);
        as(Roles.ADMIN).get("/v1/admin/audit-logs/99999999999999999999").then().statusCode(400);
        as(Roles.ADMIN).get("/v1/admin/audit-logs/999999999999").then().statusCode(404).body("code", equalTo("SYS_NOT_FOUND"));
    }

    /** The shared parked-records series of this service's ingest. */
    private static final String PARKED_BY_INGEST = "consumer=\"admin-audit-service.audit-log\"";

    private double parkedMetric() {
        return PrometheusText.sum(given().get("/q/metrics").then().extract().asString(), "sentinel_consumer_parked_total",
                PARKED_BY_INGEST);
    }

    private static String json(EventEnvelope event) {
        try {
            return Events.JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
