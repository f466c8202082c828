package dev.sentinel.contracts.testing;

import dev.sentinel.contracts.security.Claims;
import dev.sentinel.contracts.security.Roles;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * Test tokens: real ES256 JWTs signed with a key pair made for this test JVM (published to
 * the service under test as a JWKS file by {@link JwtTestResource}), plus the forgeries a
 * verifier must refuse. No key material is ever committed.
 */
public final class TestJwt {

    public static final String ISSUER = "sentinel-test";
    public static final String AUDIENCE = "sentinel";
    public static final String KID = "test-current";

    private static final KeyPair CURRENT = newKeyPair();
    private static final KeyPair STRANGER = newKeyPair();

    private TestJwt() {
    }

    /** A valid access token for a new user and session with the given roles. */
    public static String token(String... roles) {
        return claims(UUID.randomUUID().toString(), UUID.randomUUID().toString(), roles).jws().keyId(KID)
                .algorithm(SignatureAlgorithm.ES256).sign(CURRENT.getPrivate());
    }

    /** A valid access token for the given user and session. */
    public static String tokenFor(String subject, String sessionId, String... roles) {
        return claims(subject, sessionId, roles).jws().keyId(KID).algorithm(SignatureAlgorithm.ES256)
                .sign(CURRENT.getPrivate());
    }

    /** Claims of a valid token, to alter before signing with {@link #sign(JwtClaimsBuilder)}. */
    public static JwtClaimsBuilder claims(String subject, String sessionId, String... roles) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim(Claims.SESSION_ID, sessionId)
                .claim(Claims.AMR, Set.of(Claims.AMR_PASSWORD))
                .groups(roles.length == 0 ? Set.of(Roles.USER) : Set.of(roles))
                .issuedAt(now).expiresAt(now.plusSeconds(900));
    }

    public static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(KID).algorithm(SignatureAlgorithm.ES256).sign(CURRENT.getPrivate());
    }

    /** Signed by a key the service has never seen, under a kid it does not know. */
    public static String signedByStranger(JwtClaimsBuilder claims) {
        return claims.jws().keyId("unknown-kid").algorithm(SignatureAlgorithm.ES256).sign(STRANGER.getPrivate());
    }

    /** Signed by a key the service has never seen, but claiming the trusted kid. */
    public static String signedByStrangerWithTrustedKid(JwtClaimsBuilder claims) {
        return claims.jws().keyId(KID).algorithm(SignatureAlgorithm.ES256).sign(STRANGER.getPrivate());
    }

    /** {@code alg: none} with no signature. */
    public static String unsigned(String validToken) {
        String[] parts = validToken.split("\\.");
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    }

    /** The classic key-confusion forgery: HS256 "signed" with the public key as HMAC secret. */
    public static String hs256WithPublicKey(String validToken) {
        String[] parts = validToken.split("\\.");
        String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}") + "." + parts[1];
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(CURRENT.getPublic().getEncoded(), "HmacSHA256"));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload swapped for one with more roles, the original signature kept. */
    public static String tampered(String validToken) {
        String[] parts = validToken.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"groups\":[", "\"groups\":[\"" + Roles.ADMIN + "\",");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    /** The JWKS a service under test trusts: the current test key only. */
    public static String jwks() {
        try {
            EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey((ECPublicKey) CURRENT.getPublic());
            jwk.setKeyId(KID);
            jwk.setUse("sig");
            jwk.setAlgorithm("ES256");
            return new JsonWebKeySet(jwk).toJson();
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test key as a private JWK, for auth-service's own tests: there it is configured as
     * the previous signing key, so tokens from this class are valid like a rotated-out key's.
     */
    public static String privateJwk() {
        EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey((ECPublicKey) CURRENT.getPublic());
        jwk.setPrivateKey(CURRENT.getPrivate());
        jwk.setKeyId(KID);
        jwk.setUse("sig");
        jwk.setAlgorithm("ES256");
        return jwk.toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
