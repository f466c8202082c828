package dev.sentinel.auth.web;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The 202 answer of a request whose outcome is mailed, worded so it never tells whether the
 * address has an account ({@code status} is always {@code accepted}).
 */
@RegisterForReflection
public record Accepted(String status, String message) {

    public static Accepted because(String message) {
        return new Accepted("accepted", message);
    }
}
