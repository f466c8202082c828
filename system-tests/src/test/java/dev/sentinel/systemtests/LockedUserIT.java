package dev.sentinel.systemtests;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * An administrator locks a signed-in user through auth's internal admin API: from then on the
 * user's refresh token, its access token (on account-service as on auth-service) and its
 * password are all refused.
 */
@SystemTest
class LockedUserIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void aUserLockedByTheAdminIsRefusedEverywhere(Sentinel sentinel) {
        Credentials user = Users.registerAndVerify(sentinel, "locked");
        SignedIn session = sentinel.signIn(user.email(), user.password());
        String userId = sentinel.auth().header("Authorization", session.bearer())
                .when().get("/v1/auth/me").then().statusCode(200).extract().path("id");
        sentinel.account().header("Authorization", session.bearer())
                .when().get("/v1/account/limits").then().statusCode(200);

        SignedIn admin = sentinel.signInAsAdmin();
        sentinel.auth().header("Authorization", admin.bearer())
                .when().get("/v1/auth/me").then().statusCode(200).body("roles", hasItem("ADMIN"));
        sentinel.auth().header("Authorization", admin.bearer())
                .when().post("/v1/auth/internal/users/{id}/lock", userId)
                .then().statusCode(204);

        sentinel.auth().body(Map.of("refreshToken", session.refreshToken()))
                .when().post("/v1/auth/refresh")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_REFRESH_INVALID.name()));
        sentinel.account().header("Authorization", session.bearer())
                .when().get("/v1/account/limits")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_SESSION_REVOKED.name()));
        sentinel.auth().header("Authorization", session.bearer())
                .when().get("/v1/auth/me")
                .then().statusCode(401).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_SESSION_REVOKED.name()));
        sentinel.auth().body(Map.of("email", user.email(), "password", user.password()))
                .when().post("/v1/auth/login")
                .then().statusCode(423).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_ACCOUNT_LOCKED.name()));
    }

    @Test
    void aUserCannotLockAnotherUser(Sentinel sentinel) {
        Credentials victim = Users.registerAndVerify(sentinel, "victim");
        Credentials other = Users.registerAndVerify(sentinel, "other");
        SignedIn victimSession = sentinel.signIn(victim.email(), victim.password());
        String victimId = sentinel.auth().header("Authorization", victimSession.bearer())
                .when().get("/v1/auth/me").then().statusCode(200).extract().path("id");
        SignedIn otherSession = sentinel.signIn(other.email(), other.password());

        sentinel.auth().header("Authorization", otherSession.bearer())
                .when().post("/v1/auth/internal/users/{id}/lock", victimId)
                .then().statusCode(403).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_FORBIDDEN.name()));
        sentinel.account().header("Authorization", victimSession.bearer())
                .when().get("/v1/account/limits").then().statusCode(200);
    }
}
