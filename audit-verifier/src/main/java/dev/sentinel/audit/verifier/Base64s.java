package dev.sentinel.audit.verifier;

import java.util.Base64;

/** Standard base64 (RFC 4648 §4, padded) in its one canonical spelling: bits after the data must be zero. */
final class Base64s {

    private Base64s() {
    }

    /** The bytes, or null when {@code text} is not canonical padded base64. */
    static byte[] decode(String text) {
        if (text.length() % 4 != 0) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // The JDK decoder ignores the unused bits of the last character: re-encoding tells.
        return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    }
}
