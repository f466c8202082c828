package dev.sentinel.contracts.log;

/**
 * What may appear in a log line about a person. Never log a password, token or secret at
 * all; an email only through {@link #email(String)}.
 */
public final class Redact {

    private Redact() {
    }

    /** {@code alice@example.com} → {@code a***@example.com}; anything unparsable → {@code ***}. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at == email.length() - 1) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at);
    }
}
