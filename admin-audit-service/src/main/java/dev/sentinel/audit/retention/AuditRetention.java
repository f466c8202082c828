package dev.sentinel.audit.retention;

import dev.sentinel.audit.config.AuditConfig;
import dev.sentinel.contracts.retention.RetentionPurge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Retention of the audit log (README, "Retention"): rows whose event time is older than
 * {@code AUDIT_RETENTION} (default 400 days) lose their payload — subject, actor, outcome, ip,
 * user agent, its blind index, trace id and data — in batches of {@value RetentionPurge#BATCH}
 * through the shared {@link RetentionPurge} (counted in
 * {@code sentinel_retention_purged_total{table="audit_log"}}). seq, event id, type, time,
 * source and the leaf hash stay, as do the tree nodes and checkpoints: every proof and
 * checkpoint made before the purge still verifies, and verify takes a purged row's stored leaf
 * as its hash.
 * Created at start, so the counter's series exists at 0 before the first purge.
 */
@Startup
@ApplicationScoped
public class AuditRetention {

    /** What a purge clears, and the mark that takes a row out of the next batch. */
    static final String CLEARED = "subject = null, actor = null, outcome = null, ip = null, user_agent = null, "
            + "ip_index = null, trace_id = null, data = null, purged_at = now()";

    private final Pool pool;
    private final RetentionPurge payloads;

    public AuditRetention(Pool pool, MeterRegistry registry, AuditConfig config) {
        this.pool = pool;
        this.payloads = RetentionPurge.of(registry, "audit_log", "time", config.retention().after())
                .pickedBy("seq").onlyWhere("purged_at is null").clearing(CLEARED);
    }

    @Scheduled(every = "${audit.retention.every:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return RetentionPurge.scheduled("Audit log payload", purge());
    }

    /** Purges what is past the retention now (at most 100 batches); emits how many rows lost their payload. */
    @WithSpan("audit.retention")
    public Uni<Long> purge() {
        return payloads.run(pool);
    }
}
