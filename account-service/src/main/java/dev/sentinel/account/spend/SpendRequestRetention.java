package dev.sentinel.account.spend;

import dev.sentinel.account.config.AccountConfig;
import dev.sentinel.contracts.retention.RetentionPurge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Forgets idempotency records ({@code spend_request}) older than
 * {@code account.retention.spend-requests} (default 90 days), in bounded batches counted in
 * {@code sentinel_retention_purged_total{table="spend_request"}}. The account's totals never
 * read them, so only a replay of a key that old is lost: it is a new request then.
 */
@ApplicationScoped
public class SpendRequestRetention {

    private final Pool pool;
    private final RetentionPurge purge;

    public SpendRequestRetention(Pool pool, AccountConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.purge = RetentionPurge.of(registry, "spend_request", "created_at", config.retention().spendRequests())
                .pickedBy("id");
    }

    @Scheduled(every = "${account.retention.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return RetentionPurge.scheduled("Spend-request", purge());
    }

    /** Deletes what is past the retention now; emits how many rows went. */
    public Uni<Long> purge() {
        return purge.run(pool);
    }
}
