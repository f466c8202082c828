package dev.sentinel.systemtests;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.systemtests.support.ConsumerGroups;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.ExtraService;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key rotation procedures of docs/key-rotation.md, replayed step by step against packaged
 * services: each step is a restart of an auth-service instance (on the suite's database, on a
 * port of its own) with the settings the procedure gives for that step, as an operator's rollout
 * is. The suite's own four services are not touched.
 */
@SystemTest
class KeyRotationIT {

    private static final GoogleAuthenticator AUTHENTICATOR_APP = new GoogleAuthenticator();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long STEP_MILLIS = 30_000;

    /**
     * JWT signing key, A → B: publish B as next, make B current with A as previous, drop A. A token
     * under A keeps working on auth and account-service until A is dropped; new tokens carry kid B
     * and account-service (which verifies through the JWKS) takes them; after the drop an A token is
     * a 401 problem.
     */
    @Test
    void jwtSigningKeyRotationNeverRefusesAValidToken(Sentinel sentinel) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EllipticCurveJsonWebKey keyA = signingKey("rotation-a-" + run);
        EllipticCurveJsonWebKey keyB = signingKey("rotation-b-" + run);
        int authPort = Sentinel.freePort();
        String jwksUrl = "http://127.0.0.1:" + authPort + "/.well-known/jwks.json";
        Credentials user = Users.registerAndVerify(sentinel, "jwt-rotation");

