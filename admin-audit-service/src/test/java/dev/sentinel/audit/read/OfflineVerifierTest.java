package dev.sentinel.audit.read;

import dev.sentinel.audit.checkpoint.NoteSigner;
import dev.sentinel.audit.retention.AuditRetention;
import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.audit.verifier.AuditVerify;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.AuditDb.waitUntil;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline verifier (module audit-verifier) on an export made by this service: real events ingested from
 * Kafka, two signed checkpoints, one row purged by retention; the JSONL export in seq order, the notes, the
 * public key and a consistency proof fetched over HTTP and written to files, then checked with no database —
 * in-process through {@link AuditVerify#run} and once through the packaged jar as an auditor runs it.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class OfflineVerifierTest {

    private static final String PATH = "/v1/admin/audit-logs";

    @Inject
    AuditDb db;

    @Inject
    AuditRetention retention;

    @Inject
    NoteSigner signer;

    final Events events = new Events();
    Path dir;

    @BeforeEach
    void files() throws IOException {
        dir = Files.createTempDirectory("audit-verify");
    }

    @AfterEach
    void close() {
        events.close();
    }

    private record Run(int code, String out) {
    }

    private static Run verify(Path... files) {
        return verify(List.of(files), List.of());
    }

    private static Run verify(List<Path> files, List<String> more) {
        List<String> args = new ArrayList<>(List.of("--export", files.get(0).toString(), "--checkpoint", files.get(1).toString(),
                "--public-key", files.get(2).toString()));
        args.addAll(more);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AuditVerify.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    /** Events with personal fields and awkward text, one back-dated and purged; waits for a checkpoint over them. */
    private long ingest(int count) {
        long seq = 0;
        for (int i = 0; i < count; i++) {
            String subject = Events.newSubject();
            EventEnvelope event = i == 0
                    ? EventEnvelope.of(EventType.AUTH_LOGIN_SUCCEEDED, "auth-service").subject(subject).actor(subject)
                            .client("2001:db8::" + (i + 1), "Agent \"quoted\" \u00e9\u6f22\uD83D\uDE00 \t\u001f,=cmd")
                            .data(Events.JSON.createObjectNode().put("email", "v-" + i + "@example.test")
                                    .put("note", "line\nbreak \\ \u0001\u001f").put("n", 12.5))
                            .build()
                    : Events.login(subject, "verify-" + subject.substring(0, 8) + "@example.test");
            events.publish(event);
            seq = Math.max(seq, db.seqOf(event.id()));
        }
        long needed = seq + 1;
        waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") >= needed);
        return needed;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Path export() throws IOException {
        byte[] body = as(Roles.ADMIN).queryParam("format", "jsonl").queryParam("order", "seq").get(PATH + "/export")
                .then().statusCode(200).contentType(startsWith("application/x-ndjson")).extract().asByteArray();
        return Files.write(dir.resolve("rows-" + UUID.randomUUID() + ".jsonl"), body);
    }

    private Path latest() throws IOException {
        return write("latest-" + UUID.randomUUID() + ".txt", as(Roles.SUPPORT).get(PATH + "/checkpoints/latest")
                .then().statusCode(200).extract().asString());
    }

    private Path publicKey() throws IOException {
        return write("key.txt", as(Roles.SUPPORT).get(PATH + "/public-key").then().statusCode(200).extract().asString());
    }

    /** An export, the latest checkpoint and the key: valid; the verifier names what it checked. */
    private List<Path> validSet() throws IOException {
        ingest(3);
        Instant old = Instant.now().minus(Duration.ofDays(500)).truncatedTo(ChronoUnit.SECONDS);
        String subject = Events.newSubject();
        EventEnvelope ancient = new EventEnvelope(UUID.randomUUID(), EventEnvelope.SPEC_VERSION, EventType.AUTH_LOGIN_SUCCEEDED,
                "auth-service", old, subject, subject, "192.0.2.9", "Retained/1.0", "success", "ab".repeat(16),
                Events.JSON.createObjectNode().put("email", "old-" + subject.substring(0, 8) + "@example.test"));
        events.publish(ancient);
        long purgedSeq = db.seqOf(ancient.id());
        retention.purge().await().atMost(Duration.ofSeconds(60));
        assertEquals(1, db.count("select count(*) from audit_log where seq = $1 and purged_at is not null", purgedSeq));
        ingest(2);
        Path note = latest();
        Path export = export();
        return List.of(export, note, publicKey());
    }

    @Test
    void aRealExportVerifiesAndEveryEditIsNamed() throws Exception {
        List<Path> set = validSet();
        Run valid = verify(set.get(0), set.get(1), set.get(2));
        assertEquals(AuditVerify.VALID, valid.code(), valid.out());
        assertTrue(valid.out().contains("signature OK") && valid.out().contains("VALID: "), valid.out());
        assertTrue(valid.out().matches("(?s).*[1-9][0-9]* purged rows taken as given.*"), valid.out());

        List<String> lines = Files.readAllLines(set.get(0), StandardCharsets.UTF_8);
        long size = Long.parseLong(Files.readString(set.get(1)).split("\n")[1]);
        assertTrue(lines.size() >= size, lines.size() + " lines, checkpoint of " + size);

        // One byte edited in a row (its type's first letter): the line is named.
        int target = (int) size / 2;
        while (lines.get(target).contains("\"purged\":true")) {
            target++;
        }
        String line = lines.get(target);
        int at = line.indexOf("\"type\":\"") + 8;
        List<String> edited = new ArrayList<>(lines);
        edited.set(target, line.substring(0, at) + (char) (line.charAt(at) ^ 1) + line.substring(at + 1));
        Run oneByte = verify(write("edited.jsonl", String.join("\n", edited) + "\n"), set.get(1), set.get(2));
        assertEquals(AuditVerify.INVALID, oneByte.code(), oneByte.out());
        assertTrue(oneByte.out().contains("INVALID: line " + (target + 1) + " (seq " + target + "): the row does not match its leaf hash"),
                oneByte.out());

        // A row removed: the gap is named.
        List<String> removed = new ArrayList<>(lines);
        removed.remove(target);
        Run gap = verify(write("removed.jsonl", String.join("\n", removed) + "\n"), set.get(1), set.get(2));
        assertEquals(AuditVerify.INVALID, gap.code(), gap.out());
        assertTrue(gap.out().contains("INVALID: line " + (target + 1) + ": seq " + (target + 1) + " where " + target
                + " was expected: row " + target + " is missing"), gap.out());

        // The tail the checkpoint signs cut off.
        Run cut = verify(write("cut.jsonl", String.join("\n", lines.subList(0, (int) size - 1)) + "\n"), set.get(1), set.get(2));
        assertEquals(AuditVerify.INVALID, cut.code(), cut.out());
        assertTrue(cut.out().contains("the export ends after " + (size - 1) + " rows"), cut.out());

        // A purged row's leaf hash changed (taken as given, so only the root tells).
        int purged = 0;
        while (purged < lines.size() - 1 && !lines.get(purged).contains("\"purged\":true")) {
            purged++;
        }
        if (purged < size && lines.get(purged).contains("\"purged\":true")) {
            String row = lines.get(purged);
            int leaf = row.indexOf("\"leafHash\":\"") + 12;
            List<String> swapped = new ArrayList<>(lines);
            swapped.set(purged, row.substring(0, leaf) + (row.charAt(leaf) == '0' ? '1' : '0') + row.substring(leaf + 1));
            Run root = verify(write("purged.jsonl", String.join("\n", swapped) + "\n"), set.get(1), set.get(2));
            assertEquals(AuditVerify.INVALID, root.code(), root.out());
            assertTrue(root.out().contains("not the root signed by"), root.out());
        }

        // Another key, a tampered note.
        String keyName = Files.readString(set.get(2)).split("\\+", 2)[0];
        Run wrongKey = verify(set.get(0), set.get(1), write("other-key.txt", otherKey(keyName)));
        assertEquals(AuditVerify.INVALID, wrongKey.code(), wrongKey.out());
        assertTrue(wrongKey.out().contains("not signed by"), wrongKey.out());
        String note = Files.readString(set.get(1));
        String[] noteLines = note.split("\n", -1);
        noteLines[1] = Long.toString(size - 1);
        Run tampered = verify(set.get(0), write("tampered.txt", String.join("\n", noteLines)), set.get(2));
        assertEquals(AuditVerify.INVALID, tampered.code(), tampered.out());
        assertTrue(tampered.out().contains("does not verify"), tampered.out());

        // Usage and I/O: exit 2.
        assertEquals(AuditVerify.USAGE, verify(dir.resolve("absent.jsonl"), set.get(1), set.get(2)).code());
        assertEquals(AuditVerify.USAGE, verify(set.get(0), set.get(1), write("bad-key.txt", "not a key")).code());
    }

    @Test
    void consistencyWithAnEarlierCheckpointAndAForgedOne() throws Exception {
        ingest(3);
        Path earlier = latest();
        long from = Long.parseLong(Files.readString(earlier).split("\n")[1]);
        long wanted = from + 1;
        ingest(3);
        waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") > wanted);
        Path note = latest();
        long to = Long.parseLong(Files.readString(note).split("\n")[1]);
        Path proof = write("proof.json", as(Roles.ADMIN).queryParam("from", from).queryParam("to", to)
                .get(PATH + "/consistency").then().statusCode(200).extract().asString());
        Path key = publicKey();
        Path export = export();
        List<Path> set = List.of(export, note, key);

        Run valid = verify(set, List.of("--earlier-checkpoint", earlier.toString(), "--consistency-proof", proof.toString()));
        assertEquals(AuditVerify.VALID, valid.code(), valid.out());
        assertTrue(valid.out().contains("(" + from + " rows) is a prefix of"), valid.out());
        assertTrue(valid.out().contains("root         of the first " + from + " rows = signed root of " + earlier), valid.out());

        // A forged earlier checkpoint, signed with the right key (a fork): its root is not the root of its rows.
        byte[] forgedRoot = new byte[32];
        Arrays.fill(forgedRoot, (byte) 7);
        Path forged = write("forged.txt", signer.sign(from, forgedRoot));
        Run fork = verify(set, List.of("--earlier-checkpoint", forged.toString()));
        assertEquals(AuditVerify.INVALID, fork.code(), fork.out());
        assertTrue(fork.out().contains("the root of the first " + from + " rows"), fork.out());
        Run forkProof = verify(set, List.of("--earlier-checkpoint", forged.toString(), "--consistency-proof", proof.toString()));
        assertEquals(AuditVerify.INVALID, forkProof.code(), forkProof.out());
        assertTrue(forkProof.out().contains("are not the signed roots"), forkProof.out());
        // The forged root given as the proof's fromRoot too: the RFC 9162 check itself refuses it.
        String forgedProof = Files.readString(proof).replaceFirst("\"fromRoot\":\"[0-9a-f]{64}\"",
                "\"fromRoot\":\"" + "07".repeat(32) + "\"");
        Run refuted = verify(set, List.of("--earlier-checkpoint", forged.toString(), "--consistency-proof",
                write("forged-proof.json", forgedProof).toString()));
        assertEquals(AuditVerify.INVALID, refuted.code(), refuted.out());
        assertTrue(refuted.out().contains("does not prove"), refuted.out());
        // An earlier checkpoint signed by another key.
        Run alien = verify(set, List.of("--earlier-checkpoint", write("alien.txt", Files.readString(earlier)
                .replaceFirst("\u2014 (\\S+) \\S+", "\u2014 $1 " + Base64.getEncoder().encodeToString(new byte[68]))).toString()));
        assertEquals(AuditVerify.INVALID, alien.code(), alien.out());
    }

    /** The packaged jar, run as an auditor runs it. */
    @Test
    void thePackagedJarRunsOnItsOwn() throws Exception {
        Path jar = Path.of(System.getProperty("test.audit-verify-jar", "../audit-verifier/target/audit-verify.jar"));
        assertTrue(Files.isRegularFile(jar), "build audit-verifier first (-am): " + jar.toAbsolutePath());
        ingest(2);
        Path note = latest();
        Path key = publicKey();
        Path export = export();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", jar.toString(), "--export", export.toString(), "--checkpoint", note.toString(), "--public-key",
                key.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.contains("VALID: "), out);

        Process usage = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--export").redirectErrorStream(true).start();
        usage.getInputStream().readAllBytes();
        assertTrue(usage.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, usage.exitValue());
    }

    @Test
    void seqOrderTakesNoFilterAndOrderIsChecked() {
        as(Roles.ADMIN).queryParam("format", "jsonl").queryParam("order", "seq").queryParam("actor", "x")
                .get(PATH + "/export").then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.ADMIN).queryParam("format", "jsonl").queryParam("order", "sideways")
                .get(PATH + "/export").then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(Roles.SUPPORT).queryParam("format", "jsonl").queryParam("order", "seq").get(PATH + "/export").then().statusCode(403);
    }

    /** A C2SP verifier key of the same name for a fresh Ed25519 key. */
    private static String otherKey(String name) throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(raw, 0, typed, 1, 32);
        return name + "+" + java.util.HexFormat.of().formatHex(dev.sentinel.audit.verifier.NoteKey.keyId(name, raw)) + "+"
                + Base64.getEncoder().encodeToString(typed) + "\n";
    }
}
