package dev.sentinel.audit.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log's domain metrics, all present at 0 from the start:
 * {@code sentinel_audit_rows_appended_total},
 * {@code sentinel_consumer_parked_total{consumer="admin-audit-service.audit-log"}} (the shared
 * series of parked records, as {@code ParkedRecords} counts them for the other consumers),
 * {@code sentinel_audit_subjects_erased_total},
 * {@code sentinel_audit_ingest_lag_seconds} (at the last committed batch: commit time minus
 * the newest event time in it) and {@code sentinel_audit_checkpoint_age_seconds} (how long
 * appended rows have waited for a checkpoint; 0 when the latest checkpoint covers them all).
 */
@ApplicationScoped
public class AuditMetrics {

    private final Clock clock;
    private final Counter appended;
    private final Counter parked;
    private final Counter erased;
    private final AtomicLong lagMillis = new AtomicLong();
    /** Epoch millis since when rows wait for a checkpoint; 0 when none waits. */
    private final AtomicLong unsignedSince = new AtomicLong();

    public AuditMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.appended = Counter.builder("sentinel.audit.rows.appended")
                .description("Audit rows appended to the log").register(registry);
        this.parked = Counter.builder("sentinel.consumer.parked").tag("consumer", AuditIngest.CONSUMER)
                .description("Records a consumer parked (unusable or failing for good) before going on with the next")
                .register(registry);
        this.erased = Counter.builder("sentinel.audit.subjects.erased")
                .description("Subjects whose personal fields were erased from the audit log").register(registry);
        Gauge.builder("sentinel.audit.ingest.lag", lagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("Commit time minus the newest event time of the last ingested batch").register(registry);
        Gauge.builder("sentinel.audit.checkpoint.age", this, AuditMetrics::checkpointAgeSeconds).baseUnit("seconds")
                .description("Seconds appended rows have waited for a signed checkpoint (0: all signed)")
                .register(registry);
    }

    void batchCommitted(int rows, int parkedRecords, Instant newestEventTime) {
        appended.increment(rows);
        parked.increment(parkedRecords);
        if (rows > 0) {
            lagMillis.set(Math.max(0, Duration.between(newestEventTime, clock.instant()).toMillis()));
            unsignedSince.compareAndSet(0, clock.millis());
        }
    }

    /** An erasure committed. */
    public void subjectErased() {
        erased.increment();
    }

    /** A checkpoint covering every row appended so far was signed. */
    public void allSigned() {
        unsignedSince.set(0);
    }

    private double checkpointAgeSeconds() {
        long since = unsignedSince.get();
        return since == 0 ? 0 : Math.max(0, clock.millis() - since) / 1000.0;
    }
}
