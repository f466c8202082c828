package dev.sentinel.contracts.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes old rows in bounded batches, each its own short statement, so a purge never
 * holds locks on a large part of a table or writes one huge transaction.
 */
public final class BatchDelete {

    private BatchDelete() {
    }

    /** {@code sentinel_retention_purged_total{table}}: rows a retention purge deleted from {@code table}. */
    public static Counter purgedCounter(MeterRegistry registry, String table) {
        return Counter.builder("sentinel.retention.purged").tag("table", table)
                .description("Rows deleted because they outlived their retention").register(registry);
    }

    /**
     * Runs {@code sql} — a delete of at most {@code $n} rows, where {@code $n} is the parameter
     * after {@code args} — until a batch deletes fewer rows than {@code batch}, or
     * {@code maxBatches} have run (the next purge takes the rest); emits the rows deleted.
     */
    public static Uni<Long> run(Pool pool, String sql, List<Object> args, int batch, int maxBatches) {
        List<Object> values = new ArrayList<>(args);
        values.add(batch);
        return step(pool, sql, Tuple.from(values), batch, maxBatches, 0L);
    }

    private static Uni<Long> step(Pool pool, String sql, Tuple args, int batch, int batchesLeft, long deleted) {
        return pool.preparedQuery(sql).execute(args).chain(rows -> {
            long total = deleted + rows.rowCount();
            return rows.rowCount() < batch || batchesLeft <= 1
                    ? Uni.createFrom().item(total)
                    : step(pool, sql, args, batch, batchesLeft - 1, total);
        });
    }
}
