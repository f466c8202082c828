package dev.sentinel.audit.read;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.audit.support.Rfc6962;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.AuditDb.waitUntil;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an auditor checks with their own tools: the newest checkpoint is a C2SP signed note
 * whose Ed25519 signature verifies under the published key (JDK Ed25519), every row's
 * inclusion proof verifies against its root with an independent RFC 6962 implementation, and
 * a row edited directly in PostgreSQL is named by verify.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditProofTest {

    private static final HexFormat HEX = HexFormat.of();

    @Inject
    AuditDb db;

    @ConfigProperty(name = "audit.checkpoint.mirror-dir")
    String mirrorDir;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void theCheckpointIsSignedAndEveryRowProvesItsInclusion() throws Exception {
        List<EventEnvelope> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String subject = Events.newSubject();
            EventEnvelope event = Events.login(subject, "proof-" + subject + "@example.test");
            events.publish(event);
            published.add(event);
        }
        long highest = 0;
        for (EventEnvelope event : published) {
            highest = Math.max(highest, db.seqOf(event.id()));
        }
        long needed = highest + 1;
        waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") >= needed);

        String verifierKey = as(Roles.ADMIN).get("/v1/admin/audit-logs/public-key").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString().trim();
        String note = as(Roles.ADMIN).get("/v1/admin/audit-logs/checkpoints/latest").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString();
        Checkpoint checkpoint = verifiedCheckpoint(note, verifierKey);
        assertTrue(checkpoint.size >= needed);

        for (EventEnvelope event : published) {
            long seq = db.seqOf(event.id());
            String leafHash = as(Roles.SUPPORT).get("/v1/admin/audit-logs/" + seq).then().statusCode(200)
                    .extract().path("leafHash");
            JsonPath proof = as(Roles.SUPPORT).queryParam("size", checkpoint.size)
                    .get("/v1/admin/audit-logs/" + seq + "/proof").then().statusCode(200).extract().jsonPath();
            assertEquals(seq, proof.getLong("leafIndex"));
            assertEquals(checkpoint.size, proof.getLong("treeSize"));
            assertEquals(leafHash, proof.getString("leafHash"));
            List<byte[]> path = proof.getList("proof", String.class).stream().map(HEX::parseHex).toList();
            assertTrue(Rfc6962.verifyInclusion(seq, checkpoint.size, HEX.parseHex(leafHash), path, checkpoint.root),
                    "inclusion proof of row " + seq + " against checkpoint " + checkpoint.size);
            assertFalse(Rfc6962.verifyInclusion(seq, checkpoint.size, Rfc6962.leaf(new byte[] {1}), path, checkpoint.root));
            // The default is the newest checkpoint, and treeSize is the same as size.
            as(Roles.ADMIN).queryParam("treeSize", checkpoint.size).get("/v1/admin/audit-logs/" + seq + "/proof")
                    .then().statusCode(200).body("proof", equalTo(proof.getList("proof")));
        }

        // The same note was written outside the database (a checkpoint at least this new).
        Checkpoint mirrored = verifiedCheckpoint(Files.readString(Path.of(mirrorDir, "latest")), verifierKey);
        assertTrue(mirrored.size >= checkpoint.size);
        assertEquals(note, Files.readString(Path.of(mirrorDir, "checkpoint-" + checkpoint.size)));
    }

    @Test
    void badProofRequestsAreProblems() {
        EventEnvelope event = Events.login(Events.newSubject(), "bad-proof@example.test");
        events.publish(event);
        long seq = db.seqOf(event.id());
        waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") > seq);
        long size = db.count("select min(tree_size) from audit_checkpoint where tree_size > $1", seq);

        as(Roles.ADMIN).queryParam("size", "ten").get("/v1/admin/audit-logs/" + seq + "/proof").then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.ADMIN).queryParam("size", size).queryParam("treeSize", size + 1)
                .get("/v1/admin/audit-logs/" + seq + "/proof").then().statusCode(400);
        as(Roles.ADMIN).queryParam("size", size + 1_000_000).get("/v1/admin/audit-logs/" + seq + "/proof").then().statusCode(404)
                .body("code", equalTo("SYS_NOT_FOUND"));
        long smaller = db.count("select coalesce(min(tree_size), 0) from audit_checkpoint");
        if (smaller <= seq) {
            as(Roles.ADMIN).queryParam("size", smaller).get("/v1/admin/audit-logs/" + seq + "/proof").then().statusCode(400);
        }
        as(Roles.USER).get("/v1/admin/audit-logs/" + seq + "/proof").then().statusCode(403);
    }

    @Test
    void verifyNamesARowEditedInPostgresql() {
        EventEnvelope event = Events.login(Events.newSubject(), "tamper@example.test");
        events.publish(event);
        long seq = db.seqOf(event.id());
        as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200).body("valid", equalTo(true));

        String outcome = db.one("select outcome from audit_log where seq = $1", seq).getString(0);
        db.execute("update audit_log set outcome = 'failure' where seq = $1", seq);
        try {
            as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200)
                    .body("valid", equalTo(false))
                    .body("problem", equalTo("edited"))
                    .body("firstBadSeq", equalTo((int) seq));
        } finally {
            db.execute("update audit_log set outcome = $1 where seq = $2", outcome, seq);
        }
        as(Roles.ADMIN).get("/v1/admin/audit-logs/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    private record Checkpoint(long size, byte[] root) {
    }

    /**
     * Reads a C2SP signed note of a tlog checkpoint and checks its Ed25519 signature under the
     * C2SP verifier key {@code name+keyid+base64(0x01 || key)}, with nothing but the JDK.
     */
    private static Checkpoint verifiedCheckpoint(String note, String verifierKey) throws Exception {
        String[] vk = verifierKey.split("\\+", 3); // name+keyid+key; the base64 key may hold "+"
        assertEquals(3, vk.length, verifierKey);
        String name = vk[0];
        byte[] typed = Base64.getDecoder().decode(vk[2]);
        assertEquals(33, typed.length);
        assertEquals(0x01, typed[0]);
        byte[] raw = Arrays.copyOfRange(typed, 1, 33);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x01);
        byte[] keyId = Arrays.copyOf(sha.digest(raw), 4);
        assertEquals(vk[1], HEX.formatHex(keyId));

        int split = note.indexOf("\n\n");
        String text = note.substring(0, split + 1);
        String[] lines = text.split("\n");
        assertEquals(name, lines[0], "origin line");
        String signatureLine = note.substring(split + 2);
        String prefix = "\u2014 " + name + " ";
        assertTrue(signatureLine.startsWith(prefix) && signatureLine.endsWith("\n"), signatureLine);
        byte[] signature = Base64.getDecoder().decode(signatureLine.substring(prefix.length(), signatureLine.length() - 1));
        assertArrayEquals(keyId, Arrays.copyOf(signature, 4));

        byte[] spki = new byte[44];
        System.arraycopy(HEX.parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
        System.arraycopy(raw, 0, spki, 12, 32);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Arrays.copyOfRange(signature, 4, signature.length)), "checkpoint signature");
        return new Checkpoint(Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]));
    }
}
