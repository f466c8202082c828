package dev.sentinel.auth.mfa;

import dev.sentinel.auth.TestClock;
import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.Concurrently;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TOTP 2FA end to end, with codes computed by the tests' own RFC 6238 implementation. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class MfaTest {

    @Inject
    Pool pool;
    @Inject
    TestClock clock;
    @Inject
    MfaKeyRotation rotation;
    @ConfigProperty(name = "auth.encryption.keys")
    String encryptionKeys;

    Accounts accounts;
    String email;
    String userId;
    String ip;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
        email = Accounts.newEmail();
        userId = accounts.verifiedUser(email);
        ip = Accounts.newIp();
        IndependentTotp.holdMidStep(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrolThenSignInWithPasswordAndCode() {
        String access = password().path("accessToken");
        Response init = given().auth().oauth2(access).post("/v1/auth/2fa/enable-init");
        init.then().statusCode(200)
                .body("secret", notNullValue())
                .body("otpauthUri", startsWith("otpauth://totp/Sentinel:"))
                .body("qrCode", startsWith("data:image/png;base64,"));
        byte[] png = Base64.getDecoder().decode(init.<String>path("qrCode").substring(22));
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        String secret = init.path("secret");
        me(access).then().body("mfaEnabled", equalTo(false));

        List<String> codes = complete(access, IndependentTotp.now(clock, secret, 0));
        assertEquals(10, codes.size());
        me(access).then().body("mfaEnabled", equalTo(true)).body("recoveryCodesRemaining", equalTo(10));
        given().auth().oauth2(access).post("/v1/auth/2fa/enable-init").then().statusCode(409)
                .body("code", equalTo("BIZ_MFA_ALREADY_ENABLED"));
        assertEquals(1, accounts.events(userId, "mfa.enabled"));
        assertEquals(1, accounts.emails(email, "mfa-enabled"));

        Response first = password();
        first.then().statusCode(200).body("mfaRequired", equalTo(true)).body("accessToken", nullValue());
        Response tokens = verify(first.path("mfaToken"), IndependentTotp.now(clock, secret, -1));
        tokens.then().statusCode(200).body("refreshToken", notNullValue());
        String payload = new String(Base64.getUrlDecoder().decode(tokens.<String>path("accessToken").split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"otp\"") && payload.contains("\"pwd\""), payload);

        // The same code again is a replay; the next step's code is fine; two steps away is not.
        verify(password().path("mfaToken"), IndependentTotp.now(clock, secret, -1)).then().statusCode(401)
                .body("code", equalTo("AUTH_MFA_INVALID_CODE"));
        String mfaToken = password().path("mfaToken");
        verify(mfaToken, IndependentTotp.now(clock, secret, 2)).then().statusCode(401);
        verify(mfaToken, IndependentTotp.now(clock, secret, 1)).then().statusCode(200);
        // An mfaToken works once.
        verify(mfaToken, IndependentTotp.now(clock, secret, 0)).then().statusCode(400).body("code", equalTo("AUTH_TOKEN_INVALID"));
    }

    @Test
    void recoveryCodesWorkOnceAndRegenerationKillsTheOldOnes() {
        String secret = enrol();
        List<String> codes = complete(password().path("accessToken"), IndependentTotp.now(clock, secret, 0));

        Response recovered = recovery(password().path("mfaToken"), codes.get(0).toLowerCase().replace("-", " "));
        recovered.then().statusCode(200).body("accessToken", notNullValue())
                .body("recoveryCodesRemaining", equalTo(9)).body("lowOnRecoveryCodes", equalTo(false));
        recovery(password().path("mfaToken"), codes.get(0)).then().statusCode(401)
                .body("code", equalTo("AUTH_MFA_INVALID_CODE"));
        assertEquals(1, accounts.events(userId, "mfa.recovery_code_used"));

        String access = recovered.path("accessToken");
        List<String> fresh = given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("password", Accounts.PASSWORD, "code", IndependentTotp.now(clock, secret, 1)))
                .post("/v1/auth/2fa/recovery-codes").then().statusCode(200).extract().path("recoveryCodes");
        assertEquals(10, fresh.size());
        recovery(password().path("mfaToken"), codes.get(1)).then().statusCode(401);
        recovery(password().path("mfaToken"), fresh.get(0)).then().statusCode(200).body("recoveryCodesRemaining", equalTo(9));
    }

    @Test
    void fiveWrongCodesInParallelLockTwoFactorAndAskForCaptcha() {
        String secret = enrol();
        complete(password().path("accessToken"), IndependentTotp.now(clock, secret, 0));
        String mfaToken = password().path("mfaToken");

        Map<String, Long> byCode = Concurrently.run(10, i -> verify(mfaToken, "00000" + i)).stream()
                .collect(Collectors.groupingBy(r -> r.statusCode() + " " + r.jsonPath().getString("code"),
                        Collectors.counting()));
        // Exactly four wrong codes are counted; the fifth locks. Tries that arrive once the lock
        // has also ended the pending sign-in find that step gone (400), the others the lock (423).
        assertEquals(4L, byCode.get("401 AUTH_MFA_INVALID_CODE"), byCode.toString());
        assertTrue(byCode.getOrDefault("423 AUTH_MFA_LOCKED", 0L) >= 1, byCode.toString());
        assertEquals(6L, byCode.getOrDefault("423 AUTH_MFA_LOCKED", 0L)
                + byCode.getOrDefault("400 AUTH_TOKEN_INVALID", 0L), byCode.toString());

        // The right code does not help now, the pending token died, and sign-in asks for a CAPTCHA.
        verify(mfaToken, IndependentTotp.now(clock, secret, 1)).then().statusCode(400);
        Accounts.login(email, Accounts.PASSWORD, ip, Accounts.BROWSER, null).then().statusCode(401)
                .body("code", equalTo("AUTH_CAPTCHA_REQUIRED"));
        String next = password().path("mfaToken");
        verify(next, IndependentTotp.now(clock, secret, 1)).then().statusCode(423).body("code", equalTo("AUTH_MFA_LOCKED"))
                .header("Retry-After", notNullValue());
    }

    @Test
    void disableNeedsPasswordAndCode() {
        String secret = enrol();
        complete(password().path("accessToken"), IndependentTotp.now(clock, secret, 0));
        String access = verify(password().path("mfaToken"), IndependentTotp.now(clock, secret, 1)).path("accessToken");

        disable(access, "Wrong-Password-Entirely-1", IndependentTotp.now(clock, secret, -1)).then().statusCode(401)
                .body("code", equalTo("AUTH_INVALID_CREDENTIALS"));
        disable(access, Accounts.PASSWORD, "123").then().statusCode(401).body("code", equalTo("AUTH_MFA_INVALID_CODE"));
        disable(access, Accounts.PASSWORD, IndependentTotp.now(clock, secret, -1)).then().statusCode(200)
                .body("mfaEnabled", equalTo(false));
        me(access).then().body("mfaEnabled", equalTo(false)).body("recoveryCodesRemaining", nullValue());
        password().then().body("accessToken", notNullValue());
        assertEquals(1, accounts.events(userId, "mfa.disabled"));
        assertEquals(1, accounts.emails(email, "mfa-disabled"));
    }

    @Test
    void seedsOfUsersWhoDoNotSignInAreMovedInTheBackground() throws Throwable {
        String secret = enrol();
        complete(password().path("accessToken"), IndependentTotp.now(clock, secret, 0));
        // As if stored before the rotation: under v1, and the user does not sign in.
        pool.preparedQuery("update mfa_credential set secret_ciphertext = $2, key_version = 'v1' where user_id = $1")
                .execute(Tuple.of(UUID.fromString(userId), SecretCipher.fromConfig(encryptionKeys, "v1").encrypt(secret, userId)))
                .await().atMost(Duration.ofSeconds(5));

        // Another user's seed under a key this service does not have: it cannot move, and must not
        // stop the others.
        String stranded = accounts.verifiedUser(Accounts.newEmail());
        pool.preparedQuery("insert into mfa_credential (user_id, secret_ciphertext, key_version, active, created_at)"
                        + " values ($1, 'v0:AAAA', 'v0', true, now())")
                .execute(Tuple.of(UUID.fromString(stranded))).await().atMost(Duration.ofSeconds(5));

        // And one under v1, a key this service has, that does not decrypt (a damaged row): it is
        // skipped and counted, and the rest of its batch still moves.
        String damaged = accounts.verifiedUser(Accounts.newEmail());
        pool.preparedQuery("insert into mfa_credential (user_id, secret_ciphertext, key_version, active, created_at)"
                        + " values ($1, $2, 'v1', true, now())")
                .execute(Tuple.of(UUID.fromString(damaged), "v1:" + Base64.getEncoder().encodeToString(new byte[40])))
                .await().atMost(Duration.ofSeconds(5));

        MfaKeyRotation.Pass pass = VertxContextSupport.subscribeAndAwait(() -> rotation.reencryptAll());
        assertTrue(pass.moved() >= 1, "at least this user's seed moved: " + pass);
        assertTrue(pass.undecryptable() >= 1, "the damaged seed was counted: " + pass);
        Row rotated = row();
        assertEquals("v2", rotated.getString("key_version"));
        assertEquals(secret, SecretCipher.fromConfig(encryptionKeys, "v2").decrypt(rotated.getString("secret_ciphertext"),
                userId));
        MfaKeyRotation.Pass again = VertxContextSupport.subscribeAndAwait(() -> rotation.reencryptAll());
        assertEquals(0, again.moved(), "nothing left to move: " + again);
        assertEquals("v1", pool.preparedQuery("select key_version from mfa_credential where user_id = $1")
                .execute(Tuple.of(UUID.fromString(damaged))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getString(0), "the damaged seed is left under its key");
        assertEquals("v0", pool.preparedQuery("select key_version from mfa_credential where user_id = $1")
                .execute(Tuple.of(UUID.fromString(stranded))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getString(0), "a seed under an unknown key is left as it is");
        // The user signs in with a code as before.
        verify(password().path("mfaToken"), IndependentTotp.now(clock, secret, 1)).then().statusCode(200);
    }

    @Test
    void theSeedIsStoredEncryptedAndMovesToTheCurrentKey() {
        String secret = enrol();
        complete(password().path("accessToken"), IndependentTotp.now(clock, secret, 0));
        Row stored = row();
        assertFalse(stored.getString("secret_ciphertext").contains(secret));
        assertEquals("v2", stored.getString("key_version"));

        // As if stored before the rotation: under v1.
        SecretCipher cipher = SecretCipher.fromConfig(encryptionKeys, "v1");
        pool.preparedQuery("update mfa_credential set secret_ciphertext = $2, key_version = 'v1' where user_id = $1")
                .execute(Tuple.of(UUID.fromString(userId), cipher.encrypt(secret, userId)))
                .await().atMost(Duration.ofSeconds(5));

        verify(password().path("mfaToken"), IndependentTotp.now(clock, secret, 1)).then().statusCode(200);
        Row rotated = row();
        assertEquals("v2", rotated.getString("key_version"));
        assertTrue(rotated.getString("secret_ciphertext").startsWith("v2:"));
        assertEquals(secret, SecretCipher.fromConfig(encryptionKeys, "v2").decrypt(rotated.getString("secret_ciphertext"),
                userId));
    }

    @Test
    void unhappyPathsAreProblems() {
        given().post("/v1/auth/2fa/enable-init").then().statusCode(401);
        String access = password().path("accessToken");
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", "123456"))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(409).body("code", equalTo("BIZ_MFA_NOT_ENABLED"));
        verify("garbage", "123456").then().statusCode(400).body("code", equalTo("AUTH_TOKEN_INVALID"));
        verify("A".repeat(43), "123456").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("code", "123456")).post("/v1/auth/2fa/verify")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        given().contentType(ContentType.JSON).body("{\"mfaToken\": 5, \"code\": [1]}").post("/v1/auth/2fa/verify")
                .then().statusCode(400).contentType("application/problem+json");

        String secret = enrol();
        complete(access, IndependentTotp.now(clock, secret, 0));
        // Bound to the device that passed the password step.
        String mfaToken = password().path("mfaToken");
        given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", "curl/8.5.0")
                .body(Map.of("mfaToken", mfaToken, "code", IndependentTotp.now(clock, secret, 1)))
                .post("/v1/auth/2fa/verify").then().statusCode(400);
        verify(mfaToken, "12ab56").then().statusCode(401).body("code", equalTo("AUTH_MFA_INVALID_CODE"));
    }

    @Test
    void anAdminCanResetTwoFactor() {
        String secret = enrol();
        complete(password().path("accessToken"), IndependentTotp.now(clock, secret, 0));
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).post("/v1/auth/internal/users/" + userId + "/reset-2fa")
                .then().statusCode(403);
        given().auth().oauth2(TestJwt.token(Roles.ADMIN)).post("/v1/auth/internal/users/" + userId + "/reset-2fa")
                .then().statusCode(204);
        password().then().statusCode(200).body("accessToken", notNullValue());
    }

    // ---- helpers ----

    private Response password() {
        return Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().response();
    }

    private String enrol() {
        return given().auth().oauth2(password().<String>path("accessToken")).post("/v1/auth/2fa/enable-init")
                .then().statusCode(200).extract().path("secret");
    }

    private static List<String> complete(String access, String code) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200)
                .body("recoveryCodes", hasSize(10)).extract().path("recoveryCodes");
    }

    private Response verify(String mfaToken, String code) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", Accounts.BROWSER)
                .body(Map.of("mfaToken", mfaToken, "code", code)).post("/v1/auth/2fa/verify");
    }

    private Response recovery(String mfaToken, String code) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", Accounts.BROWSER)
                .body(Map.of("mfaToken", mfaToken, "recoveryCode", code)).post("/v1/auth/recovery-login");
    }

    private static Response disable(String access, String password, String code) {
        return given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("password", password, "code", code)).post("/v1/auth/2fa/disable");
    }

    private static Response me(String access) {
        return given().auth().oauth2(access).get("/v1/auth/me");
    }

    private Row row() {
        return pool.preparedQuery("select secret_ciphertext, key_version from mfa_credential where user_id = $1")
                .execute(Tuple.of(UUID.fromString(userId))).await().atMost(Duration.ofSeconds(5)).iterator().next();
    }
}
