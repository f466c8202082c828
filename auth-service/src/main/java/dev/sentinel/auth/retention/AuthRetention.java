package dev.sentinel.auth.retention;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.contracts.retention.BatchDelete;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Forgets what auth no longer needs, in bounded batches, each table after its own retention
 * ({@code auth.retention.*}): sessions that ended (revoked or expired) with their refresh
 * tokens, refresh tokens rotated long ago in live sessions, spent email tokens, and devices
 * not seen for long. Every replica may run it; each condition stands on the outer delete too,
 * so a row that changed while a batch was picked is rechecked there.
 */
@ApplicationScoped
public class AuthRetention {

    static final String PURGE_SESSIONS = """
            delete from auth_session where id in (
                select id from auth_session where least(revoked_at, expires_at) < now() - make_interval(secs => $1)
                 limit $2)
               and least(revoked_at, expires_at) < now() - make_interval(secs => $1)""";
    static final String PURGE_ROTATED_REFRESH_TOKENS = """
            delete from refresh_token where token_hash in (
                select token_hash from refresh_token where rotated_at < now() - make_interval(secs => $1) limit $2)
               and rotated_at < now() - make_interval(secs => $1)""";
    static final String PURGE_EMAIL_TOKENS = """
            delete from email_token where token_hash in (
                select token_hash from email_token where least(used_at, expires_at) < now() - make_interval(secs => $1)
                 limit $2)
               and least(used_at, expires_at) < now() - make_interval(secs => $1)""";
    static final String PURGE_KNOWN_DEVICES = """
            delete from known_device where ctid in (
                select ctid from known_device where last_seen < now() - make_interval(secs => $1) limit $2)
               and last_seen < now() - make_interval(secs => $1)""";
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;
    private static final Logger LOG = Logger.getLogger(AuthRetention.class);

    private final Pool pool;
    private final AuthConfig.Retention retention;
    private final List<Purge> purges;

    private record Purge(String sql, Duration after, Counter purged) {
    }

    public AuthRetention(Pool pool, AuthConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.retention = config.retention();
        this.purges = List.of(
                new Purge(PURGE_SESSIONS, retention.endedSessions(), BatchDelete.purgedCounter(registry, "auth_session")),
                new Purge(PURGE_ROTATED_REFRESH_TOKENS, retention.rotatedRefreshTokens(),
                        BatchDelete.purgedCounter(registry, "refresh_token")),
                new Purge(PURGE_EMAIL_TOKENS, retention.spentEmailTokens(),
                        BatchDelete.purgedCounter(registry, "email_token")),
                new Purge(PURGE_KNOWN_DEVICES, retention.knownDevices(),
                        BatchDelete.purgedCounter(registry, "known_device")));
    }

    @Scheduled(every = "${auth.retention.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure().invoke(e -> LOG.warnf("Auth retention purge failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes what is past its retention now, table by table; emits how many rows went in all. */
    public Uni<Long> purge() {
        Uni<Long> total = Uni.createFrom().item(0L);
        for (Purge purge : purges) {
            total = total.chain(sum -> BatchDelete.run(pool, purge.sql(), List.of((double) purge.after().toSeconds()),
                    BATCH, MAX_BATCHES).invoke(n -> purge.purged().increment(n)).map(n -> sum + n));
        }
        return total;
    }
}
