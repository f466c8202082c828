package dev.sentinel.notification.delivery;

import java.util.regex.Pattern;

/**
 * Whether a recipient is an address we may hand to SMTP: one plain {@code local@domain}
 * with a dotted domain, no display name, no spaces or control characters (no header or
 * command injection), within the RFC 5321 lengths.
 */
public final class Recipients {

    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private Recipients() {
    }

    public static boolean isValid(String address) {
        if (address == null) {
            return false;
        }
        String trimmed = address.trim();
        return trimmed.length() <= 254 && ADDRESS.matcher(trimmed).matches()
                && !trimmed.startsWith(".") && !trimmed.contains("..");
    }
}
