package dev.sentinel.auth.admin;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.TestJwt;
import dev.sentinel.contracts.testing.TopicTap;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The internal session API the admin console uses: an administrator sees a user's live
 * sessions (no tokens) and ends them through the console (a SERVICE caller naming the
 * administrator); the refresh tokens die with them and {@code session.revoked_by_admin}, with
 * the administrator as actor, is committed to the outbox and reaches Kafka.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AdminSessionsTest {

    private static final String USERS = "/v1/auth/internal/users";
    /** Started before any test here acts, so it sees every event the tests cause. */
    private static final TopicTap SECURITY_EVENTS = TopicTap.of(Topics.SECURITY_EVENTS);

    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void theConsoleEndsEverySessionAndTheirRefreshTokensDie() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        Response one = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        Response two = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();

        List<Map<String, Object>> listed = given().auth().oauth2(TestJwt.token(Roles.ADMIN))
                .get(USERS + "/" + userId + "/sessions").then().statusCode(200).body("$", hasSize(2))
                .extract().jsonPath().getList("$");
        for (Map<String, Object> session : listed) {
            assertEquals(Set.of("id", "device", "network", "createdAt", "lastUsedAt"), session.keySet());
        }
        assertEquals(Set.of(sid(one), sid(two)),
                Set.of(listed.get(0).get("id"), listed.get(1).get("id")));
        assertEquals(ip.substring(0, ip.lastIndexOf('.')) + ".0/24", listed.get(0).get("network"));

        String admin = UUID.randomUUID().toString();
        asConsole(admin).post(USERS + "/" + userId + "/sessions/revoke").then().statusCode(200)
                .body("revoked", equalTo(2));

        for (Response login : List.of(one, two)) {
            refresh(login.path("refreshToken"), ip).then().statusCode(401).contentType("application/problem+json")
                    .body("code", equalTo("AUTH_REFRESH_INVALID"));
            given().auth().oauth2(login.<String>path("accessToken")).get("/v1/auth/me").then().statusCode(401);
        }
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).get(USERS + "/" + userId + "/sessions")
                .then().statusCode(200).body("$", hasSize(0));

        assertEquals(List.of(admin), accounts.eventValues(userId, "session.revoked_by_admin", "actor"));
        assertEquals(List.of("2"), accounts.eventValues(userId, "session.revoked_by_admin", "data.before.liveSessions"));
        assertEquals(List.of("0"), accounts.eventValues(userId, "session.revoked_by_admin", "data.after.liveSessions"));
        JsonObject published = new JsonObject(SECURITY_EVENTS.await(userId,
                v -> EventType.SESSION_REVOKED_BY_ADMIN.wireName().equals(new JsonObject(v).getString("type")), 1,
                Duration.ofSeconds(20)).get(0));
        assertEquals(admin, published.getString("actor"));
        assertEquals(userId, published.getString("subject"));
        assertEquals(Set.of(sid(one), sid(two)),
                Set.copyOf(published.getJsonObject("data").getJsonArray("sessionIds").getList()));

        // Nothing left to end: 0, and no second event. The user may sign in again.
        asConsole(admin).post(USERS + "/" + userId + "/sessions/revoke").then().statusCode(200)
                .body("revoked", equalTo(0));
        assertEquals(1, accounts.events(userId, "session.revoked_by_admin"));
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200);
    }

    @Test
    void oneSessionByIdAndTheOthersLiveOn() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        Response ended = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        Response kept = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        String admin = UUID.randomUUID().toString();

        asConsole(admin).contentType(ContentType.JSON).body(Map.of("sessionId", UUID.randomUUID().toString()))
                .post(USERS + "/" + userId + "/sessions/revoke").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("SYS_NOT_FOUND"));
        asConsole(admin).contentType(ContentType.JSON).body(Map.of("sessionId", sid(ended)))
                .post(USERS + "/" + userId + "/sessions/revoke").then().statusCode(200).body("revoked", equalTo(1));

        refresh(ended.path("refreshToken"), ip).then().statusCode(401);
        refresh(kept.path("refreshToken"), ip).then().statusCode(200);
        assertEquals(List.of("one"), accounts.eventValues(userId, "session.revoked_by_admin", "data.scope"));
        // Somebody else's session is not this user's: 404, and it lives on.
        String otherEmail = Accounts.newEmail();
        String otherId = accounts.verifiedUser(otherEmail);
        asConsole(admin).contentType(ContentType.JSON).body(Map.of("sessionId", sid(kept)))
                .post(USERS + "/" + otherId + "/sessions/revoke").then().statusCode(404);
        assertEquals(0, accounts.events(otherId, "session.revoked_by_admin"));
    }

    @Test
    void onlyTheConsoleNamingAnAdministratorMayRevoke() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        Response login = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        String revoke = USERS + "/" + userId + "/sessions/revoke";

        given().post(revoke).then().statusCode(401);
        for (String role : List.of(Roles.ADMIN, Roles.USER, Roles.SUPPORT, Roles.BILLING_ADMIN)) {
            given().auth().oauth2(TestJwt.token(role)).post(revoke).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).post(revoke).then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_FIELDS"));
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).header("X-Acting-Admin", "someone").post(revoke)
                .then().statusCode(400);
        asConsole(UUID.randomUUID().toString()).post(USERS + "/" + UUID.randomUUID() + "/sessions/revoke")
                .then().statusCode(404).body("code", equalTo("BIZ_USER_NOT_FOUND"));
        asConsole(UUID.randomUUID().toString()).contentType(ContentType.JSON).body("{\"sessionId\": \"nope\"}")
                .post(revoke).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.token(Roles.ADMIN)).get(USERS + "/" + UUID.randomUUID() + "/sessions")
                .then().statusCode(404).body("code", equalTo("BIZ_USER_NOT_FOUND"));
        given().auth().oauth2(TestJwt.token(Roles.USER)).get(USERS + "/" + userId + "/sessions").then().statusCode(403);

        // Nothing of the refused calls happened.
        assertEquals(0, accounts.events(userId, "session.revoked_by_admin"));
        refresh(login.path("refreshToken"), ip).then().statusCode(200);
    }

    /** The session id of a sign-in: the {@code sid} claim of its access token. */
    private static String sid(Response login) {
        String payload = login.<String>path("accessToken").split("\\.")[1];
        return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(payload),
                java.nio.charset.StandardCharsets.UTF_8)).getString("sid");
    }

    private static RequestSpecification asConsole(String admin) {
        return given().auth().oauth2(TestJwt.token(Roles.SERVICE)).header("X-Acting-Admin", admin);
    }

    private static Response refresh(String token, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .header("User-Agent", Accounts.BROWSER).body(Map.of("refreshToken", token)).post("/v1/auth/refresh");
    }
}
