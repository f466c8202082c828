package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.retention.RetentionPurge;
import dev.sentinel.notification.config.NotificationConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Forgets finished deliveries once they are past their retention: sent and suppressed mails
 * by arrival, dead letters nobody redrove by when they died. PENDING rows are never
 * touched. Deletes run in bounded batches; every replica may run the purge.
 */
@ApplicationScoped
public class DeliveryRetention {

    private final Pool pool;
    private final List<RetentionPurge> purges;

    public DeliveryRetention(Pool pool, NotificationConfig config, MeterRegistry registry) {
        this.pool = pool;
        NotificationConfig.Retention retention = config.retention();
        // A row a redrive moved DEAD → PENDING while the purge picked it is rechecked and kept.
        this.purges = List.of(
                RetentionPurge.of(registry, "delivery", "received_at", retention.delivered())
                        .pickedBy("event_id").onlyWhere("status in ('SENT', 'SUPPRESSED')"),
                RetentionPurge.of(registry, "delivery", "dead_at", retention.dead())
                        .pickedBy("event_id").onlyWhere("status = 'DEAD'"));
    }

    @Scheduled(every = "${notification.retention.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return RetentionPurge.scheduled("Delivery", purge());
    }

    /** Deletes what is past its retention now; emits how many rows went. */
    public Uni<Long> purge() {
        return RetentionPurge.runAll(pool, purges);
    }
}
