package dev.sentinel.audit.verifier;

import dev.sentinel.audit.tree.Frontier;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The offline audit verifier: checks a JSONL export of admin-audit-service's log against a signed checkpoint and
 * the public key, with no database and no network (admin-audit-service README, "Offline verifier").
 * <ol>
 * <li>the checkpoint note (and every earlier one given) is signed by the public key (C2SP signed note, Ed25519);</li>
 * <li>the export is read in one pass, a line at a time: each line's leaf is recomputed from its fields (a purged
 * row's stated leaf hash is taken as given), seq runs 0, 1, 2… with no gap, and the leaves are folded into the
 * right edge of the RFC 6962 tree (at most 64 hashes held, whatever the size);</li>
 * <li>at the size of every checkpoint given, the root of the rows so far must be its signed root;</li>
 * <li>every consistency proof given must prove, RFC 9162 §2.1.4.2, that the earlier signed tree is a prefix of the
 * later one.</li>
 * </ol>
 * Exit 0: valid; 1: invalid, naming the first bad line and seq; 2: usage or an unreadable file.
 */
public final class AuditVerify {

    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: java -jar audit-verify.jar --export rows.jsonl --checkpoint note.txt --public-key key.txt
                   [--earlier-checkpoint old.txt]... [--consistency-proof proof.json]...

              --export              the JSONL export in seq order: GET /v1/admin/audit-logs/export?format=jsonl&order=seq
              --checkpoint          a signed checkpoint note: GET /v1/admin/audit-logs/checkpoints/latest
              --public-key          the C2SP verifier key: GET /v1/admin/audit-logs/public-key
              --earlier-checkpoint  an older signed note you kept (repeatable): its root must be the root of that many rows
              --consistency-proof   GET /v1/admin/audit-logs/consistency?from=M&to=N between two of the checkpoints given
                                    (repeatable)

