package dev.sentinel.auth.password;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class PasswordFlowsTest {

    private static final String NEW_PASSWORD = "Brand-New-Passphrase-Violet-31";

    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void forgotAnswersTheSameForEveryAddress() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        Response known = forgot(email);
        Response unknown = forgot(Accounts.newEmail());
        assertEquals(202, known.statusCode());
        assertEquals(unknown.statusCode(), known.statusCode());
        assertEquals(unknown.body().asString(), known.body().asString());
        assertEquals(1, accounts.emails(email, "password-reset"));
        assertEquals(1, accounts.events(accounts.userId(email), "password.reset_requested"));
    }

    @Test
    void resetEndsEverySessionLiftsTheLockoutAndWorksOnce() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String access = Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).path("accessToken");
        String ip = Accounts.newIp();
        for (int i = 0; i < 5; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-1", ip).then().statusCode(401);
        }
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(423);

        forgot(email).then().statusCode(202);
        String token = accounts.latestToken(email, "password-reset");
        reset(token, NEW_PASSWORD).then().statusCode(200).body("status", equalTo("password_changed"));

        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(401);
        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(401);
        Accounts.login(email, NEW_PASSWORD, Accounts.newIp()).then().statusCode(200);
        reset(token, "Another-Passphrase-Entirely-77").then().statusCode(400)
                .body("code", equalTo("AUTH_TOKEN_INVALID"));
        assertEquals(1, accounts.events(userId, "password.changed"));
        assertEquals(1, accounts.emails(email, "password-changed"));
    }

    @Test
    void resetChecksThePolicyAndTheToken() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        forgot(email).then().statusCode(202);
        String token = accounts.latestToken(email, "password-reset");
        reset(token, "password123").then().statusCode(400).body("errors.field", hasItem("newPassword"));
        reset("A".repeat(43), NEW_PASSWORD).then().statusCode(400).body("code", equalTo("AUTH_TOKEN_INVALID"));
        reset("short", NEW_PASSWORD).then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/auth/reset-password")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        // The link survived the refused attempts.
        reset(token, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void changeNeedsTheCurrentPasswordAndEndsOnlyTheOtherSessions() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        String mine = Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).path("accessToken");
        String other = Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).path("accessToken");

        change(mine, "Not-The-Current-One-55", NEW_PASSWORD).then().statusCode(401)
                .body("code", equalTo("AUTH_INVALID_CREDENTIALS"));
        change(mine, Accounts.PASSWORD, "qwertyuiop").then().statusCode(400)
                .body("errors.field", hasItem("newPassword"));
        change(mine, Accounts.PASSWORD, NEW_PASSWORD).then().statusCode(200);

        given().auth().oauth2(mine).get("/v1/auth/me").then().statusCode(200);
        given().auth().oauth2(other).get("/v1/auth/me").then().statusCode(401)
                .body("code", equalTo("AUTH_SESSION_REVOKED"));
        Accounts.login(email, NEW_PASSWORD, Accounts.newIp()).then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("currentPassword", "x", "newPassword", "y"))
                .post("/v1/auth/change-password").then().statusCode(401);
    }

    /**
     * Guessing the current password is throttled per account (auth.rate-limits.per-account a
     * window): 429 SYS_RATE_LIMITED with Retry-After, as the document says (SpecFuzzIT found the
     * 429 undocumented).
     */
    @Test
    void guessingTheCurrentPasswordIsThrottled() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        String access = Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).path("accessToken");
        int attempts = 0;
        Response answer;
        do {
            answer = change(access, "Not-The-Current-One-" + attempts, NEW_PASSWORD);
            attempts++;
        } while (answer.statusCode() == 401 && attempts < 50);
        answer.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("SYS_RATE_LIMITED"))
                .header("Retry-After", notNullValue());
    }

    private static Response forgot(String email) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", Accounts.newIp())
                .body(Map.of("email", email)).post("/v1/auth/forgot-password");
    }

    private static Response reset(String token, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token, "newPassword", password))
                .post("/v1/auth/reset-password");
    }

    private static Response change(String access, String current, String next) {
        return given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", current, "newPassword", next)).post("/v1/auth/change-password");
    }
}
