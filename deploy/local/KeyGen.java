import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Prints a fresh EC P-256 private JWK (ES256 signing key) as one line of compact JSON.
 *
 * Used by deploy/local/sentinel to make the local JWT_JWK_CURRENT secret, so the local
 * key never comes from, or goes into, the repository. JDK only, run as a single-file
 * program: {@code java deploy/local/KeyGen.java}.
 */
public class KeyGen {

    /** P-256 coordinates and the private scalar are always 32 bytes in a JWK (RFC 7518 §6.2.1). */
    private static final int FIELD_BYTES = 32;

    public static void main(String[] args) throws Exception {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = generator.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();

        byte[] kidBytes = new byte[12];
        random.nextBytes(kidBytes);
        String kid = "local-" + b64(kidBytes);

        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\""
                + ",\"kid\":\"" + kid + "\""
                + ",\"use\":\"sig\",\"alg\":\"ES256\""
                + ",\"x\":\"" + b64(fixed(pub.getW().getAffineX())) + "\""
                + ",\"y\":\"" + b64(fixed(pub.getW().getAffineY())) + "\""
                + ",\"d\":\"" + b64(fixed(priv.getS())) + "\""
                + "}";
        System.out.println(jwk);
    }

    /** Unsigned big-endian, left-padded with zeros to 32 bytes (BigInteger may add a sign byte or be shorter). */
    static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[FIELD_BYTES];
        int copy = Math.min(raw.length, FIELD_BYTES);
        System.arraycopy(raw, raw.length - copy, out, FIELD_BYTES - copy, copy);
        return out;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