            exit 0: valid; 1: invalid (the first bad line is named); 2: usage or I/O error
            """;

    private AuditVerify() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Checked files, by name. */
    private record Named(String name, SignedNote note) {
    }

    private static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** Runs the verifier; answers the exit code. Never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            verify(args, out);
            return VALID;
        } catch (Usage e) {
            err.println("audit-verify: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (Invalid e) {
            out.println("INVALID: " + e.getMessage());
            return INVALID;
        } catch (IOException e) {
            err.println("audit-verify: cannot read: " + e);
            return USAGE;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A bug, never a verdict: say so and refuse.
            err.println("audit-verify: internal error: " + e);
            return USAGE;
        }
    }

    private static void verify(String[] args, PrintStream out) throws Usage, Invalid, IOException {
        String export = null;
        String checkpoint = null;
        String publicKey = null;
        List<String> earlier = new ArrayList<>();
        List<String> proofs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new Usage("help");
            }
            if (i + 1 >= args.length) {
                throw new Usage("unknown argument or missing value: " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--export" -> export = once(export, arg, value);
                case "--checkpoint" -> checkpoint = once(checkpoint, arg, value);
                case "--public-key" -> publicKey = once(publicKey, arg, value);
                case "--earlier-checkpoint" -> earlier.add(value);
                case "--consistency-proof" -> proofs.add(value);
                default -> throw new Usage("unknown argument: " + arg);
            }
        }
        if (export == null || checkpoint == null || publicKey == null) {
            throw new Usage("--export, --checkpoint and --public-key are required");
        }

        NoteKey key;
        try {
            key = NoteKey.parse(Lines.utf8OrEmpty(read(publicKey, 4096)));
        } catch (Json.Bad e) {
            throw new Usage("public key " + publicKey + ": " + e.getMessage());
        }
        out.println("public key   " + key.describe() + " (Ed25519), from " + publicKey);

        Named main = note(checkpoint, key, out, "checkpoint");
        List<Named> notes = new ArrayList<>();
        notes.add(main);
        for (String file : earlier) {
            notes.add(note(file, key, out, "earlier"));
        }
        // size -> the note(s) that sign a root for it; two notes of one size with different roots are a fork
        TreeMap<Long, Named> bySize = new TreeMap<>();
        for (Named note : notes) {
            Named other = bySize.putIfAbsent(note.note().treeSize(), note);
            if (other != null && !MessageDigest.isEqual(other.note().rootHash(), note.note().rootHash())) {
                throw new Invalid("forked: " + other.name() + " and " + note.name() + " both sign tree size "
                        + note.note().treeSize() + " with different roots");
            }
        }

        for (String file : proofs) {
            ConsistencyCheck proof;
            try {
                proof = ConsistencyCheck.parse(read(file, 64 * 1024));
            } catch (Json.Bad e) {
                throw new Invalid("consistency proof " + file + ": " + e.getMessage());
            }
            Named from = bySize.get(proof.from());
            Named to = bySize.get(proof.to());
            if (from == null || to == null) {
                throw new Usage("consistency proof " + file + " is from " + proof.from() + " to " + proof.to()
                        + " rows; give the signed checkpoints of both sizes (--checkpoint, --earlier-checkpoint)");
            }
            if (!MessageDigest.isEqual(proof.fromRoot(), from.note().rootHash())
                    || !MessageDigest.isEqual(proof.toRoot(), to.note().rootHash())) {
                throw new Invalid("consistency proof " + file + ": its fromRoot/toRoot are not the signed roots of "
                        + from.name() + " and " + to.name());
            }
            if (!ConsistencyCheck.verify(proof.from(), proof.to(), from.note().rootHash(), to.note().rootHash(), proof.proof())) {
                throw new Invalid("consistency proof " + file + " does not prove that " + from.name() + " (" + proof.from()
                        + " rows) is a prefix of " + to.name() + " (" + proof.to() + " rows): the log was forked or rewritten");
            }
            out.println("consistency  " + file + ": " + from.name() + " (" + proof.from() + " rows) is a prefix of "
                    + to.name() + " (" + proof.to() + " rows), RFC 9162 proof of " + proof.proof().size() + " hashes OK");
        }

        walk(export, bySize, main, out);
    }

    private static void walk(String export, TreeMap<Long, Named> bySize, Named main, PrintStream out)
            throws Invalid, IOException {
        Frontier frontier = Frontier.empty();
        long purged = 0;
        Named lastMatched = null;
        checkRoot(frontier, bySize, null);
        if (bySize.containsKey(0L)) {
            lastMatched = bySize.get(0L);
        }
        long started = System.nanoTime();
        Lines lines;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(export)), 1 << 16)) {
            lines = new Lines(in);
            while (true) {
                String line;
                try {
                    line = lines.next();
                } catch (Lines.BadLine e) {
                    throw new Invalid("line " + e.line + ": " + e.getMessage());
                }
                if (line == null) {
                    break;
                }
                long number = lines.number();
                long expected = frontier.size();
                ExportLine.Read row;
                try {
                    row = ExportLine.read(line);
                } catch (Json.Bad e) {
                    throw new Invalid("line " + number + " (seq " + expected + " expected): not a valid export line: "
                            + e.getMessage());
                }
                if (row.seq() != expected) {
                    throw new Invalid("line " + number + ": seq " + row.seq() + " where " + expected + " was expected: "
                            + (row.seq() > expected
                                    ? (row.seq() - expected == 1 ? "row " + expected + " is" : "rows " + expected + " to " + (row.seq() - 1) + " are")
                                            + " missing (deleted from the export or the log)"
                                    : "a row was inserted, repeated or moved"));
                }
                if (row.purged()) {
                    purged++;
                } else if (!MessageDigest.isEqual(row.recomputedLeaf(), row.statedLeaf())) {
                    throw new Invalid("line " + number + " (seq " + row.seq() + "): the row does not match its leaf hash "
                            + "(recomputed " + Hex.of(row.recomputedLeaf()) + ", stated " + Hex.of(row.statedLeaf())
                            + "): the row or its leaf hash was edited");
                }
                frontier.append(row.purged() ? row.statedLeaf() : row.recomputedLeaf());
                Named matched = checkRoot(frontier, bySize, lastMatched);
                if (matched != null) {
                    lastMatched = matched;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such file: " + export, e);
        }
        long rows = frontier.size();
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "export       %s: %d rows (seq 0 to %d, no gap), %d bytes, read in %.2f s%n", export, rows,
                rows - 1, lines.bytes(), seconds);
        out.printf(Locale.ROOT, "leaves       %d recomputed from their rows and equal to their leafHash; %d purged rows "
                + "taken as given (only the roots check them)%n", rows - purged, purged);
        if (bySize.lastKey() > rows) {
            long size = bySize.lastKey();
            throw new Invalid("the export ends after " + rows + " rows, but " + bySize.get(size).name() + " signs " + size
                    + " rows: rows " + rows + " to " + (size - 1) + " are missing (the export or the log was cut)");
        }
        for (var entry : bySize.entrySet()) {
            out.println("root         of the first " + entry.getKey() + " rows = signed root of " + entry.getValue().name() + " OK");
        }
        long unsigned = rows - main.note().treeSize();
        if (unsigned > 0) {
            out.println("beyond       " + unsigned + " rows after " + main.name() + " (seq " + main.note().treeSize() + " to "
                    + (rows - 1) + "): leaves recomputed and seq checked, not yet covered by a signed checkpoint");
        }
        out.println("note         the opened ip, userAgent and email texts are not covered by the leaves (their ciphertext is); "
                + "purged rows' id, type, time and source are not covered either");
        out.println("VALID: " + rows + " rows; the first " + main.note().treeSize() + " are exactly those signed by "
                + main.name() + " (" + main.note().origin() + ", root " + Base64.getEncoder().encodeToString(main.note().rootHash()) + ")");
    }

    /** At a checkpoint's size, the root so far must be its root; answers the checkpoint matched, if any. */
    private static Named checkRoot(Frontier frontier, TreeMap<Long, Named> bySize, Named lastMatched) throws Invalid {
        Named at = bySize.get(frontier.size());
        if (at == null) {
            return null;
        }
        byte[] root = frontier.root();
        if (!MessageDigest.isEqual(root, at.note().rootHash())) {
            long from = lastMatched == null ? 0 : lastMatched.note().treeSize();
            throw new Invalid("the root of the first " + frontier.size() + " rows (lines 1 to " + frontier.size() + ") is "
                    + Base64.getEncoder().encodeToString(root) + ", not the root signed by " + at.name() + ": a row and its "
                    + "leaf hash were rewritten together, or a purged row's leaf hash was changed, at seq " + from + " to "
                    + (frontier.size() - 1) + (lastMatched == null ? "" : " (the first " + from + " rows match " + lastMatched.name() + ")"));
        }
        return at;
    }

    private static Named note(String file, NoteKey key, PrintStream out, String label) throws Invalid, IOException {
        byte[] bytes = read(file, SignedNote.MAX_NOTE + 1);
        try {
            SignedNote note = SignedNote.verify(bytes, key);
            out.printf(Locale.ROOT, "%-12s %s: origin %s, tree size %d, root %s, signature OK%n", label, file, note.origin(),
                    note.treeSize(), Base64.getEncoder().encodeToString(note.rootHash()));
            return new Named(file, note);
        } catch (Json.Bad e) {
            throw new Invalid("checkpoint " + file + ": " + e.getMessage());
        }
    }

    private static String once(String previous, String arg, String value) throws Usage {
        if (previous != null) {
            throw new Usage(arg + " given twice");
        }
        return value;
    }

    /** A small file, at most {@code limit} bytes (more is read as the limit plus one, for the caller to refuse). */
    private static byte[] read(String file, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return in.readNBytes(limit + 1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such file: " + file, e);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException("bad path: " + file, e);
        }
    }
}
