package dev.sentinel.auth.admin;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class UserAdminTest {

    private static final String USERS = "/v1/auth/internal/users";

    @Inject
    Pool pool;
    Accounts accounts;
    String admin;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
        admin = TestJwt.token(Roles.ADMIN);
    }

    @Test
    void searchFiltersSortsAndPagesWithACursor() {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        for (String name : new String[] {"carol", "alice", "bob"}) {
            Accounts.register(name + "." + marker + "@example.com", Accounts.PASSWORD, Accounts.newIp())
                    .then().statusCode(202);
        }
        Response first = given().auth().oauth2(admin).queryParam("query", marker.toUpperCase())
                .queryParam("sort", "email").queryParam("limit", 2).get(USERS);
        first.then().statusCode(200).body("total", equalTo(3)).body("items", hasSize(2))
                .body("items[0].email", equalTo("alice." + marker + "@example.com"))
                .body("items[1].email", equalTo("bob." + marker + "@example.com"));
        given().auth().oauth2(admin).queryParam("query", marker).queryParam("sort", "email").queryParam("limit", 2)
                .queryParam("cursor", first.<String>path("nextCursor")).get(USERS)
                .then().statusCode(200).body("items", hasSize(1)).body("nextCursor", nullValue())
                .body("items[0].email", equalTo("carol." + marker + "@example.com"));
        given().auth().oauth2(admin).queryParam("query", marker).queryParam("sort", "-createdAt").get(USERS)
                .then().statusCode(200).body("items[0].email", equalTo("bob." + marker + "@example.com"));
        given().auth().oauth2(admin).queryParam("query", "%").queryParam("limit", 1).get(USERS)
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void badSearchParametersAre400() {
        for (Map<String, Object> params : List.<Map<String, Object>>of(Map.of("sort", "password"), Map.of("limit", 0),
                Map.of("limit", 1000), Map.of("cursor", "garbage"), Map.of("status", "HAPPY"), Map.of("role", "ROOT"),
                Map.of("query", "a\u0000b"), Map.of("cursor", UserSearch.encode("a\u0000b", UUID.randomUUID()), "sort", "email"),
                Map.of("cursor", UserSearch.encode("not-a-time", UUID.randomUUID())))) {
            given().auth().oauth2(admin).queryParams(params).get(USERS)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("VAL_INVALID_FIELDS"));
        }
    }

    @Test
    void onlyAdminsAndServicesGetIn() {
        given().get(USERS).then().statusCode(401);
        given().auth().oauth2(TestJwt.token(Roles.USER)).get(USERS).then().statusCode(403);
        given().auth().oauth2(TestJwt.token(Roles.SUPPORT)).get(USERS).then().statusCode(403);
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).get(USERS).then().statusCode(200);
    }

    @Test
    void lockEndsSessionsAndSignInUnlockRestoresIt() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String access = Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).path("accessToken");

        given().auth().oauth2(admin).contentType(ContentType.JSON).post(USERS + "/" + userId + "/lock").then().statusCode(204);
        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(401);
        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(423);
        given().auth().oauth2(admin).queryParam("status", "LOCKED").queryParam("query", email).get(USERS)
                .then().body("total", equalTo(1));

        given().auth().oauth2(admin).post(USERS + "/" + userId + "/unlock").then().statusCode(204);
        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(200);
        assertEquals(1, accounts.events(userId, "user.locked"));
        assertEquals(1, accounts.events(userId, "user.unlocked"));
    }

    @Test
    void rolesAreSetWithEventsAndTheLastAdminKeepsTheRole() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        setRoles(admin, userId, List.of("USER", "SUPPORT")).then().statusCode(200)
                .body("roles", equalTo(List.of("SUPPORT", "USER")));
        assertEquals(1, accounts.events(userId, "role.granted"));
        setRoles(admin, userId, List.of("USER")).then().statusCode(200);
        assertEquals(1, accounts.events(userId, "role.revoked"));

        setRoles(admin, userId, List.of("SERVICE")).then().statusCode(422);
        setRoles(admin, userId, List.of()).then().statusCode(400);
        setRoles(admin, UUID.randomUUID().toString(), List.of("USER")).then().statusCode(404)
                .body("code", equalTo("BIZ_USER_NOT_FOUND"));

        // Demote every administrator but the seeded one, then try the seeded one.
        List<String> admins = given().auth().oauth2(admin).queryParam("role", "ADMIN").queryParam("limit", 100)
                .get(USERS).then().statusCode(200).extract().path("items.id");
        String seeded = accounts.userId("admin@sentinel.test");
        for (String id : admins) {
            if (!id.equals(seeded)) {
                setRoles(admin, id, List.of("USER")).then().statusCode(200);
            }
        }
        setRoles(admin, seeded, List.of("USER")).then().statusCode(409).body("code", equalTo("BIZ_LAST_ADMIN"));
    }

    @Test
    void aServiceCallerMustNameTheActingAdmin() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String service = TestJwt.token(Roles.SERVICE);
        given().auth().oauth2(service).post(USERS + "/" + userId + "/lock").then().statusCode(400);
        String actingAdmin = UUID.randomUUID().toString();
        given().auth().oauth2(service).header("X-Acting-Admin", actingAdmin).post(USERS + "/" + userId + "/lock")
                .then().statusCode(204);
        assertEquals(1, accounts.events(userId, "user.locked"));
    }

    @Test
    void resendVerificationOnlyForUnverifiedAccounts() {
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        String userId = accounts.userId(email);
        given().auth().oauth2(admin).post(USERS + "/" + userId + "/resend-verification")
                .then().statusCode(202).body("sent", equalTo(true));
        assertEquals(2, accounts.emails(email, "verify-email"));
        given().auth().oauth2(admin).post(USERS + "/not-a-uuid/lock").then().statusCode(404);
    }

    /** Lock is two methods told apart by Content-Type: one that is not a media type was a 500 (SpecFuzzIT). */
    @Test
    void aContentTypeThatIsNoMediaTypeIsA415() {
        String userId = accounts.verifiedUser(Accounts.newEmail());
        for (String contentType : List.of("application", "json")) {
            given().auth().oauth2(admin).contentType(contentType).body("{}".getBytes(StandardCharsets.UTF_8))
                    .post(USERS + "/" + userId + "/lock").then().statusCode(415).contentType("application/problem+json")
                    .body("code", equalTo("VAL_UNSUPPORTED_MEDIA_TYPE"));
        }
    }

    @Test
    void oneUserByIdAndALockWithAReason() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        given().auth().oauth2(admin).get(USERS + "/" + userId).then().statusCode(200)
                .body("id", equalTo(userId)).body("email", equalTo(email)).body("status", equalTo("ACTIVE"))
                .body("emailVerified", equalTo(true)).body("roles", equalTo(List.of("USER")));
        given().auth().oauth2(admin).get(USERS + "/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("BIZ_USER_NOT_FOUND"));

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("reason", "x".repeat(501)))
                .post(USERS + "/" + userId + "/lock").then().statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("reason", " chargeback fraud "))
                .post(USERS + "/" + userId + "/lock").then().statusCode(204);
        assertEquals(List.of("chargeback fraud"), accounts.eventValues(userId, "user.locked", "data.note"));
        given().auth().oauth2(admin).get(USERS + "/" + userId).then().statusCode(200).body("status", equalTo("LOCKED"));
        // The admin console pages by up to 200.
        given().auth().oauth2(admin).queryParam("limit", 200).get(USERS).then().statusCode(200);
        given().auth().oauth2(admin).queryParam("limit", 201).get(USERS).then().statusCode(400);
    }

    private static Response setRoles(String token, String userId, List<String> roles) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("roles", roles))
                .post(USERS + "/" + userId + "/roles");
    }
}
