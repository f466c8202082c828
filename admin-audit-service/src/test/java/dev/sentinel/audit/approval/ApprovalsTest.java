package dev.sentinel.audit.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.audit.TestClock;
import dev.sentinel.audit.admin.StubServices;
import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four-eyes approvals over HTTP, with auth-service's internal API played by the test-owned
 * {@link StubServices} (which counts its ADMINs for the gate and applies role changes and 2FA
 * resets) and the real PostgreSQL and Kafka: the approval.* events travel through the outbox
 * and security-events back into this service's audit log.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
class ApprovalsTest {

    private static final String USERS = "/v1/admin/users/";
    private static final String APPROVALS = "/v1/admin/approvals";

    @Inject
    AuditDb db;

    @Inject
    TestClock clock;

    /** A request as {@code admin} in a session of its own (every call: a new {@code sid}). */
    private static RequestSpecification as(UUID admin, String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(admin.toString(), UUID.randomUUID().toString(),
                roles.length == 0 ? new String[] {Roles.ADMIN} : roles));
    }

    private static Response grantAdmin(UUID admin, UUID user) {
        return as(admin).contentType(ContentType.JSON).body(Map.of("roles", List.of("USER", "ADMIN")))
                .post(USERS + user + "/roles");
    }

    private static String requestGrant(UUID admin, UUID user) {
        return grantAdmin(admin, user).then().statusCode(202).extract().path("id");
    }

    /** The audit row of an approval event (waits for it to come back through Kafka). */
    private JsonNode row(String type, String approvalId) {
        String sql = "select count(*) from audit_log where type = $1 and data::jsonb ->> 'approvalId' = $2";
        AuditDb.waitUntil(() -> db.count(sql, type, approvalId) == 1);
        var found = db.one("select actor, subject, data::text from audit_log where type = $1 and data::jsonb ->> 'approvalId' = $2",
                type, approvalId);
        try {
            JsonNode data = Events.JSON.readTree(found.getString(2));
            return Events.JSON.createObjectNode().put("actor", found.getString(0)).put("subject", found.getString(1))
                    .set("data", data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void grantingAdminWaitsForASecondAdminAndTheRequesterCannotApprove() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b);
        UUID user = StubServices.newUser();

        Response pending = grantAdmin(a, user);
        String id = pending.then().statusCode(202).contentType(ContentType.JSON)
                .body("status", equalTo("PENDING")).body("action", equalTo("grant-admin"))
                .body("target", equalTo(user.toString())).body("roles", equalTo(List.of("ADMIN", "USER")))
                .body("requestedBy", equalTo(a.toString())).body("expiresAt", notNullValue())
                .body("decidedBy", nullValue()).extract().path("id");
        pending.then().header("Location", endsWith(APPROVALS + "/" + id));
        assertEquals(Set.of("USER"), StubServices.roles(user), "the role is unchanged until approved");
        assertTrue(StubServices.calls("auth", user + "/roles").isEmpty(), "auth was asked to change roles");

        as(b).get(APPROVALS + "/" + id).then().statusCode(200).body("status", equalTo("PENDING"));
        // The requester, in this session or another one: refused, and nothing runs.
        as(a).post(APPROVALS + "/" + id + "/approve").then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo(ErrorCode.BIZ_SELF_APPROVAL.name()));
        as(a).post(APPROVALS + "/" + id + "/approve").then().statusCode(403)
                .body("code", equalTo(ErrorCode.BIZ_SELF_APPROVAL.name()));
        as(a).post(APPROVALS + "/" + id + "/reject").then().statusCode(403)
                .body("code", equalTo(ErrorCode.BIZ_SELF_APPROVAL.name()));
        assertEquals(Set.of("USER"), StubServices.roles(user));

        as(b).post(APPROVALS + "/" + id + "/approve").then().statusCode(200)
                .body("status", equalTo("GRANTED")).body("decidedBy", equalTo(b.toString()))
                .body("result.roles", hasItem("ADMIN"));
        assertEquals(Set.of("ADMIN", "USER"), StubServices.roles(user));
        List<StubServices.Call> changes = StubServices.calls("auth", user + "/roles");
        assertEquals(1, changes.size(), changes.toString());
        assertEquals(b.toString(), changes.get(0).actingAdmin(), "the approver runs the action");

        // Decided: neither approved nor rejected again.
        as(b).post(APPROVALS + "/" + id + "/approve").then().statusCode(409)
                .body("code", equalTo(ErrorCode.BIZ_APPROVAL_CLOSED.name()));
        as(StubServices.newUser()).post(APPROVALS + "/" + id + "/reject").then().statusCode(409)
                .body("code", equalTo(ErrorCode.BIZ_APPROVAL_CLOSED.name()));

        // Each step is in the audit log, with its admin as actor and the roles before and after.
        JsonNode requested = row("approval.requested", id);
        assertEquals(a.toString(), requested.get("actor").asText());
        assertEquals(user.toString(), requested.get("subject").asText());
        assertEquals("grant-admin", requested.get("data").get("action").asText());
        assertEquals("[\"USER\"]", requested.get("data").get("before").get("roles").toString());
        assertEquals("[\"ADMIN\",\"USER\"]", requested.get("data").get("after").get("roles").toString());
        JsonNode granted = row("approval.granted", id);
        assertEquals(b.toString(), granted.get("actor").asText());
        assertEquals(a.toString(), granted.get("data").get("requestedBy").asText());
        assertEquals("approved", granted.get("data").get("fourEyes").asText());
        assertEquals("[\"ADMIN\",\"USER\"]", granted.get("data").get("after").get("roles").toString());
    }

    @Test
    void aRejectedActionNeverRuns() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b);
        UUID user = StubServices.newUser();
        String id = requestGrant(a, user);

        as(b).contentType(ContentType.JSON).body(Map.of("reason", "not this one")).post(APPROVALS + "/" + id + "/reject")
                .then().statusCode(200).body("status", equalTo("REJECTED")).body("decidedBy", equalTo(b.toString()))
                .body("reason", equalTo("not this one")).body("result", nullValue());
        as(b).post(APPROVALS + "/" + id + "/approve").then().statusCode(409)
                .body("code", equalTo(ErrorCode.BIZ_APPROVAL_CLOSED.name()));
        assertEquals(Set.of("USER"), StubServices.roles(user));
        assertTrue(StubServices.calls("auth", user + "/roles").isEmpty());

        JsonNode rejected = row("approval.rejected", id);
        assertEquals(b.toString(), rejected.get("actor").asText());
        assertEquals("not this one", rejected.get("data").get("reason").asText());
        assertEquals(a.toString(), rejected.get("data").get("requestedBy").asText());
        assertEquals(0, db.count("select count(*) from audit_log where type = 'approval.granted' and data::jsonb ->> 'approvalId' = $1", id));
    }

    @Test
    void anExpiredApprovalCannotBeDecided() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b);
        UUID user = StubServices.newUser();
        String id = requestGrant(a, user);
        try {
            clock.advance(Duration.ofHours(24).minusSeconds(5));
            as(b).get(APPROVALS + "/" + id).then().statusCode(200).body("status", equalTo("PENDING"));
            clock.advance(Duration.ofSeconds(10));
            as(b).get(APPROVALS + "/" + id).then().statusCode(200).body("status", equalTo("EXPIRED"));
            as(b).post(APPROVALS + "/" + id + "/approve").then().statusCode(409).contentType("application/problem+json")
                    .body("code", equalTo(ErrorCode.BIZ_APPROVAL_EXPIRED.name()));
            as(b).post(APPROVALS + "/" + id + "/reject").then().statusCode(409)
                    .body("code", equalTo(ErrorCode.BIZ_APPROVAL_EXPIRED.name()));
            List<String> expired = as(b).queryParam("status", "EXPIRED").queryParam("limit", 200).get(APPROVALS)
                    .then().statusCode(200).extract().path("items.id");
            assertTrue(expired.contains(id), expired.toString());
            List<String> pending = as(b).queryParam("status", "PENDING").queryParam("limit", 200).get(APPROVALS)
                    .then().statusCode(200).extract().path("items.id");
            assertFalse(pending.contains(id), pending.toString());
        } finally {
            clock.reset();
        }
        assertEquals(Set.of("USER"), StubServices.roles(user));
    }

    @Test
    void aSingleAdminActsAtOnceAndTheLogSaysSo() {
        UUID a = StubServices.newAdmin();
        StubServices.onlyAdmins(a);
        UUID user = StubServices.newUser();
        grantAdmin(a, user).then().statusCode(200).body("id", equalTo(user.toString()))
                .body("roles", hasItem("ADMIN"));
        assertEquals(Set.of("ADMIN", "USER"), StubServices.roles(user));

        String sql = "select count(*) from audit_log where type = 'approval.granted' and subject = $1";
        AuditDb.waitUntil(() -> db.count(sql, user.toString()) == 1);
        var found = db.one("select actor, data::jsonb ->> 'fourEyes', data::jsonb ->> 'action', data::jsonb -> 'after' ->> 'roles'"
                + " from audit_log where type = 'approval.granted' and subject = $1", user.toString());
        assertEquals(a.toString(), found.getString(0));
        assertEquals("single-admin", found.getString(1));
        assertEquals("grant-admin", found.getString(2));
        assertTrue(found.getString(3).contains("ADMIN"), found.getString(3));

        // Not a grant of ADMIN (SUPPORT, or a user who is an ADMIN already): no gate at all.
        StubServices.onlyAdmins(a, StubServices.newAdmin());
        UUID other = StubServices.newUser();
        as(a).contentType(ContentType.JSON).body(Map.of("roles", List.of("SUPPORT"))).post(USERS + other + "/roles")
                .then().statusCode(200).body("roles", equalTo(List.of("SUPPORT")));
    }

    @Test
    void resettingAnAdminsTwoFactorIsGatedAndRunsWithTheApproversToken() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        UUID target = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b, target);
        String id = as(a).post(USERS + target + "/reset-2fa").then().statusCode(202)
                .body("action", equalTo("reset-2fa-admin")).body("target", equalTo(target.toString()))
                .extract().path("id");
        assertTrue(StubServices.mfaEnabled(target));
        as(b).post(APPROVALS + "/" + id + "/approve").then().statusCode(200).body("status", equalTo("GRANTED"));
        assertFalse(StubServices.mfaEnabled(target));
        List<StubServices.Call> resets = StubServices.calls("auth", target + "/reset-2fa");
        assertEquals(1, resets.size());
        assertTrue(resets.get(0).authorization().startsWith("Bearer ey"), "the approver's own token");
        JsonNode granted = row("approval.granted", id);
        assertEquals("true", granted.get("data").get("before").get("mfaEnabled").asText());
        assertEquals("false", granted.get("data").get("after").get("mfaEnabled").asText());

        // A user who is not an ADMIN: at once (204), no approval.
        UUID user = StubServices.newUser();
        as(a).post(USERS + user + "/reset-2fa").then().statusCode(204);
        assertFalse(StubServices.mfaEnabled(user));
    }

    @Test
    void erasureWaitsForASecondAdmin() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b);
        String subject = Events.newSubject();
        try (Events events = new Events()) {
            EventEnvelope login = Events.login(subject, "gate-" + subject.substring(0, 8) + "@example.test");
            events.publish(login);
            db.seqOf(login.id());
        }
        String erase = "/v1/admin/audit-logs/subjects/" + subject + "/erase";
        // A subject the log does not know: 404 at once, no approval to wait for.
        long approvals = db.count("select count(*) from admin_approval");
        as(a).post("/v1/admin/audit-logs/subjects/" + Events.newSubject() + "/erase").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo(ErrorCode.SYS_NOT_FOUND.name()));
        assertEquals(approvals, db.count("select count(*) from admin_approval"));
        String id = as(a).post(erase).then().statusCode(202).body("action", equalTo("erase-subject"))
                .body("target", equalTo(subject)).extract().path("id");
        assertEquals(1, db.count("select count(*) from audit_subject_key where owner = $1", subject), "nothing erased yet");

        // approval.requested is about the subject too (its row holds the requester's client, sealed
        // under the subject's key): once it has landed, the erasure covers it and the login.
        row("approval.requested", id);
        as(b).post(APPROVALS + "/" + id + "/approve").then().statusCode(200).body("status", equalTo("GRANTED"))
                .body("result.subject", equalTo(subject)).body("result.rows", equalTo(2));
        String sql = "select count(*) from audit_log where type = 'subject.erased' and subject = $1";
        AuditDb.waitUntil(() -> db.count(sql, subject) == 1);
        var erased = db.one("select actor, data::jsonb ->> 'fourEyes', data::jsonb ->> 'approvalId', data::jsonb ->> 'requestedBy'"
                + " from audit_log where type = 'subject.erased' and subject = $1", subject);
        assertEquals(b.toString(), erased.getString(0));
        assertEquals("approved", erased.getString(1));
        assertEquals(id, erased.getString(2));
        assertEquals(a.toString(), erased.getString(3));
        row("approval.granted", id);
    }

    @Test
    void twoAdminsApprovingAtOnceRunTheActionOnce() throws Exception {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        UUID c = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b, c);
        for (int round = 0; round < 3; round++) {
            UUID user = StubServices.newUser();
            String id = requestGrant(a, user);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (UUID approver : List.of(b, c)) {
                    RequestSpecification request = as(approver);
                    Callable<Integer> approve = () -> {
                        start.await();
                        return request.post(APPROVALS + "/" + id + "/approve").then().extract().statusCode();
                    };
                    answers.add(pool.submit(approve));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
                statuses.sort(null);
                assertEquals(List.of(200, 409), statuses);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, StubServices.calls("auth", user + "/roles").size(), "the action ran once");
        }
    }

    @Test
    void onlyAdminsReachApprovals() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b);
        String id = requestGrant(a, StubServices.newUser());
        String one = APPROVALS + "/" + id;
        for (String role : List.of(Roles.SUPPORT, Roles.BILLING_ADMIN, Roles.USER, Roles.SERVICE)) {
            UUID caller = UUID.randomUUID();
            as(caller, role).get(APPROVALS).then().statusCode(403).contentType("application/problem+json")
                    .body("code", equalTo(ErrorCode.AUTH_FORBIDDEN.name()));
            as(caller, role).get(one).then().statusCode(403);
            as(caller, role).post(one + "/approve").then().statusCode(403);
            as(caller, role).post(one + "/reject").then().statusCode(403);
        }
        given().get(APPROVALS).then().statusCode(401).contentType("application/problem+json");
        given().get(one).then().statusCode(401);
        given().post(one + "/approve").then().statusCode(401);
        given().post(one + "/reject").then().statusCode(401);
        as(b).get(one).then().statusCode(200).body("status", equalTo("PENDING"));
    }

    @Test
    void everyStepIsCountedFromZero() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String step : List.of("requested", "granted", "rejected", "single_admin")) {
            assertEquals(1, PrometheusText.series(metrics, "sentinel_admin_approvals_total", "step=\"" + step + "\""), step);
        }
    }

    @Test
    void badInputIsAProblemNeverA500() {
        UUID b = StubServices.newAdmin();
        as(b).get(APPROVALS + "/not-a-uuid").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo(ErrorCode.VAL_INVALID_FIELDS.name())).body("errors[0].field", equalTo("id"));
        as(b).post(APPROVALS + "/not-a-uuid/approve").then().statusCode(400).body("errors[0].field", equalTo("id"));
        as(b).post(APPROVALS + "/" + UUID.randomUUID() + "/approve").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo(ErrorCode.BIZ_APPROVAL_NOT_FOUND.name()));
        as(b).post(APPROVALS + "/" + UUID.randomUUID() + "/reject").then().statusCode(404)
                .body("code", equalTo(ErrorCode.BIZ_APPROVAL_NOT_FOUND.name()));
        as(b).get(APPROVALS + "/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo(ErrorCode.BIZ_APPROVAL_NOT_FOUND.name()));
        as(b).queryParam("status", "OPEN").get(APPROVALS).then().statusCode(400).body("errors[0].field", equalTo("status"));
        as(b).queryParam("limit", "0").get(APPROVALS).then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(b).queryParam("limit", "x").get(APPROVALS).then().statusCode(400).body("errors[0].field", equalTo("limit"));
        as(b).queryParam("cursor", "garbage!").get(APPROVALS).then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        as(b).contentType(ContentType.JSON).body("{\"reason\":").post(APPROVALS + "/" + UUID.randomUUID() + "/reject")
                .then().statusCode(400).contentType("application/problem+json");
        as(b).contentType(ContentType.JSON).body(Map.of("reason", "x".repeat(501)))
                .post(APPROVALS + "/" + UUID.randomUUID() + "/reject").then().statusCode(400)
                .body("code", equalTo(ErrorCode.VAL_INVALID_FIELDS.name()));
        as(b).contentType(ContentType.JSON).body(Map.of("reason", "a\u0000b"))
                .post(APPROVALS + "/" + UUID.randomUUID() + "/reject").then().statusCode(400);
    }

    @Test
    void theListPagesWithAKeysetCursor() {
        UUID a = StubServices.newAdmin();
        UUID b = StubServices.newAdmin();
        StubServices.onlyAdmins(a, b);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(requestGrant(a, StubServices.newUser()));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = as(b).queryParam("status", "PENDING").queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get(APPROVALS).then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.id");
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 100);
        assertTrue(seen.containsAll(mine), seen + " lacks " + mine);
        assertEquals(seen.size(), Set.copyOf(seen).size(), "a row seen twice");
        // Newest first: the last request is the first of the three.
        assertTrue(seen.indexOf(mine.get(2)) < seen.indexOf(mine.get(0)));

        String next = as(b).queryParam("status", "PENDING").queryParam("limit", 1).get(APPROVALS).then().statusCode(200)
                .extract().path("nextCursor");
        as(b).queryParam("status", "GRANTED").queryParam("cursor", next).get(APPROVALS).then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        as(b).queryParam("cursor", next).get(APPROVALS).then().statusCode(400);
        List<String> all = as(b).queryParam("limit", 200).get(APPROVALS).then().statusCode(200).extract().path("items.id");
        assertTrue(all.containsAll(mine));
    }
}
