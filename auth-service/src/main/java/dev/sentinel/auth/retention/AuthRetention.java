package dev.sentinel.auth.retention;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.contracts.retention.RetentionPurge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Forgets what auth no longer needs, in bounded batches, each table after its own retention
 * ({@code auth.retention.*}): sessions that ended (revoked or expired) with their refresh
 * tokens, refresh tokens rotated long ago in live sessions, spent email tokens, and devices
 * not seen for long ({@link RetentionPurge}: bounded batches, counted by table; every
 * replica may run it).
 */
@ApplicationScoped
public class AuthRetention {

    private final Pool pool;
    private final List<RetentionPurge> purges;

    public AuthRetention(Pool pool, AuthConfig config, MeterRegistry registry) {
        this.pool = pool;
        AuthConfig.Retention retention = config.retention();
        this.purges = List.of(
                RetentionPurge.of(registry, "auth_session", "least(revoked_at, expires_at)", retention.endedSessions())
                        .pickedBy("id"),
                RetentionPurge.of(registry, "refresh_token", "rotated_at", retention.rotatedRefreshTokens())
                        .pickedBy("token_hash"),
                RetentionPurge.of(registry, "email_token", "least(used_at, expires_at)", retention.spentEmailTokens())
                        .pickedBy("token_hash"),
                RetentionPurge.of(registry, "known_device", "last_seen", retention.knownDevices()));
    }

    @Scheduled(every = "${auth.retention.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return RetentionPurge.scheduled("Auth retention", purge());
    }

    /** Deletes what is past its retention now, table by table; emits how many rows went in all. */
    public Uni<Long> purge() {
        return RetentionPurge.runAll(pool, purges);
    }
}
