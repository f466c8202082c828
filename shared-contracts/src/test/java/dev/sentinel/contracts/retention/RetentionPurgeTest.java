package dev.sentinel.contracts.retention;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one shape of a retention delete: a bounded batch, its condition checked again on the delete. */
class RetentionPurgeTest {

    @Test
    void aBatchIsPickedByItsConditionWhichStandsAgainOnTheDelete() {
        RetentionPurge dead = RetentionPurge.of(new SimpleMeterRegistry(), "delivery", "dead_at", Duration.ofDays(30))
                .pickedBy("event_id").onlyWhere("status = 'DEAD'");
        assertEquals("delete from delivery where event_id in (select event_id from delivery"
                + " where (status = 'DEAD') and dead_at < now() - make_interval(secs => $1) limit $2)"
                + " and (status = 'DEAD') and dead_at < now() - make_interval(secs => $1)", dead.sql());
    }

    @Test
    void withoutAKeyRowsArePickedByCtid() {
        RetentionPurge devices = RetentionPurge.of(new SimpleMeterRegistry(), "known_device", "last_seen",
                Duration.ofDays(365));
        assertEquals("delete from known_device where ctid in (select ctid from known_device"
                + " where last_seen < now() - make_interval(secs => $1) limit $2)"
                + " and last_seen < now() - make_interval(secs => $1)", devices.sql());
    }

    @Test
    void aClearingRuleUpdatesItsBatchInsteadOfDeletingIt() {
        RetentionPurge payloads = RetentionPurge.of(new SimpleMeterRegistry(), "audit_log", "time", Duration.ofDays(400))
                .pickedBy("seq").onlyWhere("purged_at is null").clearing("data = null, purged_at = now()");
        assertEquals("update audit_log set data = null, purged_at = now() where seq in (select seq from audit_log"
                + " where (purged_at is null) and time < now() - make_interval(secs => $1) limit $2)"
                + " and (purged_at is null) and time < now() - make_interval(secs => $1)", payloads.sql());
    }

    @Test
    void theCounterExistsAtZeroFromTheStart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetentionPurge.of(registry, "outbox", "sent_at", Duration.ofDays(7));
        assertEquals(0.0, registry.get("sentinel.retention.purged").tag("table", "outbox").counter().count());
    }
}
