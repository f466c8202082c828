package dev.sentinel.notification.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Looks into the delivery table of the service under test. */
public final class Deliveries {

    private final Pool pool;

    public Deliveries(Pool pool) {
        this.pool = pool;
    }

    /** How many of these events are in the given status. */
    public long count(Collection<UUID> ids, String status) {
        return pool.preparedQuery("select count(*) from delivery where event_id = any($1) and status = $2")
                .execute(Tuple.of(ids.toArray(UUID[]::new), status)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    /** How many of these events have a delivery row, whatever its status. */
    public long recorded(Collection<UUID> ids) {
        return pool.preparedQuery("select count(*) from delivery where event_id = any($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    /** How many of these events wait for another attempt after at least one failed. */
    public long retrying(Collection<UUID> ids) {
        return pool.preparedQuery(
                        "select count(*) from delivery where event_id = any($1) and status = 'PENDING' and attempts > 0")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    /** Status, attempts and last error of one delivery, or an empty map. */
    public Map<String, Object> row(UUID id) {
        Map<String, Object> row = new HashMap<>();
        for (Row r : pool.preparedQuery("select status, attempts, last_error, params from delivery where event_id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10))) {
            row.put("status", r.getString("status"));
            row.put("attempts", r.getInteger("attempts"));
            row.put("last_error", r.getString("last_error"));
            row.put("params", r.getString("params"));
        }
        return row;
    }

    public static void waitUntil(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
