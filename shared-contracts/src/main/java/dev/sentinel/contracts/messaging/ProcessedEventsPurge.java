package dev.sentinel.contracts.messaging;

import dev.sentinel.contracts.retention.BatchDelete;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * Forgets {@code processed_event} records older than the retention, in bounded batches.
 * A record is only needed while its event can still arrive again: Kafka redelivers from
 * the topic (default retention 7 days) and the outbox relay republishes only rows it never
 * marked sent (minutes). The retention therefore must exceed every consumed topic's
 * retention; the default is 30 days. Every replica may run it; the deletes do not clash.
 */
@ApplicationScoped
public class ProcessedEventsPurge {

    static final String PURGE = """
            delete from processed_event where ctid in (
                select ctid from processed_event where processed_at < now() - make_interval(secs => $1) limit $2)
               and processed_at < now() - make_interval(secs => $1)""";
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;
    private static final Logger LOG = Logger.getLogger(ProcessedEventsPurge.class);

    private final Pool pool;
    private final Duration retention;
    private final Counter purged;

    public ProcessedEventsPurge(Pool pool, MeterRegistry registry,
            @ConfigProperty(name = "sentinel.processed-events.retention", defaultValue = "P30D") Duration retention) {
        this.pool = pool;
        this.retention = retention;
        this.purged = BatchDelete.purgedCounter(registry, "processed_event");
    }

    @Scheduled(every = "${sentinel.processed-events.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure().invoke(e -> LOG.warnf("Processed-event purge failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes what is past the retention now; emits how many rows went. */
    public Uni<Long> purge() {
        return BatchDelete.run(pool, PURGE, List.of((double) retention.toSeconds()), BATCH, MAX_BATCHES)
                .invoke(n -> purged.increment(n));
    }
}
