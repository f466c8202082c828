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
 * Forgets {@code processed_event} records older than the retention, in bounded batches.
 * A record is only needed while its event can still arrive again: Kafka redelivers from
 * the topic (default retention 7 days) and the outbox relay republishes only rows it never
 * marked sent (minutes). The retention therefore must exceed every consumed topic's
 * retention; the default is 30 days. Every replica may run it; the deletes do not clash.
 */
@ApplicationScoped
public class ProcessedEventsPurge {

    private final Pool pool;
    private final RetentionPurge purge;

    public ProcessedEventsPurge(Pool pool, MeterRegistry registry,
            @ConfigProperty(name = "sentinel.processed-events.retention", defaultValue = "P30D") Duration retention) {
        this.pool = pool;
        this.purge = RetentionPurge.of(registry, "processed_event", "processed_at", retention);
    }

    @Scheduled(every = "${sentinel.processed-events.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return RetentionPurge.scheduled("Processed-event", purge());
    }

    /** Deletes what is past the retention now; emits how many rows went. */
    public Uni<Long> purge() {
        return purge.run(pool);
    }
}
