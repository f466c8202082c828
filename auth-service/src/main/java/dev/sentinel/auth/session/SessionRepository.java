package dev.sentinel.auth.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<Session, UUID> {

    /** A user's sessions that can still be used, newest first. */
    public Uni<List<Session>> listLive(UUID userId, Instant now) {
        return list("userId = ?1 and revokedAt is null and expiresAt > ?2 order by lastUsedAt desc", userId, now);
    }

    /** The session if it belongs to {@code userId}; null for anybody else's (no probing of ids). */
    public Uni<Session> findOwned(UUID sessionId, UUID userId) {
        return find("id = ?1 and userId = ?2", sessionId, userId).firstResult();
    }

    public Uni<Boolean> isRevoked(UUID sessionId) {
        return count("id = ?1 and revokedAt is not null", sessionId).map(n -> n > 0);
    }
}
