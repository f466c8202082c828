package dev.sentinel.auth.admin;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.Concurrently;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An admin lock ends every session of the user, including the ones that refreshes and
 * sign-ins were opening at that very moment, and a locked user's session never refreshes.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class LockEndsEverySessionTest {

    private static final int SESSIONS = 10;
    private static final int SIGN_INS = 5;

    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void aLockRacingRefreshesAndSignInsLeavesNothingAlive() {
        String admin = TestJwt.token(Roles.ADMIN);
        for (int round = 0; round < 3; round++) {
            String email = Accounts.newEmail();
            String userId = accounts.verifiedUser(email);
            String ip = Accounts.newIp();
            List<String> refreshTokens = new ArrayList<>();
            List<String> accessTokens = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Response login = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
                refreshTokens.add(login.path("refreshToken"));
                accessTokens.add(login.path("accessToken"));
            }

            // Every session refreshes, new sign-ins start, and the lock lands among them.
            List<Response> raced = Concurrently.run(SESSIONS + SIGN_INS + 1, i -> {
                if (i < SESSIONS) {
                    return refresh(refreshTokens.get(i), ip);
                }
                if (i < SESSIONS + SIGN_INS) {
                    return Accounts.login(email, Accounts.PASSWORD, ip);
                }
                return given().auth().oauth2(admin).post("/v1/auth/internal/users/" + userId + "/lock");
            });

            assertEquals(204, raced.get(SESSIONS + SIGN_INS).statusCode(), raced.get(SESSIONS + SIGN_INS).asString());
            for (int i = 0; i < SESSIONS + SIGN_INS; i++) {
                Response r = raced.get(i);
                if (r.statusCode() == 200) {
                    accessTokens.add(r.path("accessToken"));
                    refreshTokens.add(r.path("refreshToken"));
                } else if (i < SESSIONS) {
                    assertEquals(401, r.statusCode(), r.asString());
                } else {
                    assertEquals(423, r.statusCode(), r.asString());
                    assertEquals("AUTH_ACCOUNT_LOCKED", r.path("code"));
                }
            }

            for (String token : refreshTokens) {
                refresh(token, ip).then().statusCode(401).body("code", equalTo("AUTH_REFRESH_INVALID"));
            }
            for (String token : accessTokens) {
                given().auth().oauth2(token).get("/v1/auth/me").then().statusCode(401);
            }
            assertEquals(0, liveSessions(userId), "sessions still live after the lock");
            Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(423)
                    .body("code", equalTo("AUTH_ACCOUNT_LOCKED"));
        }
    }

    @Test
    void aSessionOfAUserWhoIsNoLongerActiveDoesNotRefresh() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        Response login = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
        // Disabled by some other path than the admin lock, which would also have ended the session.
        query("update app_user set status = 'LOCKED' where id = $1", UUID.fromString(userId));

        refresh(login.path("refreshToken"), ip).then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_REFRESH_INVALID"));

        query("update app_user set status = 'ACTIVE' where id = $1", UUID.fromString(userId));
        refresh(login.path("refreshToken"), ip).then().statusCode(200);
    }

    private static Response refresh(String token, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .header("User-Agent", Accounts.BROWSER).body(Map.of("refreshToken", token)).post("/v1/auth/refresh");
    }

    private long liveSessions(String userId) {
        return query("select count(*) from auth_session where user_id = $1 and revoked_at is null",
                UUID.fromString(userId)).iterator().next().getLong(0);
    }

    private io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> query(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }
}
