package dev.sentinel.audit.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit database read (and tampered with) directly, as an attacker with SQL access would. */
@ApplicationScoped
public class AuditDb {

    private final Pool pool;

    public AuditDb(Pool pool) {
        this.pool = pool;
    }

    public long count(String sql, Object... parameters) {
        return one(sql, parameters).getLong(0);
    }

    public Row one(String sql, Object... parameters) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(30));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    public Iterable<Row> rows(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(30));
    }

    public void execute(String sql, Object... parameters) {
        pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(30));
    }

    /**
     * Runs {@code work} while holding the append lock on a connection of its own, as an
     * attacker who wants a quiet table would: no batch is appended and no checkpoint signed
     * until it returns.
     */
    public void withAppendLock(Runnable work) {
        var connection = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        try {
            connection.query("select pg_advisory_lock(" + dev.sentinel.audit.tree.TreeSql.APPEND_LOCK + ")").execute()
                    .await().atMost(Duration.ofSeconds(60));
            try {
                work.run();
            } finally {
                connection.query("select pg_advisory_unlock(" + dev.sentinel.audit.tree.TreeSql.APPEND_LOCK + ")").execute()
                        .await().atMost(Duration.ofSeconds(30));
            }
        } finally {
            connection.close().await().atMost(Duration.ofSeconds(30));
        }
    }

    /** The seq of an event's row, once it has landed (waits up to 30 s). */
    public long seqOf(java.util.UUID eventId) {
        waitUntil(() -> count("select count(*) from audit_log where event_id = $1", eventId) == 1);
        return count("select seq from audit_log where event_id = $1", eventId);
    }

    public static void waitUntil(BooleanSupplier condition) {
        waitUntil(Duration.ofSeconds(30), condition);
    }

    public static void waitUntil(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not seen within " + timeout.toSeconds() + " s");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
