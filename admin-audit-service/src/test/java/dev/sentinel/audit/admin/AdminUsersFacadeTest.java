package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's session revocation and user detail at the module's edge, against test-owned stand-ins of auth
 * and account ({@link StubServices}) that answer: the role matrix with real answers, what is
 * passed on to auth (the SERVICE token, the caller as acting administrator, the session), and
 * auth's 404s handed on as the same problem.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUsersFacadeTest {

    private static final String USERS = "/v1/admin/users";

    private static RequestSpecification as(String subject, String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(subject, UUID.randomUUID().toString(), roles));
    }

    @Test
    @Order(1)
    void adminAndSupportRevokeSessionsOthersAreRefused() {
        UUID user = StubServices.newUser(true);
        String revoke = USERS + "/" + user + "/sessions/revoke";

        String admin = UUID.randomUUID().toString();
        as(admin, Roles.ADMIN).post(revoke).then().statusCode(200).body("revoked", equalTo(2));
        String support = UUID.randomUUID().toString();
        as(support, Roles.SUPPORT).contentType(ContentType.JSON).body(Map.of("sessionId", StubServices.SESSION.toString()))
                .post(revoke).then().statusCode(200).body("revoked", equalTo(1));

        List<StubServices.Call> calls = StubServices.calls("auth", user + "/sessions/revoke");
        assertEquals(2, calls.size(), calls.toString());
        assertEquals(admin, calls.get(0).actingAdmin());
        assertEquals("Bearer " + StubServices.SERVICE_TOKEN, calls.get(0).authorization());
        assertTrue(calls.get(0).body().contains("\"sessionId\":null"), calls.get(0).body());
        assertEquals(support, calls.get(1).actingAdmin());
        assertTrue(calls.get(1).body().contains(StubServices.SESSION.toString()), calls.get(1).body());

        given().post(revoke).then().statusCode(401).contentType("application/problem+json");
        for (String role : List.of(Roles.BILLING_ADMIN, Roles.USER, Roles.SERVICE)) {
            as(UUID.randomUUID().toString(), role).post(revoke).then().statusCode(403)
                    .contentType("application/problem+json").body("code", equalTo(ErrorCode.AUTH_FORBIDDEN.name()));
        }
        assertEquals(2, StubServices.calls("auth", user + "/sessions/revoke").size(), "a refused caller reached auth");
    }

    @Test
    @Order(2)
    void unknownUsersAndSessionsAre404sAndBadInput400s() {
        as(UUID.randomUUID().toString(), Roles.ADMIN).post(USERS + "/" + UUID.randomUUID() + "/sessions/revoke")
                .then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo(ErrorCode.BIZ_USER_NOT_FOUND.name()));
        UUID user = StubServices.newUser(true);
        as(UUID.randomUUID().toString(), Roles.SUPPORT).contentType(ContentType.JSON)
                .body(Map.of("sessionId", UUID.randomUUID().toString())).post(USERS + "/" + user + "/sessions/revoke")
                .then().statusCode(404).body("code", equalTo(ErrorCode.SYS_NOT_FOUND.name()));

        int before = StubServices.calls("auth", "/sessions/revoke").size();
        as(UUID.randomUUID().toString(), Roles.ADMIN).post(USERS + "/not-a-uuid/sessions/revoke")
                .then().statusCode(400).body("errors[0].field", equalTo("id"));
        as(UUID.randomUUID().toString(), Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("sessionId", "nope"))
                .post(USERS + "/" + user + "/sessions/revoke").then().statusCode(400)
                .body("code", equalTo(ErrorCode.VAL_INVALID_FIELDS.name())).body("errors[0].field", equalTo("sessionId"));
        as(UUID.randomUUID().toString(), Roles.ADMIN).contentType(ContentType.JSON).body("{\"sessionId\":")
                .post(USERS + "/" + user + "/sessions/revoke").then().statusCode(400)
                .contentType("application/problem+json");
        assertEquals(before, StubServices.calls("auth", "/sessions/revoke").size(), "bad input reached auth");
    }

    @Test
    @Order(2)
    void theTwoFactorVerifiedAndCreatedFiltersReachAuth() {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        as(UUID.randomUUID().toString(), Roles.SUPPORT).queryParam("query", marker).queryParam("mfa", "true")
                .queryParam("verified", "false").queryParam("createdFrom", "2026-01-01T00:00:00Z")
                .queryParam("createdTo", "2026-02-01T00:00:00+02:00").get(USERS).then().statusCode(200)
                .body("items", hasSize(0));
        List<StubServices.Call> calls = StubServices.calls("auth", "query=" + marker);
        assertEquals(1, calls.size(), calls.toString());
        String sent = java.net.URLDecoder.decode(calls.get(0).path(), java.nio.charset.StandardCharsets.UTF_8);
        for (String part : List.of("mfa=true", "verified=false", "createdFrom=2026-01-01T00:00:00Z",
                "createdTo=2026-02-01T00:00:00+02:00", "count=false")) {
            assertTrue(sent.contains(part), sent);
        }
        // The total (a count(*) at auth) only when the caller asks for it.
        as(UUID.randomUUID().toString(), Roles.ADMIN).queryParam("query", marker + "x").queryParam("count", true)
                .get(USERS).then().statusCode(200).body("total", equalTo(0));
        List<StubServices.Call> counted = StubServices.calls("auth", "query=" + marker + "x");
        assertTrue(counted.get(0).path().contains("count=true"), counted.toString());
        as(UUID.randomUUID().toString(), Roles.ADMIN).queryParam("plan", "GOLD").get(USERS).then().statusCode(400)
                .body("errors[0].field", equalTo("plan"));
    }

    @Test
    @Order(3)
    void theDetailComposesAuthAndAccountByRole() {
        UUID user = StubServices.newUser(true);
        as(UUID.randomUUID().toString(), Roles.ADMIN).get(USERS + "/" + user).then().statusCode(200)
                .body("id", equalTo(user.toString())).body("status", equalTo("ACTIVE"))
                .body("lockout.locked", equalTo(false)).body("lockout.failures", equalTo(2))
                .body("recoveryCodesLeft", equalTo(7))
                .body("sessions", hasSize(1)).body("sessions[0].id", equalTo(StubServices.SESSION.toString()))
                .body("sessions[0].network", equalTo("198.18.7.0/24"))
                .body("billing.plan", equalTo("PRO")).body("billing.spentCents", equalTo(1234))
                .body("billing.monthlyCapCents", equalTo(50000)).body("billing.remainingCents", equalTo(48666))
                .body("billing.periodStart", equalTo("2026-11-01T00:00:00Z")).body("unavailable", nullValue());
        List<StubServices.Call> reads = StubServices.calls("account", user.toString());
        assertEquals(2, reads.size(), reads.toString());
        assertTrue(reads.stream().allMatch(c -> ("Bearer " + StubServices.SERVICE_TOKEN).equals(c.authorization())));

        // BILLING_ADMIN: the profile and the plan/spend part only; auth is not even asked for sessions.
        UUID other = StubServices.newUser(true);
        as(UUID.randomUUID().toString(), Roles.BILLING_ADMIN).get(USERS + "/" + other).then().statusCode(200)
                .body("email", notNullValue()).body("billing.plan", equalTo("PRO"))
                .body("sessions", nullValue()).body("lockout", nullValue()).body("recoveryCodesLeft", nullValue());
        assertEquals(0, StubServices.calls("auth", other + "/sessions").size());
        as(UUID.randomUUID().toString(), Roles.SUPPORT).get(USERS + "/" + other).then().statusCode(200)
                .body("sessions", hasSize(1)).body("billing.spentCents", equalTo(1234));

        // No account yet: no billing, and nothing is unavailable.
        UUID fresh = StubServices.newUser(false);
        as(UUID.randomUUID().toString(), Roles.ADMIN).get(USERS + "/" + fresh).then().statusCode(200)
                .body("billing", nullValue()).body("unavailable", nullValue()).body("sessions", hasSize(1));

        as(UUID.randomUUID().toString(), Roles.ADMIN).get(USERS + "/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo(ErrorCode.BIZ_USER_NOT_FOUND.name()));
        for (String role : List.of(Roles.USER, Roles.SERVICE)) {
            as(UUID.randomUUID().toString(), role).get(USERS + "/" + user).then().statusCode(403);
        }
        given().get(USERS + "/" + user).then().statusCode(401);
    }

    @Test
    @Order(4)
    void withAccountGoneTheDetailStillAnswersAndSaysSo() {
        UUID user = StubServices.newUser(true);
        StubServices.cutAccount();
        long started = System.nanoTime();
        as(UUID.randomUUID().toString(), Roles.ADMIN).get(USERS + "/" + user).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("sessions", hasSize(1)).body("billing", nullValue())
                .body("unavailable", equalTo(List.of("account-service")));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 4_000, "took " + millis + " ms");
        // Revoking sessions does not need account at all.
        as(UUID.randomUUID().toString(), Roles.SUPPORT).post(USERS + "/" + user + "/sessions/revoke").then()
                .statusCode(200);
    }
}
