package dev.sentinel.systemtests;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every security event that auth-service and account-service emit in a user's real life lands in
 * admin-audit-service's log exactly once, under the trace of the HTTP request that caused it.
 * Each request below carries its own W3C {@code traceparent}; the audit row of the event must
 * carry that trace id, and the admin API must show the row (with its place in the tree).
 */
@SystemTest
class AuditTrailIT {

    private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GoogleAuthenticator AUTHENTICATOR_APP = new GoogleAuthenticator();

    /** One expected audit row: an event type caused by the request that carried {@code traceId}. */
    private record Expected(EventType type, String traceId, String subject, String actor) {
    }

    private final List<Expected> expected = new ArrayList<>();

    @Test
    void everyEventOfARealUsersLifeIsAuditedOnceUnderItsRequestsTrace(Sentinel sentinel) throws InterruptedException {
        Credentials user = Users.newCredentials("audit");
        traced(sentinel.auth(), EventType.USER_REGISTERED, null, null)
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/register").then().statusCode(202);
        String token = Users.token(Users.verificationLink(user.email()));
        traced(sentinel.auth(), EventType.USER_EMAIL_VERIFIED, null, null)
                .queryParam("token", token).get("/v1/auth/verify-email")
                .then().statusCode(200);

        traced(sentinel.auth(), EventType.AUTH_LOGIN_FAILED, null, null)
                .body(Map.of("email", user.email(), "password", user.password() + "-wrong"))
                .post("/v1/auth/login").then().statusCode(401);
        Response login = traced(sentinel.auth(), EventType.AUTH_LOGIN_SUCCEEDED, null, null)
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login");
        login.then().statusCode(200);
        String bearer = "Bearer " + login.path("accessToken");
        String userId = sentinel.auth().header("Authorization", bearer)
                .get("/v1/auth/me").then().statusCode(200).extract().path("id");
        bindSubject(userId);

        traced(sentinel.auth(), EventType.USER_LANGUAGE_CHANGED, userId, userId)
                .header("Authorization", bearer).body(Map.of("language", "ar"))
                .patch("/v1/auth/me").then().statusCode(200);

        String secret = sentinel.auth().header("Authorization", bearer).contentType("application/json")
                .post("/v1/auth/2fa/enable-init").then().statusCode(200).extract().path("secret");
        long now = System.currentTimeMillis();
        List<String> recoveryCodes = traced(sentinel.auth(), EventType.MFA_ENABLED, userId, userId)
                .header("Authorization", bearer).body(Map.of("code", totp(secret, now)))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200).extract().path("recoveryCodes");


