package dev.sentinel.contracts.messaging;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import static dev.sentinel.contracts.messaging.ConsumerFailures.Kind.PERMANENT;
import static dev.sentinel.contracts.messaging.ConsumerFailures.Kind.RETRYABLE;
import static dev.sentinel.contracts.messaging.ConsumerFailures.Kind.UNAVAILABLE;
import static dev.sentinel.contracts.messaging.ConsumerFailures.classify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a consumer's failure falls: wait for the database, park at once, or retry a few times first. */
class ConsumerFailuresTest {

    @Test
    void theDatabaseBeingAwayIsWaitedOut() {
        assertEquals(UNAVAILABLE, classify(new CompletionException(new ConnectException("Connection refused"))));
        assertEquals(UNAVAILABLE, classify(ClosedConnectionException.INSTANCE));
        assertEquals(UNAVAILABLE, classify(new NoStackTraceTimeoutException("pool wait timed out")));
        assertEquals(UNAVAILABLE, classify(pg("57P01")), "admin shutdown");
        assertEquals(UNAVAILABLE, classify(pg("08006")), "connection failure");
        assertEquals(UNAVAILABLE, classify(pg("53300")), "too many connections");
    }

    @Test
    void whatCanNeverSucceedIsParkedAtOnce() {
        assertEquals(PERMANENT, classify(new UnusableRecord("not JSON")));
        assertEquals(PERMANENT, classify(new CompletionException(pg("23505"))), "unique violation");
        assertEquals(PERMANENT, classify(pg("22021")), "NUL character in text");
        assertEquals(PERMANENT, classify(new ConstraintViolationException("duplicate",
                new SQLException("duplicate key", "23505"), "delivery_pkey")));
    }

    @Test
    void everythingElseIsRetriedAFewTimesThenParked() {
        assertEquals(RETRYABLE, classify(pg("40001")), "serialization failure");
        assertEquals(RETRYABLE, classify(pg("40P01")), "deadlock");
        assertEquals(RETRYABLE, classify(new IllegalStateException("a bug")));
    }

    @Test
    void theReasonNamesTheInnermostCauseAndItsSqlState() {
        String reason = ParkedRecords.reason(new CompletionException(pg("23505")), 1);
        assertTrue(reason.contains("PgException") && reason.contains("23505"), reason);
        assertEquals("not JSON", ParkedRecords.reason(new UnusableRecord("not JSON"), 1));
        assertEquals("failed 3 times: IllegalStateException: boom",
                ParkedRecords.reason(new RuntimeException(new IllegalStateException("boom")), 3));
    }

    @Test
    void storedTextIsBoundedAndStorable() {
        assertEquals("ab\uFFFDc", ParkedRecords.bounded("ab\0c", 10));
        assertEquals(4000, ParkedRecords.bounded("x".repeat(5000), ParkedRecords.RAW_LIMIT).length());
        assertEquals(null, ParkedRecords.bounded(null, 10));
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        ParkedRecords parked = new ParkedRecords(null, null, 3, Duration.ofMillis(200), Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(200), parked.backoff(0));
        assertEquals(Duration.ofMillis(800), parked.backoff(2));
        assertEquals(Duration.ofSeconds(10), parked.backoff(10));
        assertEquals(Duration.ofSeconds(10), parked.backoff(100));
    }

    private static PgException pg(String sqlState) {
        return new PgException("failure " + sqlState, "ERROR", sqlState, null);
    }
}
