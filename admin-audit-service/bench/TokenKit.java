import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Benchmark helper (JDK only, run as `java TokenKit.java DIR`): makes a throwaway ES256 key,
 * writes DIR/jwks.json for the service under test to trust, and DIR/service.jwt and
 * DIR/billing.jwt, signed access tokens (1 h) with roles SERVICE and BILLING_ADMIN.
 * Nothing here is a real secret; the key lives only in this process.
 */
public class TokenKit {

    static final String ISSUER = "sentinel-bench";
    static final String AUDIENCE = "sentinel";
    static final String KID = "bench";

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) keys.getPublic();
        String jwks = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"" + KID
                + "\",\"x\":\"" + b64(unsigned32(pub.getW().getAffineX().toByteArray()))
                + "\",\"y\":\"" + b64(unsigned32(pub.getW().getAffineY().toByteArray())) + "\"}]}";
        Files.writeString(dir.resolve("jwks.json"), jwks);
        Files.writeString(dir.resolve("admin.jwt"), token(keys, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "ADMIN"));
    }

    static String token(KeyPair keys, String subject, String sessionId, String role) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + subject + "\","
                + (sessionId == null ? "" : "\"sid\":\"" + sessionId + "\",")
                + "\"jti\":\"" + UUID.randomUUID() + "\",\"groups\":[\"" + role + "\"],\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + "}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(keys.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(signer.sign());
    }

    static byte[] unsigned32(byte[] value) {
        if (value.length == 32) {
            return value;
        }
        if (value.length > 32) {
            return Arrays.copyOfRange(value, value.length - 32, value.length);
        }
        byte[] padded = new byte[32];
        System.arraycopy(value, 0, padded, 32 - value.length, value.length);
        return padded;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
