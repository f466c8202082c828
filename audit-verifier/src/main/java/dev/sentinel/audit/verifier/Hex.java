package dev.sentinel.audit.verifier;

import java.util.HexFormat;

/** Hashes in hex: exactly 64 lower-case digits (one spelling per value). */
final class Hex {

    private Hex() {
    }

    static boolean isHash(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
