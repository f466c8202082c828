package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.retention.BatchDelete;
import dev.sentinel.notification.config.NotificationConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Forgets finished deliveries once they are past their retention: sent and suppressed mails
 * by arrival, dead letters nobody redrove by when they died. PENDING rows are never
 * touched. Deletes run in bounded batches; every replica may run the purge.
 */
@ApplicationScoped
public class DeliveryRetention {

    // Each condition stands on the outer delete too: a row a redrive moved DEAD → PENDING
    // while the purge picked it is rechecked there and kept.
    static final String PURGE_FINISHED = """
            delete from delivery where event_id in (
                select event_id from delivery
                 where status in ('SENT', 'SUPPRESSED') and received_at < now() - make_interval(secs => $1)
                 limit $2)
               and status in ('SENT', 'SUPPRESSED') and received_at < now() - make_interval(secs => $1)""";
    static final String PURGE_DEAD = """
            delete from delivery where event_id in (
                select event_id from delivery
                 where status = 'DEAD' and dead_at < now() - make_interval(secs => $1)
                 limit $2)
               and status = 'DEAD' and dead_at < now() - make_interval(secs => $1)""";
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;
    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    private final Pool pool;
    private final NotificationConfig.Retention retention;
    private final Counter purged;

    public DeliveryRetention(Pool pool, NotificationConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.retention = config.retention();
        this.purged = BatchDelete.purgedCounter(registry, "delivery");
    }

    @Scheduled(every = "${notification.retention.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure().invoke(e -> LOG.warnf("Delivery purge failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes what is past its retention now; emits how many rows went. */
    public Uni<Long> purge() {
        return BatchDelete.run(pool, PURGE_FINISHED, List.of((double) retention.delivered().toSeconds()), BATCH,
                        MAX_BATCHES)
                .chain(finished -> BatchDelete.run(pool, PURGE_DEAD, List.of((double) retention.dead().toSeconds()),
                        BATCH, MAX_BATCHES).map(dead -> finished + dead))
                .invoke(n -> purged.increment(n));
    }
}
