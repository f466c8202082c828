package dev.sentinel.audit.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.Api.asUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads and exports of the log are themselves audited: an admin's search, row, proof, verify
 * and export over HTTP are written to the outbox before the answer completes, published to the
 * real security-events topic by the shared relay, consumed back by this service and land as
 * {@code audit.read} / {@code audit.exported} rows naming the admin, their address, user agent
 * and trace. Refused requests (400, 403, 404) record nothing.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AccessAuditTest {

    private static final String PATH = "/v1/admin/audit-logs";
    private static final String CLIENT_IP = "198.51.100.7";
    private static final String AGENT = "AccessAuditTest/1.0 (console)";

    @Inject
    AuditDb db;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    private EventEnvelope landedLogin() {
        String subject = Events.newSubject();
        EventEnvelope login = Events.login(subject, "reader-" + subject.substring(0, 8) + "@example.test");
        events.publish(login);
        db.seqOf(login.id());
        return login;
    }

    /** The rows of {@code type} whose actor is {@code admin}, as another admin reads them (waits for {@code n}). */
    private List<JsonNode> rowsBy(String admin, String type, int n) {
        AuditDb.waitUntil(() -> db.count("select count(*) from audit_log where actor = $1 and type = $2", admin, type) >= n);
        JsonNode page = Events.JSON.valueToTree(as(Roles.ADMIN).queryParam("actor", admin).queryParam("type", type)
                .get(PATH).then().statusCode(200).extract().as(java.util.Map.class));
        List<JsonNode> items = new java.util.ArrayList<>();
        page.get("items").forEach(items::add);
        assertEquals(n, items.size(), page.toString());
        return items;
    }

    private long outboxRowsOf(String admin) {
        return db.count("select count(*) from outbox where payload->>'actor' = $1", admin);
    }

    @Test
    void aSearchLandsAsAuditReadWithTheAdminAsActor() {
        EventEnvelope login = landedLogin();
        String admin = UUID.randomUUID().toString();
        String traceId = UUID.randomUUID().toString().replace("-", "");

        asUser(admin, Roles.ADMIN).header("User-Agent", AGENT).header("X-Forwarded-For", CLIENT_IP)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .queryParam("subject", login.subject()).queryParam("ip", login.ip()).queryParam("count", "true")
                .get(PATH).then().statusCode(200).body("items.size()", is(1)).body("total", is(1));
        // Written before the answer completed.
        assertEquals(1, outboxRowsOf(admin));

        JsonNode row = rowsBy(admin, "audit.read", 1).get(0);
        assertEquals("audit.read", row.get("type").asText());
        assertEquals("admin-audit-service", row.get("source").asText());
        assertEquals(admin, row.get("actor").asText());
        assertEquals(admin, row.get("subject").asText());
        assertEquals("success", row.get("outcome").asText());
        assertEquals(CLIENT_IP, row.get("ip").asText());
        assertEquals(AGENT, row.get("userAgent").asText());
        assertEquals(traceId, row.get("traceId").asText());
        JsonNode data = row.get("data");
        assertEquals("search", data.get("operation").asText());
        assertEquals(login.subject(), data.get("filters").get("subject").asText());
        assertEquals(AccessAudit.REDACTED, data.get("filters").get("ip").asText());
        assertEquals(1, data.get("rowCount").asInt());
        assertEquals(1, data.get("total").asInt());
        assertFalse(data.get("cursor").asBoolean());
        // The searched address is someone else's personal data: it is not in the stored row.
        assertEquals(0, db.count("select count(*) from audit_log where actor = $1 and data like $2", admin,
                "%" + login.ip() + "%"));
    }

    @Test
    void anExportLandsAsAuditExportedWithFormatFiltersAndRowCount() {
        EventEnvelope first = landedLogin();
        String admin = UUID.randomUUID().toString();

        String body = asUser(admin, Roles.ADMIN).header("User-Agent", AGENT).queryParam("format", "jsonl")
                .queryParam("subject", first.subject()).queryParam("type", "auth.login_succeeded")
                .get(PATH + "/export").then().statusCode(200).extract().asString();
        assertEquals(1, body.split("\n").length, body);

        JsonNode row = rowsBy(admin, "audit.exported", 1).get(0);
        assertEquals(admin, row.get("actor").asText());
        assertEquals("success", row.get("outcome").asText());
        assertEquals(AGENT, row.get("userAgent").asText());
        JsonNode data = row.get("data");
        assertEquals("jsonl", data.get("format").asText());
        assertEquals(1, data.get("rowCount").asInt());
        assertTrue(data.get("completed").asBoolean());
        assertEquals(first.subject(), data.get("filters").get("subject").asText());
        assertEquals("auth.login_succeeded", data.get("filters").get("type").get(0).asText());

        // A CSV export of nothing is recorded too, with its zero rows.
        asUser(admin, Roles.ADMIN).queryParam("format", "csv").queryParam("subject", Events.newSubject())
                .get(PATH + "/export").then().statusCode(200);
        List<JsonNode> both = rowsBy(admin, "audit.exported", 2);
        JsonNode empty = both.stream().filter(r -> r.get("data").get("format").asText().equals("csv")).findFirst().orElseThrow();
        assertEquals(0, empty.get("data").get("rowCount").asInt());
    }

    @Test
    void aRowItsProofAndVerifyAreReads() {
        EventEnvelope login = landedLogin();
        long seq = db.seqOf(login.id());
        String admin = UUID.randomUUID().toString();

        asUser(admin, Roles.SUPPORT).get(PATH + "/" + seq).then().statusCode(200).body("seq", is((int) seq));
        AuditDb.waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") > seq);
        asUser(admin, Roles.SUPPORT).get(PATH + "/" + seq + "/proof").then().statusCode(200);
        asUser(admin, Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(true));
        // Checkpoints and the public key show no row: not recorded.
        asUser(admin, Roles.ADMIN).get(PATH + "/checkpoints/latest").then().statusCode(200);
        asUser(admin, Roles.ADMIN).get(PATH + "/public-key").then().statusCode(200);
        assertEquals(3, outboxRowsOf(admin));

        List<JsonNode> reads = rowsBy(admin, "audit.read", 3);
        List<String> operations = reads.stream().map(r -> r.get("data").get("operation").asText()).sorted().toList();
        assertEquals(List.of("entry", "proof", "verify"), operations);
        JsonNode entry = reads.stream().filter(r -> r.get("data").get("operation").asText().equals("entry")).findFirst().orElseThrow();
        assertEquals(seq, entry.get("data").get("seq").asLong());
        JsonNode verify = reads.stream().filter(r -> r.get("data").get("operation").asText().equals("verify")).findFirst().orElseThrow();
        assertTrue(verify.get("data").get("valid").asBoolean());
    }

    @Test
    void refusedReadsRecordNothing() {
        String admin = UUID.randomUUID().toString();
        asUser(admin, Roles.ADMIN).queryParam("ip", "not-an-address").get(PATH).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"));
        asUser(admin, Roles.ADMIN).queryParam("format", "xml").get(PATH + "/export").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"));
        asUser(admin, Roles.ADMIN).get(PATH + "/999999999").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("SYS_NOT_FOUND"));
        asUser(admin, Roles.SUPPORT).queryParam("format", "csv").get(PATH + "/export").then().statusCode(403)
                .contentType("application/problem+json");
        asUser(admin, Roles.SUPPORT).get(PATH + "/verify").then().statusCode(403);
        asUser(admin, Roles.USER).get(PATH).then().statusCode(403);
        given().get(PATH).then().statusCode(401);
        assertEquals(0, outboxRowsOf(admin));
        // ...while the same admin's answered search is recorded at once.
        asUser(admin, Roles.ADMIN).queryParam("subject", Events.newSubject()).get(PATH).then().statusCode(200);
        assertEquals(1, outboxRowsOf(admin));
    }
}
