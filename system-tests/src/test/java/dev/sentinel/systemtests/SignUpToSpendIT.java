package dev.sentinel.systemtests;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.testing.Mailbox;
import dev.sentinel.contracts.testing.TestJwt;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README walkthrough as a user does it, across the four services: sign up on auth, get the
 * verification mail that notification-service rendered, verify, sign in, find the account that
 * account-service made from {@code user.registered}, spend up to the cap, get the cap mail, sign
 * out, and see the same access token refused by account-service.
 */
@SystemTest
class SignUpToSpendIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String CAP_SUBJECT = "You reached your spending cap";

    @Test
    void aNewUserSignsUpVerifiesSpendsUpToTheCapAndSignsOut(Sentinel sentinel) {
        Credentials user = Users.newCredentials("spend");
        Users.register(sentinel, user);

        String link = Users.verificationLink(user.email());
        assertTrue(link.startsWith(sentinel.url(Service.AUTH) + "/v1/auth/verify-email?token="),
                "the mail links to auth's verify-email: " + link);
        login(sentinel, user).then().statusCode(403).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_EMAIL_NOT_VERIFIED.name()));
        sentinel.auth().queryParam("token", Users.token(link))
                .when().get("/v1/auth/verify-email")
                .then().statusCode(200).body("emailVerified", equalTo(true));

        SignedIn session = sentinel.signIn(user.email(), user.password());
        String userId = sentinel.auth().header("Authorization", session.bearer())
                .when().get("/v1/auth/me")
                .then().statusCode(200)
                .body("email", equalTo(user.email()))
                .body("emailVerified", equalTo(true))
                .extract().path("id");

        // account-service made the account from auth's user.registered: only the event carries
        // the address (an account made lazily on first use has none).
        Eventually.await(Duration.ofSeconds(60), "account-service took user.registered of " + userId,
                () -> accountEmail(userId));
        assertEquals(user.email(), accountEmail(userId));
        Map<String, Object> limits = Eventually.await(Duration.ofSeconds(30), "GET /v1/account/limits answers", () -> {
            Response answer = sentinel.account().header("Authorization", session.bearer()).get("/v1/account/limits");
            return answer.statusCode() == 200 ? answer.jsonPath().getMap("") : null;
        });
        int cap = ((Number) limits.get("monthlyCapCents")).intValue();
        assertEquals(0, ((Number) limits.get("spentCents")).intValue(), "a new account has spent nothing");
        assertTrue(cap > 0, "a FREE account has a cap: " + limits);

        int amount = cap * 3 / 10;
        int accepted = 0;
        Response refused;
        while (true) {
            Response charge = spend(sentinel, session, amount);
            if (charge.statusCode() != 200) {
                refused = charge;
                break;
            }
            accepted++;
            assertTrue(accepted <= cap / amount, "charges past the cap were accepted");
        }
        assertEquals(cap / amount, accepted, "every charge within the cap was accepted");
        refused.then().statusCode(402).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.BIZ_SPEND_CAP_REACHED.name()))
                .body("status", equalTo(402))
                .body("limitCents", equalTo(cap))
                .body("spentCents", equalTo(accepted * amount))
                .body("reservedCents", equalTo(0))
                .body("remainingCents", equalTo(cap - accepted * amount))
                .body("resetsAt", notNullValue());
        // The refusal's notice goes account → Kafka → notification-service → SMTP.
        Mailbox.awaitNewest(user.email(), mail -> CAP_SUBJECT.equals(mail.subject()), Users.MAIL_TIMEOUT);

        sentinel.auth().header("Authorization", session.bearer())
                .when().post("/v1/auth/logout")
                .then().statusCode(204);
        sentinel.account().header("Authorization", session.bearer())
                .when().get("/v1/account/limits")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_SESSION_REVOKED.name()));
        spend(sentinel, session, 1).then().statusCode(401)
                .body("code", equalTo(ErrorCode.AUTH_SESSION_REVOKED.name()));
    }

    @Test
    void aWrongVerificationTokenIsAProblemAndVerifiesNothing(Sentinel sentinel) {
        Credentials user = Users.newCredentials("wrong-token");
        Users.register(sentinel, user);
        String link = Users.verificationLink(user.email());

        sentinel.auth().queryParam("token", Users.token(link) + "x")
                .when().get("/v1/auth/verify-email")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_TOKEN_INVALID.name()));
        login(sentinel, user).then().statusCode(403)
                .body("code", equalTo(ErrorCode.AUTH_EMAIL_NOT_VERIFIED.name()));
    }

    @Test
    void spendingNeedsATokenFromAuth(Sentinel sentinel) {
        sentinel.account().body(Map.of("amountCents", 1, "idempotencyKey", UUID.randomUUID().toString()))
                .when().post("/v1/account/spend")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_UNAUTHENTICATED.name()));

        String forged = TestJwt.signedByStranger(TestJwt.claims(UUID.randomUUID().toString(),
                UUID.randomUUID().toString()));
        sentinel.account().header("Authorization", "Bearer " + forged)
                .body(Map.of("amountCents", 1, "idempotencyKey", UUID.randomUUID().toString()))
                .when().post("/v1/account/spend")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_UNAUTHENTICATED.name()));
    }

    private static Response login(Sentinel sentinel, Credentials user) {
        return sentinel.auth().body(Map.of("email", user.email(), "password", user.password()))
                .when().post("/v1/auth/login");
    }

    private static Response spend(Sentinel sentinel, SignedIn session, int amountCents) {
        return sentinel.account().header("Authorization", session.bearer())
                .body(Map.of("amountCents", amountCents, "idempotencyKey", UUID.randomUUID().toString()))
                .when().post("/v1/account/spend");
    }

    /** The address account-service holds for the user, or null while it has none (or no account). */
    private static String accountEmail(String userId) {
        List<Map<String, Object>> rows = Databases.query(Service.ACCOUNT,
                "select email from account where user_id = ?", userId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("email");
    }
}
