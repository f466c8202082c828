package dev.sentinel.systemtests;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import dev.sentinel.contracts.testing.Mailbox;
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

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A user's whole life across the four services — sign-up, verification, sign-in, 2FA with a
 * recovery code, refresh, a password reset by mail, a charge, an admin lock — with the
 * services logging at DEBUG (the harness sets {@code dev.sentinel} to DEBUG), then every line
 * of every service's log is searched for what must never be logged: passwords, access and
 * refresh tokens, the TOTP seed, recovery codes, one-time tokens of mailed links, the MFA
 * challenge token, and the full email address.
 */
@SystemTest
class SecretsNeverLoggedIT {

    private static final Pattern RESET_LINK = Pattern.compile("/reset-password\\?token=([^\\s\"<&]+)");
    private static final GoogleAuthenticator AUTHENTICATOR_APP = new GoogleAuthenticator();

    @Test
    void noSecretOfAUsersLifeReachesAnyLog(Sentinel sentinel) throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        Credentials user = Users.newCredentials("redact");
        secrets.put("password", user.password());
        secrets.put("email address", user.email());
        Users.register(sentinel, user);
        String verifyToken = Users.token(Users.verificationLink(user.email()));
        secrets.put("verification token", verifyToken);
        sentinel.auth().queryParam("token", verifyToken).get("/v1/auth/verify-email").then().statusCode(200);

        SignedIn session = sentinel.signIn(user.email(), user.password());
        secrets.put("access token", session.accessToken());
        secrets.put("refresh token", session.refreshToken());
        String userId = sentinel.auth().header("Authorization", session.bearer())
                .get("/v1/auth/me").then().statusCode(200).extract().path("id");

        String seed = sentinel.auth().header("Authorization", session.bearer()).contentType("application/json")
                .post("/v1/auth/2fa/enable-init").then().statusCode(200).extract().path("secret");
        secrets.put("TOTP seed", seed);
        List<String> codes = sentinel.auth().header("Authorization", session.bearer())
                .body(Map.of("code", String.format("%06d", AUTHENTICATOR_APP.getTotpPassword(seed))))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200).extract().path("recoveryCodes");
        for (int i = 0; i < codes.size(); i++) {
            secrets.put("recovery code " + i, codes.get(i));
        }
        String mfaToken = sentinel.auth().body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).extract().path("mfaToken");
        secrets.put("MFA challenge token", mfaToken);
        Response recovered = sentinel.auth().body(Map.of("mfaToken", mfaToken, "recoveryCode", codes.get(0)))
                .post("/v1/auth/recovery-login");
        recovered.then().statusCode(200);
        secrets.put("access token after recovery", recovered.path("accessToken"));
        String refreshed = sentinel.auth().body(Map.of("refreshToken", recovered.path("refreshToken").toString()))
                .post("/v1/auth/refresh").then().statusCode(200).extract().path("refreshToken");
        secrets.put("rotated refresh token", refreshed);

        sentinel.auth().body(Map.of("email", user.email())).post("/v1/auth/forgot-password").then().statusCode(202);
        Mailbox.Received mail = Mailbox.awaitNewest(user.email(), m -> "Reset your password".equals(m.subject()),
                Users.MAIL_TIMEOUT);
        Matcher link = RESET_LINK.matcher(mail.text());
        assertTrue(link.find(), "no reset link in:\n" + mail.text());
        String resetToken = URLDecoder.decode(link.group(1), StandardCharsets.UTF_8);
        secrets.put("reset token", resetToken);
        String newPassword = "Pw-" + UUID.randomUUID();
        secrets.put("new password", newPassword);
        sentinel.auth().body(Map.of("token", resetToken, "newPassword", newPassword))
                .post("/v1/auth/reset-password").then().statusCode(200);

        // The reset ended every session (2FA stays on): sign in with the new password and the
        // next recovery code, charge one cent.
        String secondChallenge = sentinel.auth().body(Map.of("email", user.email(), "password", newPassword))
                .post("/v1/auth/login").then().statusCode(200).extract().path("mfaToken");
        secrets.put("second MFA challenge token", secondChallenge);
        Response again = sentinel.auth().body(Map.of("mfaToken", secondChallenge, "recoveryCode", codes.get(1)))
                .post("/v1/auth/recovery-login");
        again.then().statusCode(200);
        secrets.put("access token after the reset", again.path("accessToken"));
        secrets.put("refresh token after the reset", again.path("refreshToken"));
        sentinel.account().header("Authorization", "Bearer " + again.path("accessToken"))
                .body(Map.of("amountCents", 1, "idempotencyKey", UUID.randomUUID().toString(),
                        "description", "redaction check"))
                .post("/v1/account/spend").then().statusCode(200);

        SignedIn admin = sentinel.signInAsAdmin();
        secrets.put("admin access token", admin.accessToken());
        sentinel.auth().header("Authorization", admin.bearer()).contentType("application/json")
                .post("/v1/auth/internal/users/{id}/lock", userId).then().statusCode(204);

        // Wait until the last step went all the way through Kafka into the audit log.
        Eventually.await(Duration.ofSeconds(60), "user.locked of " + userId + " audited",
                () -> Databases.query(Service.ADMIN_AUDIT, "select 1 from audit_log where type = 'user.locked' and subject = ?",
                        userId).isEmpty() ? null : Boolean.TRUE);

        StringBuilder leaks = new StringBuilder();
        boolean userSeen = false;
        for (Service service : Service.values()) {
            List<String> lines = Files.readAllLines(sentinel.log(service), StandardCharsets.UTF_8);
            userSeen |= lines.stream().anyMatch(line -> line.contains(userId));
            for (String line : lines) {
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (line.contains(secret.getValue())) {
                        leaks.append(service.module()).append(": the ").append(secret.getKey()).append(" in: ")
                                .append(line.replace(secret.getValue(), "<" + secret.getKey() + ">")).append('\n');
                    }
                }
            }
        }
        // The logs did follow this user (by id), so finding no secret in them means something.
        assertTrue(userSeen, "no service log mentions user " + userId + " at all: is DEBUG logging on?");
        if (!leaks.isEmpty()) {
            fail("secrets in the logs:\n" + leaks);
        }
    }
}
