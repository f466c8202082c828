package dev.sentinel.auth.foundation;

import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.messaging.ProcessedEvents;
import dev.sentinel.contracts.messaging.ProcessedEventsPurge;
import dev.sentinel.contracts.testing.Concurrently;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idempotent-consumer helper: one event, however often delivered, has one effect. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class ProcessedEventsTest {

    @Inject
    ProcessedEvents processed;
    @Inject
    ProcessedEventsPurge purge;
    @Inject
    Pool pool;

    @Test
    void sameEventTwiceHasOneEffect() throws Throwable {
        UUID eventId = UUID.randomUUID();
        String label = "effect-" + eventId;

        assertTrue(deliver(eventId, label));
        assertFalse(deliver(eventId, label));

        assertEquals(1L, effects(label));
    }

    @Test
    void parallelDuplicatesHaveOneEffect() throws Throwable {
        UUID eventId = UUID.randomUUID();
        String label = "parallel-" + eventId;
        long effective = Concurrently.run(8, i -> {
            try {
                return deliver(eventId, label);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }).stream().filter(Boolean::booleanValue).count();

        assertEquals(1L, effective);
        assertEquals(1L, effects(label));
    }

    @Test
    void otherConsumersStillGetTheirEffect() throws Throwable {
        UUID eventId = UUID.randomUUID();
        String label = "shared-" + eventId;
        assertTrue(deliver(eventId, label));
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> processed.once("another-consumer", eventId, () -> OutboxProbe.of(label).persist()))));
        assertEquals(2L, effects(label));
    }

    @Test
    void recordsPastTheRetentionAreForgottenAndRecentOnesKept() throws Throwable {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        assertTrue(deliver(old, "old-" + old));
        assertTrue(deliver(recent, "recent-" + recent));
        // 31 days ago: past the default retention of 30 days.
        pool.preparedQuery("update processed_event set processed_at = now() - interval '31 days' where event_id = $1")
                .execute(Tuple.of(old)).await().atMost(Duration.ofSeconds(10));

        assertTrue(purge.purge().await().atMost(Duration.ofSeconds(30)) >= 1);

        assertEquals(0L, processedRows(old));
        assertEquals(1L, processedRows(recent));
        assertFalse(deliver(recent, "recent-" + recent), "a kept record still stops a duplicate");
    }

    private long processedRows(UUID eventId) {
        return pool.preparedQuery("select count(*) from processed_event where event_id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private boolean deliver(UUID eventId, String label) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> processed.once("probe-consumer", eventId, () -> OutboxProbe.of(label).persist())));
    }

    private long effects(String label) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> OutboxProbe.count("label", label)));
    }
}
