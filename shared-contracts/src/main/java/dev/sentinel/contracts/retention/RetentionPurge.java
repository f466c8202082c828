package dev.sentinel.contracts.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * One retention rule, the one way Sentinel forgets old rows: the rows of a table whose age
 * (a {@code timestamptz} column or expression) is past the retention are deleted in bounded
 * batches, each its own short statement of at most {@value #BATCH} rows, until a batch finds
 * fewer or {@code maxBatches} ran (the next run takes the rest). So a purge never locks a
 * large part of a table nor writes one huge transaction. The condition picks each batch and
 * stands again on the outer delete: a row that changed while its batch was picked (a
 * redriven dead letter, a refreshed session) is rechecked there and kept. Every replica may
 * run a purge; the deletes do not clash. Rows deleted are counted in
 * {@code sentinel_retention_purged_total{table}}, a series that exists (at 0) from the
 * rule's creation on. A rule may {@linkplain #clearing clear} columns instead of deleting rows
 * (the audit log keeps each row's leaf hash and forgets its payload).
 *
 * <p>Table, column and condition are SQL written in our code, never input.
 */
public final class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    /** Rows per delete statement. */
    public static final int BATCH = 1000;
    /** Statements per run, unless {@link #atMostBatches} says otherwise. */
    public static final int MAX_BATCHES = 100;

    private final String table;
    private final String key;
    private final String age;
    private final String condition;
    private final Duration retention;
    private final int maxBatches;
    private final Counter purged;
    /** {@code set} assignments of an update that replaces the delete, or null to delete. */
    private final String clearing;

    private RetentionPurge(String table, String key, String age, String condition, Duration retention, int maxBatches,
            Counter purged, String clearing) {
        this.table = table;
        this.key = key;
        this.age = age;
        this.condition = condition;
        this.retention = retention;
        this.maxBatches = maxBatches;
        this.purged = purged;
        this.clearing = clearing;
    }

    /**
     * The rows of {@code table} whose {@code age} is more than {@code retention} ago, picked
     * by their {@code ctid} (see {@link #pickedBy}).
     */
    public static RetentionPurge of(MeterRegistry registry, String table, String age, Duration retention) {
        Counter purged = Counter.builder("sentinel.retention.purged").tag("table", table)
                .description("Rows deleted because they outlived their retention").register(registry);
        return new RetentionPurge(table, "ctid", age, null, retention, MAX_BATCHES, purged, null);
    }

    /** Batches are picked by this (unique) column instead of {@code ctid}. */
    public RetentionPurge pickedBy(String column) {
        return new RetentionPurge(table, column, age, condition, retention, maxBatches, purged, clearing);
    }

    /** Only rows that also meet {@code sqlCondition} go (a finished status, say). */
    public RetentionPurge onlyWhere(String sqlCondition) {
        return new RetentionPurge(table, key, age, sqlCondition, retention, maxBatches, purged, clearing);
    }

    /** At most {@code batches} statements per run (for a purge that runs very often). */
    public RetentionPurge atMostBatches(int batches) {
        return new RetentionPurge(table, key, age, condition, retention, Math.max(1, batches), purged, clearing);
    }

    /**
     * Each batch updates its rows with {@code assignments} (the text after {@code set}) instead
     * of deleting them; rows so cleared count as purged. The assignments must take a row out of
     * the rule (say {@code purged_at = now()} with {@code onlyWhere("purged_at is null")}), or
     * the next batch would pick the same rows again.
     */
    public RetentionPurge clearing(String assignments) {
        return new RetentionPurge(table, key, age, condition, retention, maxBatches, purged, assignments);
    }

    /** The delete (or clearing update) of one batch: {@code $1} is the retention in seconds, {@code $2} the batch size. */
    String sql() {
        String old = (condition == null ? "" : "(" + condition + ") and ") + age
                + " < now() - make_interval(secs => $1)";
        String change = clearing == null ? "delete from " + table : "update " + table + " set " + clearing;
        return change + " where " + key + " in (select " + key + " from " + table + " where " + old
                + " limit $2) and " + old;
    }

    /** Deletes what is past the retention now; emits how many rows went, once they are counted. */
    public Uni<Long> run(Pool pool) {
        String sql = sql();
        Tuple args = Tuple.of((double) retention.toSeconds(), BATCH);
        return step(pool, sql, args, maxBatches, 0L).invoke(n -> purged.increment(n));
    }

    /** Runs {@code purges} one after the other; emits how many rows went in all. */
    public static Uni<Long> runAll(Pool pool, List<RetentionPurge> purges) {
        Uni<Long> total = Uni.createFrom().item(0L);
        for (RetentionPurge purge : purges) {
            total = total.chain(sum -> purge.run(pool).map(n -> sum + n));
        }
        return total;
    }

    /**
     * What a {@code @Scheduled} purge returns: {@code purge} run, a failure logged as a warning
     * (the next run tries again) instead of failing the scheduler.
     */
    public static Uni<Void> scheduled(String name, Uni<Long> purge) {
        return purge.onFailure().invoke(e -> LOG.warnf("%s purge failed: %s", name, e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static Uni<Long> step(Pool pool, String sql, Tuple args, int batchesLeft, long deleted) {
        return pool.preparedQuery(sql).execute(args).chain(rows -> {
            long total = deleted + rows.rowCount();
            return rows.rowCount() < BATCH || batchesLeft <= 1
                    ? Uni.createFrom().item(total)
                    : step(pool, sql, args, batchesLeft - 1, total);
        });
    }
}