        // Before: A signs. account-service verifies through this auth's JWKS.
        ExtraService auth = sentinel.startExtra(Service.AUTH, "key-rotation-jwt-0-a", authPort,
                Map.of("JWT_JWK_CURRENT", privateJwk(keyA), "JWKS_URL", jwksUrl));
        String accountGroup = "account-key-rotation-" + run;
        ConsumerGroups.startAtEnd(accountGroup, Topics.SECURITY_EVENTS);
        Map<String, String> accountSettings = Map.of("JWKS_URL", jwksUrl, "SECURITY_EVENTS_GROUP", accountGroup);
        ExtraService account = sentinel.startExtra(Service.ACCOUNT, "key-rotation-jwt-account", Sentinel.freePort(),
                accountSettings);
        try {
            String tokenA = signIn(auth, user);
            assertEquals(keyA.getKeyId(), kid(tokenA));
            assertAccepted(auth, account, tokenA);

            // Step 1: B is published as next; A still signs.
            auth.close();
            auth = sentinel.startExtra(Service.AUTH, "key-rotation-jwt-1-next-b", authPort,
                    Map.of("JWT_JWK_CURRENT", privateJwk(keyA), "JWT_JWK_NEXT", privateJwk(keyB), "JWKS_URL", jwksUrl));
            assertEquals(List.of(keyA.getKeyId(), keyB.getKeyId()), publishedKids(auth));
            assertEquals(keyA.getKeyId(), kid(signIn(auth, user)));
            assertAccepted(auth, account, tokenA);

            // Step 2: B signs, A is previous. account-service's key set is older than this step
            // (its cache lives 300 s): B's kid is news to it, so it refetches the set at once.
            auth.close();
            auth = sentinel.startExtra(Service.AUTH, "key-rotation-jwt-2-current-b", authPort,
                    Map.of("JWT_JWK_CURRENT", privateJwk(keyB), "JWT_JWK_PREVIOUS", privateJwk(keyA), "JWKS_URL", jwksUrl));
            assertEquals(List.of(keyB.getKeyId(), keyA.getKeyId()), publishedKids(auth));
            assertAccepted(auth, account, tokenA);
            String tokenB = signIn(auth, user);
            assertEquals(keyB.getKeyId(), kid(tokenB));
            assertAccepted(auth, account, tokenB);

            // Step 3: A is dropped (here before its tokens expired, as in an emergency rotation).
            auth.close();
            auth = sentinel.startExtra(Service.AUTH, "key-rotation-jwt-3-drop-a", authPort,
                    Map.of("JWT_JWK_CURRENT", privateJwk(keyB), "JWKS_URL", jwksUrl));
            assertEquals(List.of(keyB.getKeyId()), publishedKids(auth));
            assertRefused(auth, "/v1/auth/me", tokenA);
            assertAccepted(auth, account, tokenB);
            // A verifier that still holds the old set (≤ 300 s + 1 min of verified-token cache)
            // takes A until then; a restarted one refuses it at once (the emergency step).
            account.close();
            account = sentinel.startExtra(Service.ACCOUNT, "key-rotation-jwt-account-restarted", Sentinel.freePort(),
                    accountSettings);
            assertRefused(account, "/v1/account/plan", tokenA);
            assertAccepted(auth, account, tokenB);
        } finally {
            auth.close();
            account.close();
        }
    }

    /**
     * TOTP encryption keys, v1 → v2: a user enrolled under v1 signs in with a code after v2 became
     * current, which re-encrypts their seed under v2; once no seed is under v1, v1 is removed and
     * they still sign in.
     */
    @Test
    void totpSeedsMoveToTheNewKeyOnUseAndTheOldKeyCanThenGo(Sentinel sentinel) {
        Credentials user = Users.registerAndVerify(sentinel, "totp-rotation");
        SignedIn signedIn = sentinel.signIn(user.email(), user.password());
        String userId = sentinel.auth().header("Authorization", signedIn.bearer())
                .get("/v1/auth/me").then().statusCode(200).extract().path("id");
        // Enrolled on the suite's auth-service, whose only key is v1.
        String seed = sentinel.auth().header("Authorization", signedIn.bearer())
                .post("/v1/auth/2fa/enable-init").then().statusCode(200).extract().path("secret");
        Set<Long> usedSteps = new HashSet<>();
        sentinel.auth().header("Authorization", signedIn.bearer()).body(Map.of("code", freshCode(seed, usedSteps)))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200);
        assertEquals("v1", storedKeyVersion(userId));

        String keysV1 = sentinel.setting("ENCRYPTION_KEYS");
        String v2 = "\"v2\":\"" + randomBase64() + "\"";
        String keysV1V2 = keysV1.substring(0, keysV1.lastIndexOf('}')) + "," + v2 + "}";
        int authPort = Sentinel.freePort();

        // Steps 1 and 2: v2 added and made current; the sign-in with a code re-encrypts the seed.
        ExtraService auth = sentinel.startExtra(Service.AUTH, "key-rotation-totp-1-current-v2", authPort,
                Map.of("ENCRYPTION_KEYS", keysV1V2, "ENCRYPTION_KEY_CURRENT", "v2"));
        try {
            signInWithCode(auth, user, freshCode(seed, usedSteps));
            assertEquals("v2", storedKeyVersion(userId));
            assertEquals(0L, Databases.query(Service.AUTH,
                    "select count(*) as n from mfa_credential where key_version = 'v1' and user_id = ?::uuid", userId)
                    .get(0).get("n"));
        } finally {
            auth.close();
        }

        // Step 3: v1 removed; the seed decrypts under v2 and the user still signs in.
        auth = sentinel.startExtra(Service.AUTH, "key-rotation-totp-2-drop-v1", authPort,
                Map.of("ENCRYPTION_KEYS", "{" + v2 + "}", "ENCRYPTION_KEY_CURRENT", "v2"));
        try {
            signInWithCode(auth, user, freshCode(seed, usedSteps));
            assertEquals("v2", storedKeyVersion(userId));
        } finally {
            auth.close();
        }
    }

    /**
     * Audit signing key, A → B: admin-audit-service restarted with B as AUDIT_SIGNING_KEY and A's
     * verifier key in AUDIT_SIGNING_KEY_PREVIOUS signs new checkpoints with B, publishes B then A,
     * and the checkpoints A signed still verify with A's public key, and audit verify is valid;
     * restarted once more with A no longer listed, verify answers bad-signature (it checks every
     * checkpoint against the published keys). Runs on a database of its own so that the suite's
     * audit log keeps one key.
     */
    @Test
    void auditSigningKeyRotationKeepsOldCheckpointsVerifiable(Sentinel sentinel) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String database = "audit_key_rotation_e2e";
        Databases.createEmpty(database);
        String group = "admin-audit-key-rotation-" + run;
        ConsumerGroups.startAtEnd(group, Topics.SECURITY_EVENTS);
        Path mirror = Files.createTempDirectory("audit-key-rotation-");
        Map<String, String> common = Map.of("DB_NAME", database, "AUDIT_EVENTS_GROUP", group,
                "AUDIT_CHECKPOINT_MIRROR_DIR", mirror.toString(), "AUDIT_CHECKPOINT_EVERY", "1s");
        int port = Sentinel.freePort();

        ExtraService audit = sentinel.startExtra(Service.ADMIN_AUDIT, "key-rotation-audit-0-a", port,
                with(common, Map.of("AUDIT_SIGNING_KEY", randomBase64())));
        try {
            String admin = sentinel.signInAsAdmin().bearer();
            List<String> keysBefore = publicKeys(audit, admin);
            assertEquals(1, keysBefore.size());
            String keyA = keysBefore.get(0);
            CheckpointNote byA = latestCheckpoint(audit, admin, 0);
            assertTrue(byA.verifiesWith(keyA));

            // The rotation: B signs, A's public key (from /public-key) stays trusted.
            audit.close();
            String keyBSeed = randomBase64();
            audit = sentinel.startExtra(Service.ADMIN_AUDIT, "key-rotation-audit-1-b", port,
                    with(common, Map.of("AUDIT_SIGNING_KEY", keyBSeed, "AUDIT_SIGNING_KEY_PREVIOUS", keyA)));
            admin = sentinel.signInAsAdmin().bearer();
            List<String> keysAfter = publicKeys(audit, admin);
            assertEquals(2, keysAfter.size());
            assertEquals(keyA, keysAfter.get(1), "the previous key is still published, after the current one");
            String keyB = keysAfter.get(0);
            assertNotEquals(keyA, keyB);

            CheckpointNote byB = latestCheckpoint(audit, admin, byA.size());
            assertTrue(byB.verifiesWith(keyB), "new checkpoints are signed by the new key");
            assertFalse(byB.verifiesWith(keyA), "the old key does not vouch for new checkpoints");
            // Every stored checkpoint verifies with one of the published keys; A's with A's.
            List<String> notes = audit.given().header("Authorization", admin).queryParam("limit", 100)
                    .get("/v1/admin/audit-logs/checkpoints").then().statusCode(200).extract().jsonPath().getList("items.note");
            boolean servedAsSignedByA = false;
            for (String note : notes) {
                CheckpointNote checkpoint = CheckpointNote.parse(note);
                assertTrue(checkpoint.verifiesWith(keyA) || checkpoint.verifiesWith(keyB), note);
                servedAsSignedByA |= checkpoint.size() == byA.size() && checkpoint.verifiesWith(keyA);
            }
            assertTrue(servedAsSignedByA, "the checkpoint A signed is still served, and verifies with A's key");
            audit.given().header("Authorization", admin).get("/v1/admin/audit-logs/verify")
                    .then().statusCode(200).body("valid", equalTo(true));

            // verify checks every checkpoint's signature against the published keys: with A's
            // public key no longer listed, nothing vouches for the checkpoints A signed.
            audit.close();
            audit = sentinel.startExtra(Service.ADMIN_AUDIT, "key-rotation-audit-2-b-only", port,
                    with(common, Map.of("AUDIT_SIGNING_KEY", keyBSeed)));
            audit.given().header("Authorization", admin).get("/v1/admin/audit-logs/verify")
                    .then().statusCode(200).body("valid", equalTo(false)).body("problem", equalTo("bad-signature"));
        } finally {
            audit.close();
            Databases.drop(database);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Map<String, String> with(Map<String, String> common, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(common);
        all.putAll(more);
        return all;
    }

    private static List<String> publicKeys(ExtraService audit, String bearer) {
        String text = audit.given().header("Authorization", bearer).accept("text/plain")
                .get("/v1/admin/audit-logs/public-key").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> !line.isBlank()).toList();
    }

    /** The newest checkpoint once it covers more than {@code largerThan} rows (sign-ins keep adding rows). */
    private static CheckpointNote latestCheckpoint(ExtraService audit, String bearer, long largerThan) {
        return Eventually.await(Duration.ofSeconds(60), "a checkpoint over more than " + largerThan + " rows", () -> {
            Response latest = audit.given().header("Authorization", bearer).accept("text/plain")
                    .get("/v1/admin/audit-logs/checkpoints/latest");
            if (latest.statusCode() != 200) {
                return null;
            }
            CheckpointNote note = CheckpointNote.parse(latest.asString());
            return note.size() > largerThan ? note : null;
        });
    }

    /** A C2SP signed note of a checkpoint, checked here with the JDK alone, as an auditor's verifier would. */
    private record CheckpointNote(String note, String text, long size, String keyName, byte[] keyId, byte[] signature) {

        static CheckpointNote parse(String note) {
            int blank = note.indexOf("\n\n");
            String text = note.substring(0, blank + 1);
            String[] signatureLine = note.substring(blank + 2).trim().split(" ");
            byte[] signed = Base64.getDecoder().decode(signatureLine[2]);
            return new CheckpointNote(note, text, Long.parseLong(text.split("\n")[1]), signatureLine[1],
                    Arrays.copyOf(signed, 4), Arrays.copyOfRange(signed, 4, signed.length));
        }

        /** True when {@code verifierKey} ({@code name+id hex+base64(0x01 ‖ key)}) names this signature's key and it verifies. */
        boolean verifiesWith(String verifierKey) {
            String[] parts = verifierKey.split("\\+", 3);
            if (!parts[0].equals(keyName) || !parts[1].equals(HexFormat.of().formatHex(keyId))) {
                return false;
            }
            byte[] typed = Base64.getDecoder().decode(parts[2]);
            byte[] x509 = ByteBuffer.allocate(44).put(HexFormat.of().parseHex("302a300506032b6570032100"))
                    .put(typed, 1, 32).array();
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509)));
                ed25519.update(text.getBytes(StandardCharsets.UTF_8));
                return ed25519.verify(signature);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void signInWithCode(ExtraService auth, Credentials user, String code) {
        String mfaToken = auth.given().body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).body("mfaRequired", equalTo(true))
                .extract().path("mfaToken");
        auth.given().body(Map.of("mfaToken", mfaToken, "code", code))
                .post("/v1/auth/2fa/verify").then().statusCode(200)
                .body("accessToken", notNullValue());
    }

    private static String storedKeyVersion(String userId) {
        List<Map<String, Object>> rows = Databases.query(Service.AUTH,
                "select key_version, secret_ciphertext from mfa_credential where user_id = ?::uuid", userId);
        assertEquals(1, rows.size());
        String version = (String) rows.get(0).get("key_version");
        assertTrue(((String) rows.get(0).get("secret_ciphertext")).startsWith(version + ":"),
                "the ciphertext names the key it is under");
        return version;
    }

    /**
     * A code auth takes now and for the next half minute that no earlier call used (each step's
     * code is accepted once): the current step's, else the next one's; when both are used, it
     * waits for the next step. Never the previous step's: auth accepts it only until the step
     * after the current one begins, and a sign-in started near that boundary then got a 401.
     */
    private static String freshCode(String seed, Set<Long> usedSteps) {
        while (true) {
            long now = System.currentTimeMillis();
            long current = now / STEP_MILLIS;
            OptionalLong step = LongStream.of(current, current + 1).filter(candidate -> !usedSteps.contains(candidate))
                    .findFirst();
            if (step.isPresent()) {
                usedSteps.add(step.getAsLong());
                return String.format("%06d", AUTHENTICATOR_APP.getTotpPassword(seed, step.getAsLong() * STEP_MILLIS));
            }
            try {
                Thread.sleep((current + 1) * STEP_MILLIS - now + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String signIn(ExtraService auth, Credentials user) {
        return auth.given().body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).extract().path("accessToken");
    }

    private static void assertAccepted(ExtraService auth, ExtraService account, String token) {
        auth.given().header("Authorization", "Bearer " + token).get("/v1/auth/me").then().statusCode(200);
        account.given().header("Authorization", "Bearer " + token).get("/v1/account/plan").then().statusCode(200);
    }

    private static void assertRefused(ExtraService service, String path, String token) {
        service.given().header("Authorization", "Bearer " + token).get(path)
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_UNAUTHENTICATED"));
    }

    private static List<String> publishedKids(ExtraService auth) {
        return auth.given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }

    private static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))), StandardCharsets.UTF_8);
        return JsonPath.from(header).getString("kid");
    }

    private static EllipticCurveJsonWebKey signingKey(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setUse("sig");
            key.setAlgorithm("ES256");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String privateJwk(EllipticCurveJsonWebKey key) {
        return key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    private static String randomBase64() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
