package dev.sentinel.audit.erase;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.audit.admin.StubServices;
import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.audit.support.Rfc6962;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.Api.asUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure over HTTP: a subject's email, ip and user agent are readable before, and after
 * {@code POST subjects/{id}/erase} no read or export shows them, a search by their ip finds none
 * of their rows, their key is gone from the database (and from pg_dump), while every leaf,
 * inclusion proof against an earlier checkpoint and verify stay valid, and {@code subject.erased}
 * lands in the log. The role matrix and the refusals (bad id, unknown subject, erased twice)
 * write nothing. auth-service (a test-owned stand-in) knows no second ADMIN here, so the
 * four-eyes gate lets the erasure run at once and says so ({@code fourEyes: "single-admin"});
 * the gated erasure is in {@code ApprovalsTest}.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
class SubjectErasureTest {

    private static final String PATH = "/v1/admin/audit-logs";
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    AuditDb db;

    final Events events = new Events();

    @BeforeEach
    void noSecondAdmin() {
        StubServices.onlyAdmins();
    }

    @AfterEach
    void close() {
        events.close();
    }

    private static EventEnvelope event(EventType type, String subject, String ip, String userAgent, String email) {
        return new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION, type, "auth-service", Instant.now(),
                subject, subject, ip, userAgent, "success", UUID.randomUUID().toString().replace("-", ""),
                Events.JSON.createObjectNode().put("email", email).put("method", "password"));
    }

    private static String erase(String subject) {
        return PATH + "/subjects/" + subject + "/erase";
    }

    @Test
    void erasedPersonalFieldsAreGoneWhileProofsAndVerifyHold() throws Exception {
        String subject = Events.newSubject();
        String other = Events.newSubject();
        String ip = "203.0.113.77";
        String email = "erase-me-" + subject.substring(0, 8) + "@example.test";
        String agent = "EraseMe/1.0 (" + subject + ")";
        List<EventEnvelope> mine = List.of(event(EventType.USER_REGISTERED, subject, ip, agent, email),
                event(EventType.AUTH_LOGIN_SUCCEEDED, subject, ip, agent, email));
        EventEnvelope theirs = event(EventType.AUTH_LOGIN_SUCCEEDED, other, ip, "Other/1.0", "other-" + other + "@example.test");
        mine.forEach(events::send);
        events.send(theirs);
        events.flush();
        long first = db.seqOf(mine.get(0).id());
        long second = db.seqOf(mine.get(1).id());
        db.seqOf(theirs.id());

        // Before: readable, searchable by ip; a checkpoint covers the rows; the key is in pg_dump.
        as(Roles.SUPPORT).get(PATH + "/" + first).then().statusCode(200)
                .body("ip", equalTo(ip)).body("userAgent", equalTo(agent)).body("data.email", equalTo(email))
                .body("personalDataErased", is(false));
        as(Roles.ADMIN).queryParam("ip", ip).queryParam("subject", subject).get(PATH).then().statusCode(200)
                .body("items.size()", is(2));
        String leafBefore = as(Roles.ADMIN).get(PATH + "/" + second).then().extract().path("leafHash");
        long needed = Math.max(first, second) + 1;
        AuditDb.waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") >= needed);
        long size = db.count("select max(tree_size) from audit_checkpoint");
        byte[] root = db.one("select root_hash from audit_checkpoint where tree_size = $1", size).getBuffer(0).getBytes();
        String wrappedKey = HEX.formatHex(db.one("select wrapped_key from audit_subject_key where owner = $1", subject)
                .getBuffer(0).getBytes());
        assertTrue(dump().contains(wrappedKey), "pg_dump shows the subject's wrapped key before erasure");

        // Roles: only ADMIN erases; nothing happens on a refusal.
        as(Roles.SUPPORT).post(erase(subject)).then().statusCode(403).contentType("application/problem+json");
        as(Roles.USER).post(erase(subject)).then().statusCode(403);
        as(Roles.SERVICE).post(erase(subject)).then().statusCode(403);
        as(Roles.BILLING_ADMIN).post(erase(subject)).then().statusCode(403);
        given().post(erase(subject)).then().statusCode(401).contentType("application/problem+json");
        assertEquals(1, db.count("select count(*) from audit_subject_key where owner = $1", subject));

        String admin = UUID.randomUUID().toString();
        double erasuresBefore = erasures();
        asUser(admin, Roles.ADMIN).header("User-Agent", "EraserConsole/2.0").post(erase(subject)).then().statusCode(200)
                .body("subject", equalTo(subject)).body("rows", is(2)).body("ipIndexesCleared", is(2));

        assertEquals(erasuresBefore + 1, erasures(), "sentinel_audit_subjects_erased_total");
        // The key and the blind index are gone; the ciphertext and leaf hashes stay.
        // (subject.erased may already have landed and given the subject a new key: look at the old one and the old rows.)
        Long[] erasedRows = {first, second};
        assertEquals(0, db.count("select count(*) from audit_subject_key where owner = $1 and encode(wrapped_key, 'hex') = $2",
                subject, wrappedKey));
        assertEquals(0, db.count("select count(*) from audit_log where seq = any($1) and ip_index is not null", (Object) erasedRows));
        assertEquals(2, db.count("select count(*) from audit_log where seq = any($1) and ip is not null", (Object) erasedRows));
        String dump = dump();
        assertFalse(dump.contains(wrappedKey), "the wrapped key is gone from pg_dump");
        for (String plain : List.of(email, ip, agent)) {
            assertFalse(dump.contains(plain), "no plain personal field in pg_dump: " + plain);
        }

        // Reads show the fields as erased, not as an error; also once the subject has a new key
        // (subject.erased itself, naming the admin's client, made one), under which the old
        // ciphertext does not open either.
        AuditDb.waitUntil(() -> db.count("select count(*) from audit_subject_key where owner = $1", subject) == 1);
        as(Roles.SUPPORT).get(PATH + "/" + first).then().statusCode(200)
                .body("ip", nullValue()).body("userAgent", nullValue()).body("data.email", nullValue())
                .body("data.method", equalTo("password")).body("personalDataErased", is(true));
        as(Roles.ADMIN).queryParam("subject", subject).queryParam("type", "user.registered").queryParam("type", "auth.login_succeeded")
                .get(PATH).then().statusCode(200).body("items.size()", is(2))
                .body("items.ip", equalTo(java.util.Arrays.asList(null, null)))
                .body("items.personalDataErased", equalTo(List.of(true, true)));
        // A search by their ip finds only the other subject's row.
        as(Roles.ADMIN).queryParam("ip", ip).get(PATH).then().statusCode(200)
                .body("items.size()", is(1)).body("items[0].subject", equalTo(other)).body("items[0].ip", equalTo(ip));
        for (String format : List.of("csv", "jsonl")) {
            String export = as(Roles.ADMIN).queryParam("format", format).queryParam("subject", subject)
                    .queryParam("type", "auth.login_succeeded").get(PATH + "/export").then().statusCode(200).extract().asString();
            assertTrue(export.contains(leafBefore), format + " still lists the row");
            for (String plain : List.of(email, ip, agent)) {
                assertFalse(export.contains(plain), format + " shows no " + plain);
            }
        }

        // Every proof still holds: the leaf is the same, and includes in the checkpoint signed before.
        JsonPath proof = as(Roles.ADMIN).queryParam("size", size).get(PATH + "/" + second + "/proof").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(leafBefore, proof.getString("leafHash"));
        List<byte[]> path = proof.getList("proof", String.class).stream().map(HEX::parseHex).toList();
        assertTrue(Rfc6962.verifyInclusion(second, size, HEX.parseHex(leafBefore), path, root));
        as(Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(true));

        // subject.erased lands, about the subject, by the admin.
        AuditDb.waitUntil(() -> db.count("select count(*) from audit_log where type = 'subject.erased' and subject = $1", subject) == 1);
        JsonNode erased = Events.JSON.valueToTree(as(Roles.ADMIN).queryParam("subject", subject).queryParam("type", "subject.erased")
                .get(PATH).then().statusCode(200).extract().as(Map.class)).get("items").get(0);
        assertEquals(admin, erased.get("actor").asText());
        assertEquals("admin-audit-service", erased.get("source").asText());
        assertEquals(2, erased.get("data").get("rows").asInt());
        assertEquals("single-admin", erased.get("data").get("fourEyes").asText());
        // ...and the gate's own record: approval.granted, single-admin, by the admin.
        AuditDb.waitUntil(() -> db.count("select count(*) from audit_log where type = 'approval.granted' and subject = $1"
                + " and data::jsonb ->> 'fourEyes' = 'single-admin' and actor = $2", subject, admin) == 1);

        // The erasure's own rows (subject.erased and approval.granted) name the admin's client, sealed
        // under a fresh key of the subject: erasing again erases those too, and verify holds after both.
        assertEquals(1, db.count("select count(*) from audit_subject_key where owner = $1", subject));
        asUser(admin, Roles.ADMIN).post(erase(subject)).then().statusCode(200).body("rows", is(4));
        AuditDb.waitUntil(() -> db.count("select count(*) from audit_log where type = 'subject.erased' and subject = $1", subject) == 2);
        as(Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(true));
    }

    @Test
    void badAndUnknownSubjectsAreProblemsAndWriteNothing() {
        long before = db.count("select count(*) from outbox where event_type = 'subject.erased'");
        double erasuresBefore = erasures();
        as(Roles.ADMIN).post(erase(Events.newSubject())).then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("SYS_NOT_FOUND"));
        as(Roles.ADMIN).post(erase("event:" + UUID.randomUUID())).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"))
                .body("errors[0].field", equalTo("id"));
        as(Roles.ADMIN).post(erase("x".repeat(129))).then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.ADMIN).urlEncodingEnabled(false).post(PATH + "/subjects/a%00b/erase").then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.ADMIN).get(erase(Events.newSubject())).then().statusCode(405);
        // Rows but no key: nothing (left) to erase.
        String plain = Events.newSubject();
        EventEnvelope noPersonalFields = new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION,
                EventType.PLAN_CHANGED, "account-service", Instant.now(), plain, "system", null, null, "success", null,
                Events.JSON.createObjectNode().put("plan", "pro"));
        events.publish(noPersonalFields);
        db.seqOf(noPersonalFields.id());
        as(Roles.ADMIN).post(erase(plain)).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("BIZ_CONFLICT"));
        assertEquals(before, db.count("select count(*) from outbox where event_type = 'subject.erased'"));
        assertEquals(erasuresBefore, erasures());
    }

    private static double erasures() {
        return dev.sentinel.contracts.testing.PrometheusText.sum(given().get("/q/metrics").then().statusCode(200)
                .extract().asString(), "sentinel_audit_subjects_erased_total", "");
    }

    /** The data of the audit tables as pg_dump writes it (the local server trusts loopback). */
    private static String dump() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--data-only",
                "-t", "audit_log", "-t", "audit_subject_key", "audit_test").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
