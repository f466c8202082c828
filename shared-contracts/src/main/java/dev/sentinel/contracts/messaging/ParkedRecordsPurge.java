package dev.sentinel.contracts.messaging;

import dev.sentinel.contracts.retention.RetentionPurge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Forgets {@code parked_record} rows ({@link ParkedRecords}) older than
 * {@code sentinel.parked-records.retention} (default 30 days), in bounded batches: a parked
 * record keeps up to 4,000 characters of the value, which may hold an email address, and is
 * for an operator to look at soon, not an archive. A service opts in by setting
 * {@code sentinel.parked-records.purge-interval} (off by default: admin-audit's parked
 * records are evidence its owners decide about). Every replica may run it.
 */
@ApplicationScoped
public class ParkedRecordsPurge {

    private final Pool pool;
    private final RetentionPurge purge;

    public ParkedRecordsPurge(Pool pool, MeterRegistry registry,
            @ConfigProperty(name = "sentinel.parked-records.retention", defaultValue = "P30D") Duration retention) {
        this.pool = pool;
        this.purge = RetentionPurge.of(registry, "parked_record", "parked_at", retention);
    }

    @Scheduled(every = "${sentinel.parked-records.purge-interval:off}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return RetentionPurge.scheduled("Parked-record", purge());
    }

    /** Deletes what is past the retention now; emits how many rows went. */
    public Uni<Long> purge() {
        return purge.run(pool);
    }
}
