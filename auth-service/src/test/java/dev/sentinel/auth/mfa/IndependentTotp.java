package dev.sentinel.auth.mfa;

import dev.sentinel.contracts.testing.MovableClock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;

/**
 * RFC 6238 TOTP written from the RFC for the tests, sharing no code with the service (nor
 * googleauth): base32 decoding, HMAC-SHA1 over the step counter, dynamic truncation.
 */
public final class IndependentTotp {

    private IndependentTotp() {
    }

    static String code(String base32Secret, long epochSeconds, int stepOffset) {
        long counter = epochSeconds / 30 + stepOffset;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(base32(base32Secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The code the service's {@code clock} expects now, {@code stepOffset} steps away. */
    public static String now(Clock clock, String secret, int stepOffset) {
        return code(secret, clock.millis() / 1000, stepOffset);
    }

    /**
     * Stops the service's clock 5 s into the current 30 s step, so no step boundary can fall
     * between a code's computation and its check (the test resets the clock afterwards).
     */
    public static void holdMidStep(MovableClock clock) {
        long now = System.currentTimeMillis();
        clock.set(Instant.ofEpochMilli(now - now % 30_000 + 5_000));
    }

    private static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.replace("=", "").toUpperCase().toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
