package dev.sentinel.contracts.messaging;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import org.hibernate.JDBCException;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

/**
 * The line between a record that should wait and one that should be parked, decided from
 * what its handling failed with (the whole cause chain is read):
 * <ul>
 *   <li>{@link Kind#UNAVAILABLE}: the database is away (connection refused, closed or timed
 *       out; SQLSTATE classes 08 connection, 53 insufficient resources, 57P operator
 *       intervention). Nothing is wrong with the record and the next one would fail the same
 *       way — parking needs the database too — so the consumer waits and tries again.</li>
 *   <li>{@link Kind#PERMANENT}: the record can never succeed — {@link UnusableRecord}, or
 *       SQLSTATE class 22 (data exception, e.g. a NUL character in text) or 23 (integrity
 *       constraint violation). It is parked at once.</li>
 *   <li>{@link Kind#RETRYABLE}: anything else (a serialization failure or deadlock, a query
 *       timeout, a bug). Retried a bounded number of times, then parked.</li>
 * </ul>
 */
public final class ConsumerFailures {

    /** How a failed handling is treated. */
    public enum Kind {
        UNAVAILABLE, PERMANENT, RETRYABLE
    }

    private static final int MAX_DEPTH = 16;

    private ConsumerFailures() {
    }

    public static Kind classify(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof UnusableRecord) {
                return Kind.PERMANENT;
            }
            if (cause instanceof ConnectException || cause instanceof SocketException
                    || cause instanceof ClosedChannelException || cause instanceof ClosedConnectionException
                    || cause instanceof TimeoutException) {
                return Kind.UNAVAILABLE;
            }
            String state = sqlState(cause);
            if (state != null && state.length() >= 2) {
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return Kind.UNAVAILABLE;
                }
                if (state.startsWith("22") || state.startsWith("23")) {
                    return Kind.PERMANENT;
                }
                return Kind.RETRYABLE;
            }
        }
        return Kind.RETRYABLE;
    }

    /** The SQLSTATE of this exception itself (not of its causes), or null. */
    static String sqlState(Throwable failure) {
        if (failure instanceof DatabaseException database) {
            return database.getSqlState();
        }
        if (failure instanceof JDBCException jdbc) {
            return jdbc.getSQLState();
        }
        if (failure instanceof SQLException sql) {
            return sql.getSQLState();
        }
        return null;
    }

    /** A short description of the failure for the parked record: the innermost cause's class and message. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < MAX_DEPTH; depth++) {
            root = root.getCause();
        }
        String state = null;
        for (Throwable t = failure; t != null && state == null; t = t.getCause() == t ? null : t.getCause()) {
            state = sqlState(t);
        }
        String text = root instanceof UnusableRecord ? root.getMessage()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return state == null || text.contains(state) ? text : text + " (SQLSTATE " + state + ")";
    }
}
