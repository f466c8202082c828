import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * ES256 (ECDSA P-256 / SHA-256) signatures and verifications per second on one thread, with
 * the running JDK's own provider, which is what signs (jose4j) and verifies (smallrye-jwt)
 * auth-service's access tokens: {@code java EcBench.java SECONDS}. Prints
 * {@code EC java=… sign_per_s=… verify_per_s=…}.
 */
public class EcBench {

    public static void main(String[] args) throws Exception {
        long nanos = Long.parseLong(args[0]) * 1_000_000_000L;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        // A typical header.payload of an access token.
        byte[] input = ("eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImxvY2FsLWFiYyJ9."
                + "eyJpc3MiOiJzZW50aW5lbCIsImF1ZCI6InNlbnRpbmVsIiwic3ViIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"
                + "Iiwic2lkIjoiMDAwMDAwMDAiLCJncm91cHMiOlsiVVNFUiJdLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDkwMH0").getBytes();
        byte[] signature = sign(keys, input);
        double signRate = rate(nanos / 2, () -> sign(keys, input)); // warm-up
        signRate = rate(nanos, () -> sign(keys, input));
        double verifyRate = rate(nanos / 2, () -> verify(keys, input, signature));
        verifyRate = rate(nanos, () -> verify(keys, input, signature));
        System.out.printf("EC java=%s sign_per_s=%.0f verify_per_s=%.0f%n", System.getProperty("java.version"),
                signRate, verifyRate);
    }

    interface Op {
        Object run() throws Exception;
    }

    static double rate(long nanos, Op op) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - start < nanos) {
            op.run();
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    static byte[] sign(KeyPair keys, byte[] input) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(input);
        return s.sign();
    }

    static Boolean verify(KeyPair keys, byte[] input, byte[] signature) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(keys.getPublic());
        s.update(input);
        if (!s.verify(signature)) {
            throw new IllegalStateException("verification failed");
        }
        return Boolean.TRUE;
    }
}
