package dev.sentinel.auth.session;

import dev.sentinel.contracts.security.RevocationFallback;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** When Redis is down, auth-service asks its own session table whether a session was revoked. */
@ApplicationScoped
public class SessionRevocationFallback implements RevocationFallback {

    private final SessionRepository sessions;

    public SessionRevocationFallback(SessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Uni<Boolean> isRevoked(String sessionId) {
        UUID id;
        try {
            id = UUID.fromString(sessionId);
        } catch (IllegalArgumentException notOurs) {
            return Uni.createFrom().item(true);
        }
        return Panache.withSession(() -> sessions.isRevoked(id));
    }
}
