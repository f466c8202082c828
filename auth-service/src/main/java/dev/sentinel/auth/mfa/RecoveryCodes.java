package dev.sentinel.auth.mfa;

import dev.sentinel.auth.token.OpaqueTokens;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recovery codes: 16 characters of a 32-letter alphabet without look-alikes (80 bits),
 * shown as {@code XXXX-XXXX-XXXX-XXXX}. Typed case, spaces and dashes do not matter.
 */
public final class RecoveryCodes {

    public static final int COUNT = 10;
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    public static List<String> generate() {
        List<String> codes = new ArrayList<>();
        for (int n = 0; n < COUNT; n++) {
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (i > 0 && i % 4 == 0) {
                    code.append('-');
                }
                code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** The stored form of a typed code, or null if it cannot be one. */
    public static String hashOf(String typed) {
        if (typed == null || typed.length() > 64) {
            return null;
        }
        String normal = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (!normal.matches("[A-Z2-9]{16}")) {
            return null;
        }
        return OpaqueTokens.hash("recovery:" + normal);
    }
}
