package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's session revocation at the module's edge, against test-owned stand-ins of auth
 * and account ({@link StubServices}) that answer: the role matrix with real answers, what is
 * passed on to auth (the SERVICE token, the caller as acting administrator, the session), and
 * auth's 404s handed on as the same problem.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
class AdminUsersFacadeTest {

    private static final String USERS = "/v1/admin/users";

    private static RequestSpecification as(String subject, String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(subject, UUID.randomUUID().toString(), roles));
    }

    @Test
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
}
