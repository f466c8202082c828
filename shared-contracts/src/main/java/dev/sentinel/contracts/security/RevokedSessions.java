package dev.sentinel.contracts.security;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Revoked session ids in Redis, shared by every service. An entry lives as long as an
 * access token can (the token lifetime plus clock skew): after that no token of the
 * session can be valid anyway, so PostgreSQL stays the lasting record.
 */
@ApplicationScoped
public class RevokedSessions {

    static final String PREFIX = "sentinel:revoked-sid:";

    private final ReactiveRedisDataSource redis;

    public RevokedSessions(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public Uni<Boolean> isRevoked(String sessionId) {
        return redis.key().exists(PREFIX + sessionId);
    }

    public Uni<Void> revoke(String sessionId, Duration ttl) {
        return redis.value(String.class).setex(PREFIX + sessionId, Math.max(1, ttl.toSeconds()), "1");
    }
}
