package dev.sentinel.contracts.security;

import io.smallrye.mutiny.Uni;

/**
 * Where a service can look when Redis does not answer. Only the service that owns the
 * sessions (auth) provides one; everywhere else the check fails closed.
 */
public interface RevocationFallback {

    Uni<Boolean> isRevoked(String sessionId);
}
