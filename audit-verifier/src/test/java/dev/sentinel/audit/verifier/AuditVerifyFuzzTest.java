package dev.sentinel.audit.verifier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random mutations of a valid export, note and key (jqwik is not in the offline repository; a fixed
 * seed makes every failure reproducible — the seed and the mutation are in the message): a byte replaced, a
 * line dropped, two lines swapped, a line repeated, the file cut. Every mutation is refused (exit 1) unless
 * it only changes a value the leaves do not cover (an opened ip, user agent or email text, or a purged row's
 * id/type/time/source — {@link ExportFixture#uncovered}); nothing ever crashes (an internal error is exit 2
 * with "internal error", asserted never to happen), and a mutated note or key is never accepted.
 */
class AuditVerifyFuzzTest {

    private static final long SEED = 20261130L;
    private static final int ROWS = 40;
    private static final int MUTATIONS = 3_000;

    @TempDir
    Path dir;

    ExportFixture fixture;
    byte[] export;

    @BeforeEach
    void valid() throws IOException {
        fixture = new ExportFixture(dir, SEED).write(ROWS, ROWS - 3, new Random(SEED));
        export = Files.readAllBytes(fixture.export);
        Run run = run(fixture.export, fixture.note, fixture.key);
        assertEquals(0, run.code, run.out);
    }

    private record Run(int code, String out) {
    }

    static Run run(Path export, Path note, Path key, String... more) {
        List<String> args = new ArrayList<>(List.of("--export", export.toString(), "--checkpoint", note.toString(),
                "--public-key", key.toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AuditVerify.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyMutationOfTheExportIsRefusedUnlessItOnlyTouchesAnUncoveredValue() throws IOException {
        Random random = new Random(SEED);
        Path mutated = dir.resolve("mutated.jsonl");
        int accepted = 0;
        int[] kinds = new int[5];
        for (int i = 0; i < MUTATIONS; i++) {
            int kind = random.nextInt(5);
            kinds[kind]++;
            byte[] bytes;
            String what;
            boolean mayPass = false;
            List<byte[]> lines = lines(export);
            switch (kind) {
                case 0 -> {
                    int at = random.nextInt(export.length);
                    byte to;
                    do {
                        to = (byte) random.nextInt(256);
                    } while (to == export[at]);
                    bytes = export.clone();
                    bytes[at] = to;
                    what = "byte " + at + " " + (export[at] & 0xff) + " -> " + (to & 0xff);
                    mayPass = fixture.isUncovered(at);
                }
                case 1 -> {
                    int drop = random.nextInt(lines.size());
                    lines.remove(drop);
                    bytes = join(lines);
                    what = "line " + (drop + 1) + " dropped";
                    // Dropping a row after the signed ones but the last leaves the signed rows whole... it still
                    // breaks seq (unless it is the very last line, which the checkpoint does not cover).
                    mayPass = drop == lines.size() && drop >= ROWS - 3;
                }
                case 2 -> {
                    int a = random.nextInt(lines.size());
                    int b = random.nextInt(lines.size() - 1);
                    b = b >= a ? b + 1 : b;
                    byte[] line = lines.get(a);
                    lines.set(a, lines.get(b));
                    lines.set(b, line);
                    bytes = join(lines);
                    what = "lines " + (a + 1) + " and " + (b + 1) + " swapped";
                }
                case 3 -> {
                    int copy = random.nextInt(lines.size());
                    lines.add(copy, lines.get(copy));
                    bytes = join(lines);
                    what = "line " + (copy + 1) + " repeated";
                }
                default -> {
                    int cut = random.nextInt(export.length);
                    bytes = java.util.Arrays.copyOf(export, cut);
                    what = "cut at " + cut;
                    // A cut at a line end after the signed rows leaves a shorter, still valid export.
                    mayPass = fixture.lineStarts.indexOf((long) cut) >= ROWS - 3;
                }
            }
            Files.write(mutated, bytes);
            Run run = run(mutated, fixture.note, fixture.key);
            String context = "seed " + SEED + ", mutation " + i + ": " + what + "\n" + run.out;
            assertFalse(run.out.contains("internal error"), context);
            if (run.code == 0) {
                assertTrue(mayPass, "accepted: " + context);
                accepted++;
            } else {
                assertEquals(1, run.code, context);
                assertTrue(run.out.startsWith("INVALID: ") || run.out.contains("\nINVALID: "), context);
            }
        }
        assertTrue(accepted < MUTATIONS / 5, "accepted " + accepted);
        for (int count : kinds) {
            assertTrue(count > 100);
        }
    }

    @Test
    void mutatedNotesAndKeysAreNeverAccepted() throws IOException {
        Random random = new Random(SEED + 1);
        byte[] note = Files.readAllBytes(fixture.note);
        byte[] key = Files.readAllBytes(fixture.key);
        Path badNote = dir.resolve("bad-note.txt");
        Path badKey = dir.resolve("bad-key.txt");
        for (int i = 0; i < 1_000; i++) {
            boolean ofNote = random.nextBoolean();
            byte[] source = ofNote ? note : key;
            byte[] bytes = source.clone();
            int at = random.nextInt(bytes.length);
            byte to;
            do {
                to = (byte) random.nextInt(256);
            } while (to == bytes[at]);
            bytes[at] = to;
            Files.write(ofNote ? badNote : badKey, bytes);
            Run run = ofNote ? run(fixture.export, badNote, fixture.key) : run(fixture.export, fixture.note, badKey);
            String context = "mutation " + i + " of the " + (ofNote ? "note" : "key") + " at " + at + "\n" + run.out;
            assertFalse(run.out.contains("internal error"), context);
            assertTrue(ofNote ? run.code == 1 : run.code == 1 || run.code == 2, context);
        }
    }

    @Test
    void hostileInputsAreRefusedWithoutACrash() throws IOException {
        String first = new String(export, StandardCharsets.UTF_8).split("\n")[0];
        List<String> hostile = List.of(
                first.replace("\"seq\":0", "\"seq\":99999999999999999999999"),
                first.replace("\"seq\":0", "\"seq\":-0"),
                first.replace("\"seq\":0", "\"seq\":0.0"),
                first.replace("\"seq\":0", "\"seq\":0,\"seq\":0"),
                first + " x",
                first.replace("\"sealed\":{", "\"sealed\":{\"ip\":\"@@@@\","),
                "[".repeat(100_000) + "]".repeat(100_000),
                "{\"a\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}",
                "{\"seq\":0,\"leafHash\":\"\\uD800\"}",
                "",
                "\u0000");
        Path file = dir.resolve("hostile.jsonl");
        for (String line : hostile) {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
            Run run = run(file, fixture.note, fixture.key);
            assertEquals(1, run.code, line.substring(0, Math.min(200, line.length())) + "\n" + run.out);
        }
        // Notes: a huge size, bad base64, no signature; a proof of absurd length; files that are not there.
        String note = Files.readString(fixture.note);
        String[] parts = note.split("\n", -1);
        for (String bad : List.of(note.replace("\n" + parts[1] + "\n", "\n99999999999999999999\n"),
                note.replace(parts[2], parts[2].substring(1)), parts[0] + "\n" + parts[1] + "\n" + parts[2] + "\n", "", "\u2014\n\n")) {
            Path file2 = Files.writeString(dir.resolve("n.txt"), bad, StandardCharsets.UTF_8);
            assertEquals(1, run(fixture.export, file2, fixture.key).code, bad);
        }
        Path proof = Files.writeString(dir.resolve("p.json"), "{\"from\":1,\"to\":" + ROWS + ",\"fromRoot\":\"" + "0".repeat(64)
                + "\",\"toRoot\":\"" + "0".repeat(64) + "\",\"proof\":[" + ("\"" + "0".repeat(64) + "\",").repeat(200) + "\"" + "0".repeat(64) + "\"]}");
        assertEquals(1, run(fixture.export, fixture.note, fixture.key, "--consistency-proof", proof.toString()).code);
        assertEquals(2, run(dir.resolve("absent"), fixture.note, fixture.key).code);
        assertEquals(2, AuditVerify.run(new String[] {"--export"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())));
        assertEquals(2, AuditVerify.run(new String[] {"--nonsense", "x"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())));
    }

    private static List<byte[]> lines(byte[] file) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(file, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    private static byte[] join(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }
}
