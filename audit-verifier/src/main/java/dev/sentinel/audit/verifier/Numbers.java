package dev.sentinel.audit.verifier;

/** Strict decimal sizes: digits only, no sign, no leading zero, at most Long.MAX_VALUE. */
final class Numbers {

    private Numbers() {
    }

    /** The value, or -1 when {@code text} is not such a number. */
    static long size(String text) {
        if (text.isEmpty() || text.length() > 19 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
