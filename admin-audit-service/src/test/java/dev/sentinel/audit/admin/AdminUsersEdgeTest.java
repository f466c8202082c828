package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin user API at its own edge, with auth-service replaced by a test-owned stand-in that
 * hangs and then is cut: who may call what (the whole role × endpoint matrix: allowed calls
 * reach auth and get the 503 naming it, the others 401/403 without reaching it), bad input as
 * 400 before auth is asked, and an outage answered within the timeout. The same API against a
 * real auth-service is system-tests' AdminConsoleIT.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(value = StalledAuth.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUsersEdgeTest {

    private static final String USERS = "/v1/admin/users";
    private static final String USER = USERS + "/" + UUID.randomUUID();

    /** One call of each endpoint. */
    private enum Call {
        LIST("GET", USERS, null),
        GET("GET", USER, null),
        ROLES("POST", USER + "/roles", Map.of("roles", List.of("USER", "SUPPORT"))),
        LOCK("POST", USER + "/lock", Map.of("reason", "test")),
        UNLOCK("POST", USER + "/unlock", null),
        RESET_2FA("POST", USER + "/reset-2fa", null),
        RESEND("POST", USER + "/resend-verification", null),
        REVOKE_SESSIONS("POST", USER + "/sessions/revoke", null);

        final String method;
        final String path;
        final Object body;

        Call(String method, String path, Object body) {
            this.method = method;
            this.path = path;
            this.body = body;
        }

        Response as(RequestSpecification request) {
            if (body != null) {
                request = request.contentType(ContentType.JSON).body(body);
            }
            return request.request(method, path);
        }
    }

    /** DESIGN §6: who may call what. */
    private static final Map<String, Set<Call>> ALLOWED = Map.of(
            Roles.ADMIN, Set.of(Call.values()),
            Roles.SUPPORT, Set.of(Call.LIST, Call.GET, Call.UNLOCK, Call.RESEND, Call.REVOKE_SESSIONS),
            Roles.BILLING_ADMIN, Set.of(Call.LIST, Call.GET),
            Roles.USER, Set.of(),
            Roles.SERVICE, Set.of());

    private static RequestSpecification as(String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(UUID.randomUUID().toString(), UUID.randomUUID().toString(), roles));
    }

    @Test
    @Order(1)
    void aHungAuthIsA503NamingItWithinTheTimeout() {
        // Warm up what is not under test (the contract check reads and parses the spec on the
        // first answer; a cold JVM's first request): a 400 that never reaches auth.
        as(Roles.ADMIN).get(USERS + "?limit=0").then().statusCode(400);
        long started = System.nanoTime();
        as(Roles.ADMIN).get(USERS).then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo(ErrorCode.SYS_UNAVAILABLE.name())).body("dependency", equalTo("auth-service"))
                .body("detail", containsString("auth-service"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        // Two tries of 800 ms (test timeout) and the retry delay: well under the client's patience.
        assertTrue(millis < 4_000, "took " + millis + " ms");
        assertTrue(StalledAuth.accepted() > 0, "admin-audit never called the stand-in");

        started = System.nanoTime();
        as(Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("reason", "fraud")).post(USER + "/lock")
                .then().statusCode(503).body("dependency", equalTo("auth-service"));
        millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 3_000, "a write is tried once: took " + millis + " ms");
    }

    @Test
    @Order(2)
    void theWholeRoleMatrixWhileAuthIsGone() {
        StalledAuth.cut();
        for (Call call : Call.values()) {
            call.as(given()).then().statusCode(401).contentType("application/problem+json");
            for (Map.Entry<String, Set<Call>> role : ALLOWED.entrySet()) {
                Response answer = call.as(as(role.getKey()));
                int expected = role.getValue().contains(call) ? 503 : 403;
                assertEquals(expected, answer.statusCode(), role.getKey() + " " + call + ": " + answer.asString());
                answer.then().contentType("application/problem+json");
                if (expected == 503) {
                    answer.then().body("dependency", equalTo("auth-service")).header("Retry-After", equalTo("5"));
                }
            }
        }
    }

    @Test
    @Order(3)
    void badInputIsA400BeforeAuthIsAsked() {
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of("limit", 0), Map.of("limit", 201),
                Map.of("limit", "ten"), Map.of("count", "yes"), Map.of("cursor", "forged"),
                Map.of("cursor", "Zm9v.YmFy"), Map.of("cursor", "x".repeat(3000)), Map.of("plan", "GOLD"), Map.of("plan", "PRO", "count", "true"), Map.of("limit", "+5"),
                Map.of("mfa", "yes"), Map.of("verified", "1"), Map.of("createdFrom", "yesterday"),
                Map.of("createdTo", "2026-01-01T00:00:00"),
                Map.of("createdFrom", "2026-02-01T00:00:00Z", "createdTo", "2026-01-01T00:00:00Z"))) {
            as(Roles.ADMIN).queryParams(params).get(USERS).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        // A real cursor, but from another search.
        UserCursor cursors = new UserCursor("admin-audit-test-client-secret");
        String other = cursors.seal(new AuthUsers.Search("alice", null, null, null, null, null, null, null).fingerprint(),
                "auth-cursor");
        as(Roles.ADMIN).queryParam("query", "bob").queryParam("cursor", other).get(USERS).then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        // The same cursor with its own search passes the edge and goes to auth (gone: 503).
        as(Roles.ADMIN).queryParam("query", "alice").queryParam("cursor", other).get(USERS).then().statusCode(503);

        as(Roles.ADMIN).get(USERS + "/not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("id"));
        as(Roles.ADMIN).post(USERS + "/not-a-uuid/unlock").then().statusCode(400);
        as(Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("reason", " ")).post(USER + "/lock")
                .then().statusCode(400);
        as(Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("reason", "r".repeat(501))).post(USER + "/lock")
                .then().statusCode(400);
        as(Roles.ADMIN).contentType(ContentType.JSON).body("{}").post(USER + "/lock").then().statusCode(400);
        as(Roles.ADMIN).contentType(ContentType.JSON).body(Map.of("roles", List.of())).post(USER + "/roles")
                .then().statusCode(400);
        as(Roles.ADMIN).contentType(ContentType.JSON).body("{\"roles\":").post(USER + "/roles")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
