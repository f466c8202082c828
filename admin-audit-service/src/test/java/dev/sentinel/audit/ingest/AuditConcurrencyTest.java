package dev.sentinel.audit.ingest;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.Concurrently;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.AuditDb.waitUntil;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events published in parallel by several producers land once each, with gap-free seq. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditConcurrencyTest {

    static final int PRODUCERS = 4;
    static final int PER_PRODUCER = 250;

    @Inject
    AuditDb db;

    @Test
    void aThousandParallelEventsGetGapFreeSeq() {
        String run = "parallel-" + UUID.randomUUID();
        List<List<UUID>> ids = Concurrently.run(PRODUCERS, producer -> {
            List<UUID> sent = new ArrayList<>();
            try (Events events = new Events()) {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    String subject = run + "-" + producer + "-" + i;
                    EventEnvelope event = Events.login(subject, subject + "@example.test");
                    events.send(event);
                    if (i % 10 == 0) {
                        events.send(event); // a duplicate delivery now and then
                    }
                    sent.add(event.id());
                }
                events.flush();
            }
            return sent;
        });
        assertEquals(PRODUCERS * PER_PRODUCER, ids.stream().mapToInt(List::size).sum());

        waitUntil(Duration.ofSeconds(90), () -> db.count("select count(*) from audit_log where subject like $1", run + "-%")
                == PRODUCERS * PER_PRODUCER);
        Row all = db.one("select count(*), min(seq), max(seq), count(distinct seq) from audit_log");
        assertEquals(0, all.getLong(1));
        assertEquals(all.getLong(0), all.getLong(2) + 1, "seq has a gap");
        assertEquals(all.getLong(0), all.getLong(3));
        assertEquals(PRODUCERS * PER_PRODUCER, db.count("select count(distinct event_id) from audit_log where subject like $1", run + "-%"));

        as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }
}
