package dev.sentinel.audit.crypto;

import dev.sentinel.audit.admin.StubServices;
import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows appended before migration V1_1 have no ip blind index; the backfill gives it to them
 * (the same value ingest would have stored), over more than one batch, so a search by ip finds
 * them — except rows of an erased subject, which stay unindexed. The rows are made "old" by
 * clearing their index in PostgreSQL, as they were before V1_1.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true) // the erasure's four-eyes gate asks auth
class IpIndexBackfillTest {

    private static final String PATH = "/v1/admin/audit-logs";
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    AuditDb db;

    @Inject
    IpIndexBackfill backfill;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    private static EventEnvelope login(String subject, String ip) {
        return new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION, EventType.AUTH_LOGIN_SUCCEEDED,
                "auth-service", Instant.now(), subject, subject, ip, "Backfill/1.0", "success", null, null);
    }

    private String indexOf(long seq) {
        var row = db.one("select ip_index from audit_log where seq = $1", seq);
        return row.getBuffer(0) == null ? null : HEX.formatHex(row.getBuffer(0).getBytes());
    }

    @Test
    void rowsWithoutAnIndexGetTheOneIngestWouldHaveStoredExceptErasedOnes() {
        StubServices.onlyAdmins(); // no second ADMIN: the erasure runs at once
        String shared = "198.51.100.200";
        String erasedIp = "198.51.100.201";
        EventEnvelope a = login(Events.newSubject(), shared);
        EventEnvelope b = login(Events.newSubject(), "::ffff:" + shared); // the same address, spelled as IPv4-mapped
        EventEnvelope erased = login(Events.newSubject(), erasedIp);
        List<EventEnvelope> bulk = new ArrayList<>();
        for (int i = 0; i < IpIndexBackfill.BATCH + 20; i++) {
            bulk.add(login(Events.newSubject(), "10.1." + (i / 250) + "." + (i % 250)));
        }
        List.of(a, b, erased).forEach(events::send);
        bulk.forEach(events::send);
        events.flush();
        long seqA = db.seqOf(a.id());
        long seqB = db.seqOf(b.id());
        long seqErased = db.seqOf(erased.id());
        List<Long> seqs = new ArrayList<>(List.of(seqA, seqB, seqErased));
        bulk.forEach(event -> seqs.add(db.seqOf(event.id())));
        String indexA = indexOf(seqA);
        assertEquals(indexA, indexOf(seqB), "one address, one index");
        String indexBulk = indexOf(seqs.get(3));

        // As before V1_1: no index on these rows, so a search by their ip finds nothing.
        db.withAppendLock(() -> db.execute("update audit_log set ip_index = null where seq = any($1)",
                (Object) seqs.toArray(Long[]::new)));
        as(Roles.ADMIN).queryParam("ip", shared).get(PATH).then().statusCode(200).body("items.size()", is(0));
        as(Roles.ADMIN).post(PATH + "/subjects/" + erased.subject() + "/erase").then().statusCode(200);

        IpIndexBackfill.Result result = backfill.run().await().atMost(Duration.ofSeconds(60));
        assertTrue(result.read() >= seqs.size(), "read " + result.read() + " (more than one batch of " + IpIndexBackfill.BATCH + ")");
        assertEquals(seqs.size() - 1, result.indexed());

        assertEquals(indexA, indexOf(seqA));
        assertEquals(indexA, indexOf(seqB));
        assertEquals(indexBulk, indexOf(seqs.get(3)));
        assertNull(indexOf(seqErased), "an erased subject's row stays unindexed");
        assertEquals(0, db.count("select count(*) from audit_log where seq = any($1) and ip_index is null and seq <> $2",
                seqs.toArray(Long[]::new), seqErased));
        as(Roles.ADMIN).queryParam("ip", shared).get(PATH).then().statusCode(200).body("items.size()", is(2))
                .body("items.seq.sort()", equalTo(List.of((int) Math.min(seqA, seqB), (int) Math.max(seqA, seqB))));
        as(Roles.ADMIN).queryParam("ip", erasedIp).get(PATH).then().statusCode(200).body("items.size()", is(0));

        // Nothing left to do: the erased row is read again but never indexed.
        IpIndexBackfill.Result again = backfill.run().await().atMost(Duration.ofSeconds(60));
        assertEquals(0, again.indexed());
        as(Roles.ADMIN).get(PATH + "/verify").then().statusCode(200).body("valid", is(true));
    }
}
