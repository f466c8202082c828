package dev.sentinel.audit.read;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.audit.tree.AuditRow;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.AuditDb.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tampering done directly in PostgreSQL, as someone with SQL access but neither the signing
 * key nor the mirror directory would do it, while holding the append lock so the log is
 * quiet: verify names each kind and the first row concerned, and passes again once the
 * tampering is undone.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditTamperTest {


    @Inject
    AuditDb db;

    @ConfigProperty(name = "audit.checkpoint.mirror-dir")
    String mirrorDir;

    final Events events = new Events();

    @BeforeEach
    void aSignedLogOfAtLeastTwelveRows() {
        for (int i = 0; i < 12; i++) {
            String subject = Events.newSubject();
            events.publish(Events.login(subject, "tamper-" + subject + "@example.test"));
        }
    }

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void aFieldEditedInAMiddleRowIsNamed() {
        quietAndSigned(size -> {
            long m = size - 6;
            String actor = db.one("select actor from audit_log where seq = $1", m).getString(0);
            db.execute("update audit_log set actor = 'someone-else' where seq = $1", m);
            try {
                assertVerify("edited", m);
            } finally {
                db.execute("update audit_log set actor = $1 where seq = $2", actor, m);
            }
        });
    }

    @Test
    void aRowRewrittenTogetherWithItsLeafHashIsNamedByTheStoredTree() {
        quietAndSigned(size -> {
            long m = size - 5;
            Row before = db.one("select actor, leaf_hash from audit_log where seq = $1", m);
            db.execute("update audit_log set actor = 'someone-else' where seq = $1", m);
            db.execute("update audit_log set leaf_hash = $1 where seq = $2", Buffer.buffer(rowAt(m).leafHash()), m);
            try {
                // The leaf and its row agree now; the pair's stored node (and the checkpoint) do not.
                assertVerify("edited", m & ~1L);
            } finally {
                db.execute("update audit_log set actor = $1, leaf_hash = $2 where seq = $3", before.getString(0),
                        before.getBuffer(1).getDelegate(), m);
            }
        });
    }

    @Test
    void aDeletedMiddleRowIsNamed() {
        quietAndSigned(size -> {
            long m = size - 7;
            saveRows("tamper_deleted", m, m);
            db.execute("delete from audit_log where seq = $1", m);
            try {
                assertVerify("missing", m);
            } finally {
                restoreRows("tamper_deleted");
            }
        });
    }

    @Test
    void aRowInsertedInTheMiddleIsNamed() {
        quietAndSigned(size -> {
            long m = size - 4;
            // Make room at m (from the top down: seq is the primary key), then forge a row there
            // whose leaf hash is right for its content, as anyone who read the README can.
            for (long seq = size - 1; seq >= m; seq--) {
                db.execute("update audit_log set seq = seq + 1 where seq = $1", seq);
            }
            AuditRow copy = rowAt(m + 1);
            AuditRow forged = new AuditRow(m, UUID.randomUUID().toString(), copy.type(), copy.time(), copy.source(),
                    copy.subject(), copy.actor(), "success", copy.ip(), copy.userAgent(), copy.traceId(), copy.data());
            db.execute("""
                            insert into audit_log (seq, event_id, type, time, source, subject, actor, outcome, ip,
                                                   user_agent, trace_id, data, leaf_hash)
                            select $1, $2::uuid, type, time, source, subject, actor, $3, ip, user_agent, trace_id, data, $4
                              from audit_log where seq = $5""",
                    m, forged.id(), forged.outcome(), Buffer.buffer(forged.leafHash()), m + 1);
            try {
                assertVerify("inserted", m);
            } finally {
                db.execute("delete from audit_log where seq = $1", m);
                for (long seq = m + 1; seq <= size; seq++) {
                    db.execute("update audit_log set seq = seq - 1 where seq = $1", seq);
                }
            }
        });
    }

    @Test
    void aCutTailWithTheNewestCheckpointsMovedBackIsRevealedByTheMirror() {
        quietAndSigned(size -> {
            long cut = size - 10;
            // The attacker removes the last 10 rows, the tree nodes over them and every database
            // checkpoint that covered them: what is left in the database is self-consistent.
            saveRows("tamper_tail", cut, size - 1);
            db.execute("drop table if exists tamper_nodes");
            db.execute("create table tamper_nodes as select * from audit_node where (idx + 1) * (1::bigint << level) > " + cut);
            db.execute("drop table if exists tamper_checkpoints");
            db.execute("create table tamper_checkpoints as select * from audit_checkpoint where tree_size > " + cut);
            db.execute("delete from audit_log where seq >= $1", cut);
            db.execute("delete from audit_node where (idx + 1) * (1::bigint << level) > $1", cut);
            db.execute("delete from audit_checkpoint where tree_size > $1", cut);
            try {
                assertTrue(db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") <= cut);
                JsonPath report = assertVerify("truncated", cut);
                assertTrue(report.getString("detail").contains("mirrored"), report.getString("detail"));
            } finally {
                db.execute("insert into audit_node select * from tamper_nodes");
                db.execute("insert into audit_checkpoint select * from tamper_checkpoints");
                db.execute("drop table tamper_nodes");
                db.execute("drop table tamper_checkpoints");
                restoreRows("tamper_tail");
            }
        });
    }

    @Test
    void aStoredCheckpointWhoseSignatureWasTamperedWithIsNamed() {
        quietAndSigned(size -> {
            String note = db.one("select note from audit_checkpoint where tree_size = $1", size).getString(0);
            db.execute("update audit_checkpoint set note = $1 where tree_size = $2", tamperedSignature(note), size);
            try {
                JsonPath report = assertUnsigned();
                assertTrue(report.getString("detail").contains("stored checkpoint of " + size + " rows"),
                        report.getString("detail"));
            } finally {
                db.execute("update audit_checkpoint set note = $1 where tree_size = $2", note, size);
            }
        });
    }

    @Test
    void aStoredCheckpointWhoseRootWasReplacedUnderItsSignedNoteIsNamed() {
        quietAndSigned(size -> {
            // Someone rewrote the newest checkpoint's root column (to the root of a tree rewritten
            // to match, say), but its note still signs the old root: the column vouches for nothing.
            Buffer root = db.one("select root_hash from audit_checkpoint where tree_size = $1", size).getBuffer(0).getDelegate();
            db.execute("update audit_checkpoint set root_hash = $1 where tree_size = $2", Buffer.buffer(new byte[32]), size);
            try {
                JsonPath report = assertUnsigned();
                assertTrue(report.getString("detail").contains("another size or root"), report.getString("detail"));
            } finally {
                db.execute("update audit_checkpoint set root_hash = $1 where tree_size = $2", root, size);
            }
        });
    }

    @Test
    void aMirroredCheckpointWhoseSignatureWasTamperedWithIsNamed() {
        quietAndSigned(size -> {
            Path latest = Path.of(mirrorDir, "latest");
            try {
                String note = Files.readString(latest);
                Files.writeString(latest, tamperedSignature(note));
                try {
                    JsonPath report = assertUnsigned();
                    assertTrue(report.getString("detail").contains("mirrored"), report.getString("detail"));
                } finally {
                    Files.writeString(latest, note);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The note with one byte of its Ed25519 signature changed (key name and key ID kept). */
    private static String tamperedSignature(String note) {
        int line = note.lastIndexOf("\n\u2014 ");
        String[] parts = note.substring(line + 1).strip().split(" ");
        byte[] signed = Base64.getDecoder().decode(parts[2]);
        signed[10] ^= 0x01;
        return note.substring(0, line + 1) + parts[0] + " " + parts[1] + " "
                + Base64.getEncoder().encodeToString(signed) + "\n";
    }

    private JsonPath assertUnsigned() {
        JsonPath report = as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200).extract().jsonPath();
        assertEquals(false, report.getBoolean("valid"), report.prettify());
        assertEquals("bad-signature", report.getString("problem"), report.prettify());
        return report;
    }

    /**
     * Waits until every row is in a checkpoint that is also the mirrored {@code latest}, then
     * runs {@code work} with the tree size under the append lock, and checks that verify
     * passes before and after it.
     */
    private void quietAndSigned(java.util.function.LongConsumer work) {
        for (int attempt = 0; ; attempt++) {
            waitUntil(() -> {
                long size = db.count("select coalesce(max(seq) + 1, 0) from audit_log");
                return size >= 12 && db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") == size
                        && mirroredSize() == size;
            });
            boolean[] ran = {false};
            db.withAppendLock(() -> {
                long size = db.count("select coalesce(max(seq) + 1, 0) from audit_log");
                if (db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") != size || mirroredSize() != size) {
                    return; // a batch landed in between: wait for its checkpoint
                }
                ran[0] = true;
                as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200)
                        .body("valid", org.hamcrest.Matchers.equalTo(true));
                work.accept(size);
                as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200)
                        .body("valid", org.hamcrest.Matchers.equalTo(true))
                        .body("treeSize", org.hamcrest.Matchers.equalTo((int) size));
            });
            if (ran[0]) {
                return;
            }
            assertTrue(attempt < 20, "the log never stood still");
        }
    }

    private JsonPath assertVerify(String problem, long firstBadSeq) {
        JsonPath report = as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200).extract().jsonPath();
        assertEquals(false, report.getBoolean("valid"), report.prettify());
        assertEquals(problem, report.getString("problem"), report.prettify());
        assertEquals(firstBadSeq, report.getLong("firstBadSeq"), report.prettify());
        return report;
    }

    private AuditRow rowAt(long seq) {
        return AuditLogService.stored(db.one("select " + AuditLogService.COLUMNS + " from audit_log where seq = $1", seq));
    }

    private void saveRows(String table, long from, long to) {
        db.execute("drop table if exists " + table);
        db.execute("create table " + table + " as select * from audit_log where seq between " + from + " and " + to);
    }

    private void restoreRows(String table) {
        db.execute("insert into audit_log select * from " + table);
        db.execute("drop table " + table);
    }

    private long mirroredSize() {
        try {
            Path latest = Path.of(mirrorDir, "latest");
            return Files.exists(latest) ? Long.parseLong(Files.readString(latest).split("\n")[1]) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            return -1;
        }
    }

}