        String mfaToken = sentinel.auth().body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).body("mfaRequired", equalTo(true))
                .extract().path("mfaToken");
        Response recovered = traced(sentinel.auth(), EventType.MFA_RECOVERY_CODE_USED, userId, userId)
                .body(Map.of("mfaToken", mfaToken, "recoveryCode", recoveryCodes.get(0)))
                .post("/v1/auth/recovery-login");
        recovered.then().statusCode(200);
        bearer = "Bearer " + recovered.path("accessToken");

        // The enable code is spent: the next time step's code is within auth's ±1 step window.
        traced(sentinel.auth(), EventType.MFA_DISABLED, userId, userId)
                .header("Authorization", bearer)
                .body(Map.of("password", user.password(), "code", totp(secret, now + 30_000)))
                .post("/v1/auth/2fa/disable").then().statusCode(200);

        String newPassword = "Pw-" + UUID.randomUUID();
        traced(sentinel.auth(), EventType.PASSWORD_CHANGED, userId, userId)
                .header("Authorization", bearer)
                .body(Map.of("currentPassword", user.password(), "newPassword", newPassword))
                .post("/v1/auth/change-password").then().statusCode(200);
        traced(sentinel.auth(), EventType.PASSWORD_RESET_REQUESTED, userId, null)
                .body(Map.of("email", user.email()))
                .post("/v1/auth/forgot-password").then().statusCode(202);

        // A refresh token rotated now and used again later, past auth's grace window for two
        // tabs refreshing at once (10 s): that second use is theft as far as auth can tell.
        // (A session from before the password change would be revoked already, not reused.)
        String refreshToken = sentinel.auth().body(Map.of("email", user.email(), "password", newPassword))
                .post("/v1/auth/login").then().statusCode(200).extract().path("refreshToken");
        String rotated = sentinel.auth().body(Map.of("refreshToken", refreshToken))
                .post("/v1/auth/refresh").then().statusCode(200).extract().path("refreshToken");
        assertTrue(rotated != null && !rotated.equals(refreshToken));
        long rotatedAt = System.nanoTime();

        // account-service: the user's own limits, then an admin's plan change, then spending
        // past the warning threshold and up to the cap.
        String userBearer = bearer;
        Eventually.await(INGEST_TIMEOUT, "account-service knows the user", () ->
                sentinel.account().header("Authorization", userBearer).get("/v1/account/limits").statusCode() == 200
                        ? Boolean.TRUE : null);
        traced(sentinel.account(), EventType.LIMITS_CHANGED, userId, userId)
                .header("Authorization", bearer).body(Map.of("monthlyCapCents", 500, "warnThresholdPercent", 50))
                .post("/v1/account/limits").then().statusCode(200);
        SignedIn admin = sentinel.signInAsAdmin();
        String adminId = sentinel.auth().header("Authorization", admin.bearer())
                .get("/v1/auth/me").then().statusCode(200).extract().path("id");
        traced(sentinel.account(), EventType.PLAN_CHANGED, userId, adminId)
                .header("Authorization", admin.bearer()).body(Map.of("plan", "PRO"))
                .post("/v1/admin/accounts/{userId}/plan", userId).then().statusCode(200);
        traced(sentinel.account(), EventType.SPEND_THRESHOLD_CROSSED, userId, userId)
                .header("Authorization", bearer)
                .body(Map.of("amountCents", 300, "idempotencyKey", UUID.randomUUID().toString()))
                .post("/v1/account/spend").then().statusCode(200);
        traced(sentinel.account(), EventType.SPEND_CAP_REACHED, userId, userId)
                .header("Authorization", bearer)
                .body(Map.of("amountCents", 200, "idempotencyKey", UUID.randomUUID().toString()))
                .post("/v1/account/spend").then().statusCode(200);

        Thread.sleep(Math.max(0, Duration.ofSeconds(11).minusNanos(System.nanoTime() - rotatedAt).toMillis()));
        traced(sentinel.auth(), EventType.SESSION_REFRESH_REUSE_DETECTED, userId, userId)
                .body(Map.of("refreshToken", refreshToken))
                .post("/v1/auth/refresh").then().statusCode(401);

        // The admin side, performed by auth-service with the admin as actor.
        traced(sentinel.auth(), EventType.ROLE_GRANTED, userId, adminId)
                .header("Authorization", admin.bearer()).body(Map.of("roles", List.of("USER", "SUPPORT")))
                .post("/v1/auth/internal/users/{id}/roles", userId).then().statusCode(200);
        traced(sentinel.auth(), EventType.ROLE_REVOKED, userId, adminId)
                .header("Authorization", admin.bearer()).body(Map.of("roles", List.of("USER")))
                .post("/v1/auth/internal/users/{id}/roles", userId).then().statusCode(200);
        traced(sentinel.auth(), EventType.USER_LOCKED, userId, adminId)
                .header("Authorization", admin.bearer()).contentType("application/json")
                .post("/v1/auth/internal/users/{id}/lock", userId).then().statusCode(204);
        traced(sentinel.auth(), EventType.USER_UNLOCKED, userId, adminId)
                .header("Authorization", admin.bearer()).contentType("application/json")
                .post("/v1/auth/internal/users/{id}/unlock", userId).then().statusCode(204);
        Response again = sentinel.auth().body(Map.of("email", user.email(), "password", newPassword))
                .post("/v1/auth/login");
        again.then().statusCode(200);
        traced(sentinel.auth(), EventType.SESSION_REVOKED, userId, userId)
                .header("Authorization", "Bearer " + again.path("accessToken")).contentType("application/json")
                .post("/v1/auth/logout").then().statusCode(204);

        for (Expected row : expected) {
            Map<String, Object> audited = Eventually.await(INGEST_TIMEOUT,
                    row.type().wireName() + " under trace " + row.traceId() + " in the audit log",
                    () -> onlyRow(row));
            long seq = ((Number) audited.get("seq")).longValue();
            var shown = sentinel.adminAudit().header("Authorization", admin.bearer())
                    .get("/v1/admin/audit-logs/{seq}", seq)
                    .then().statusCode(200)
                    .body("seq", equalTo((int) seq))
                    .body("type", equalTo(row.type().wireName()))
                    .body("traceId", equalTo(row.traceId()))
                    .extract().jsonPath();
            assertEquals(64, shown.getString("leafHash").length(), "the row shows its leaf hash: " + shown.prettify());
            if (row.subject() != null) {
                assertEquals(row.subject(), shown.getString("subject"), row.type() + ": " + shown.prettify());
            }
            if (row.actor() != null) {
                assertEquals(row.actor(), shown.getString("actor"), row.type() + ": " + shown.prettify());
            }
        }

        // Nothing was appended twice, and the whole log still verifies.
        List<Map<String, Object>> duplicates = Databases.query(Service.ADMIN_AUDIT,
                "select event_id, count(*) as n from audit_log group by event_id having count(*) > 1");
        assertEquals(List.of(), duplicates, "events appended more than once");
        sentinel.adminAudit().header("Authorization", admin.bearer())
                .get("/v1/admin/audit-logs/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    /** A request carrying a fresh trace of its own; the event it causes is expected under that trace. */
    private RequestSpecification traced(RequestSpecification request, EventType type, String subject, String actor) {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        String traceId = HexFormat.of().formatHex(trace);
        expected.add(new Expected(type, traceId, subject, actor));
        return request.header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(span) + "-01");
    }

    /** Sign-up, verification and the first sign-ins happen before the user's id is known: fill it in afterwards. */
    private void bindSubject(String userId) {
        expected.replaceAll(row -> row.subject() == null ? new Expected(row.type(), row.traceId(), userId, null) : row);
    }

    /** The one audit row of that type under that trace; null while none arrived; fails on two. */
    private static Map<String, Object> onlyRow(Expected row) {
        List<Map<String, Object>> rows = Databases.query(Service.ADMIN_AUDIT,
                "select seq, subject, actor from audit_log where type = ? and trace_id = ?",
                row.type().wireName(), row.traceId());
        assertTrue(rows.size() <= 1, row.type() + " audited " + rows.size() + " times: " + rows);
        return rows.isEmpty() ? null : new LinkedHashMap<>(rows.get(0));
    }

    private static String totp(String secret, long atMillis) {
        return String.format("%06d", AUTHENTICATOR_APP.getTotpPassword(secret, atMillis));
    }
}
