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

    static final String PURGE = """
            delete from delivery where event_id in (
                select event_id from delivery
                 where (status in ('SENT', 'SUPPRESSED') and received_at < now() - make_interval(secs => $1))
                    or (status = 'DEAD' and dead_at < now() - make_interval(secs => $2))
                 limit $3)""";
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;
    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    private final Pool pool;
    private final NotificationConfig.Retention retention;
    private final Counter purged;

    public DeliveryRetention(Pool pool, NotificationConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.retention = config.retention();
        this.purged = Counter.builder("sentinel.retention.purged").tag("table", "delivery")
                .description("Rows deleted because they outlived their retention").register(registry);
    }

    @Scheduled(every = "${notification.retention.purge-interval:PT10M}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure().invoke(e -> LOG.warnf("Delivery purge failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes what is past its retention now; emits how many rows went. */
    public Uni<Long> purge() {
        List<Object> args = List.of((double) retention.delivered().toSeconds(), (double) retention.dead().toSeconds());
        return BatchDelete.run(pool, PURGE, args, BATCH, MAX_BATCHES).invoke(n -> purged.increment(n));
    }
}
