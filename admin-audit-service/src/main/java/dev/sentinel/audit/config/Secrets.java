package dev.sentinel.audit.config;

import java.util.Base64;

/** Reads the service's key material from configuration, refusing bad values by variable name. */
public final class Secrets {

    private Secrets() {
    }

    /** The 32 bytes of a base64 secret; anything else stops the service, naming {@code variable}. */
    public static byte[] key32(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: give base64 of 32 random bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(variable + " is not valid base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(variable + " must be base64 of exactly 32 bytes, not " + key.length);
        }
        return key;
    }
}
