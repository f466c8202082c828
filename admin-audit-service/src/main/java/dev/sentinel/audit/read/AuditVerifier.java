package dev.sentinel.audit.read;

import dev.sentinel.audit.checkpoint.Checkpoints;
import dev.sentinel.audit.checkpoint.NoteSigner;
import dev.sentinel.audit.tree.AuditRow;
import dev.sentinel.audit.tree.Frontier;
import dev.sentinel.audit.tree.Merkle;
import dev.sentinel.audit.verifier.SignedNote;
import dev.sentinel.audit.tree.TreeSql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Recomputes the whole log in bounded memory: rows are read in seq order a page at a time
 * (one row more, to look ahead), each row's leaf is recomputed from its content and compared
 * with the stored leaf hash, the recomputed leaves are folded into a {@link Frontier}, every
 * interior node that completes is compared with the stored one, and whenever the size reaches
 * a checkpoint (stored in the database, or the newest one in the mirror directory) its root
 * must equal the signed one. Every checkpoint it uses must carry a signature by the current
 * signing key or a rotated-out one still published ({@link NoteSigner#verifies}) over the
 * size and root it is compared by. The first difference ends the walk and is named (README, Verify).
 * Memory: one page of rows and its nodes, and the ≤ 64 hashes of the frontier.
 */
@ApplicationScoped
public class AuditVerifier {

    static final int PAGE = 1000;

    private final Pool pool;
    private final Checkpoints checkpoints;
    private final NoteSigner signer;

    public AuditVerifier(Pool pool, Checkpoints checkpoints, NoteSigner signer) {
        this.pool = pool;
        this.checkpoints = checkpoints;
        this.signer = signer;
    }

    /**
     * A tree size with the root it must have, where that claim comes from, and why its signed
     * note does not vouch for it (null when a published key's signature covers that size and root).
     */
    private record Target(long size, byte[] root, String origin, String unsigned) {
    }

    /** A row as read: its stored content, its stored leaf hash, and whether retention purged its payload. */
    private record Read(AuditRow row, byte[] storedLeaf, boolean purged) {
    }

    private static final class Walk {
        final Frontier frontier = Frontier.empty();
        Target mirrored;
        long lastCheckpoint;
        int checkpointsChecked;
        VerifyReport failure;
    }

    @WithSpan("audit.verify")
    public Uni<VerifyReport> verify() {
        Walk walk = new Walk();
        return checkpoints.mirroredLatest()
                .invoke(note -> walk.mirrored = mirrored(note))
                .chain(() -> walk.mirrored != null && walk.mirrored.unsigned() != null
                        // Not a checkpoint of ours: nothing it says can be compared with.
                        ? Uni.createFrom().item(failure(walk, "bad-signature", null,
                                "the mirrored checkpoint (latest) " + walk.mirrored.unsigned()))
                        : page(walk));
    }

    /**
     * Why {@code note} does not vouch for a tree of {@code size} rows with {@code root}: no
     * signature by a published key verifies over it, or what it signs is another size or root
     * than the one it is stored with; null when it vouches for them.
     */
    private String unsigned(String note, long size, byte[] root) {
        SignedNote vouched = note == null ? null : signer.vouchedFor(note);
        if (vouched == null) {
            return "carries no valid signature by the current or a previous signing key (AUDIT_SIGNING_KEY, "
                    + "AUDIT_SIGNING_KEY_PREVIOUS)";
        }
        if (vouched.treeSize() != size || !Arrays.equals(vouched.rootHash(), root)) {
            return "is stored with another size or root than its signed note's";
        }
        return null;
    }

    /** Checks the next page of rows against the stored nodes and checkpoints that end inside it. */
    private Uni<VerifyReport> page(Walk walk) {
        long from = walk.frontier.size();
        return pool.preparedQuery("select " + AuditLogService.COLUMNS + " from audit_log where seq >= $1 order by seq limit " + (PAGE + 1))
                .execute(Tuple.of(from))
                .chain(rows -> pool.preparedQuery("""
                                select tree_size, root_hash, note from audit_checkpoint
                                 where tree_size > $1 and tree_size <= $2 order by tree_size""")
                        .execute(Tuple.of(from, from + PAGE))
                        .chain(stored -> pool.query(nodesSql(from, from + PAGE)).execute().map(nodes -> {
                            Map<Long, Target> targets = new HashMap<>();
                            for (Row checkpoint : stored) {
                                long size = checkpoint.getLong(0);
                                byte[] root = AuditLogService.bytes(checkpoint.getBuffer(1));
                                targets.put(size, new Target(size, root, "stored",
                                        unsigned(checkpoint.getString(2), size, root)));
                            }
                            Map<Merkle.NodeId, byte[]> storedNodes = new HashMap<>();
                            for (Row node : nodes) {
                                storedNodes.put(new Merkle.NodeId(node.getInteger(0), node.getLong(1)),
                                        AuditLogService.bytes(node.getBuffer(2)));
                            }
                            return new Object[] {read(rows), targets, storedNodes};
                        })))
                .chain(parts -> {
                    @SuppressWarnings("unchecked")
                    List<Read> rows = (List<Read>) parts[0];
                    @SuppressWarnings("unchecked")
                    Map<Long, Target> targets = (Map<Long, Target>) parts[1];
                    @SuppressWarnings("unchecked")
                    Map<Merkle.NodeId, byte[]> nodes = (Map<Merkle.NodeId, byte[]>) parts[2];
                    int checked = Math.min(PAGE, rows.size());
                    for (int i = 0; i < checked; i++) {
                        Read next = i + 1 < rows.size() ? rows.get(i + 1) : null;
                        if (!step(walk, rows.get(i), next, targets, nodes)) {
                            return Uni.createFrom().item(walk.failure);
                        }
                    }
                    return rows.size() <= PAGE ? end(walk) : page(walk);
                });
    }

    private static List<Read> read(RowSet<Row> rows) {
        List<Read> read = new ArrayList<>(rows.size());
        for (Row row : rows) {
            read.add(new Read(AuditLogService.stored(row), AuditLogService.bytes(row.getBuffer(12)), row.getBoolean(13)));
        }
        return read;
    }

    /**
     * The stored interior nodes that leaves [from, to) can complete: at level L those with an
     * index from {@code from >> L} to {@code to >> L}. The bounds are numbers computed here.
     */
    static String nodesSql(long from, long to) {
        StringJoiner ranges = new StringJoiner(" or ");
        for (int level = 1; level < 63 && (to >> level) > 0; level++) {
            ranges.add("(level = " + level + " and idx between " + (from >> level) + " and " + (to >> level) + ")");
        }
        if (ranges.length() == 0) {
            return "select level::int, idx, hash from audit_node where false";
        }
        return "select level::int, idx, hash from audit_node where " + ranges;
    }

    /**
     * One row: in its place, matching its leaf, completing interior nodes equal to the stored
     * ones, and the root right at every checkpoint it completes.
     */
    private boolean step(Walk walk, Read read, Read next, Map<Long, Target> targets, Map<Merkle.NodeId, byte[]> nodes) {
        AuditRow row = read.row();
        long expected = walk.frontier.size();
        if (row.seq() != expected) {
            walk.failure = failure(walk, "missing", expected, "row " + expected + " is missing (the next row is " + row.seq() + ")");
            return false;
        }
        if (read.purged() && (row.subject() != null || row.actor() != null || row.outcome() != null || row.ip() != null
                || row.userAgent() != null || row.traceId() != null || row.data() != null)) {
            walk.failure = failure(walk, "edited", row.seq(), "row " + row.seq() + " is marked purged but has a payload");
            return false;
        }
        // A purged row's payload is gone: its stored leaf stands for it, and is checked by the
        // tree nodes and checkpoints it completes, like every other leaf.
        byte[] leaf = read.purged() ? read.storedLeaf() : row.leafHash();
        if (!Arrays.equals(leaf, read.storedLeaf())) {
            walk.failure = classify(walk, read, next, "edited", row.seq(), "row " + row.seq() + " does not match its leaf hash");
            return false;
        }
        for (Frontier.Node node : walk.frontier.append(leaf)) {
            byte[] stored = nodes.get(new Merkle.NodeId(node.level(), node.index()));
            long first = node.index() << node.level();
            if (stored == null) {
                walk.failure = classify(walk, read, next, "inserted", row.seq(), "row " + row.seq()
                        + " completes tree node (" + node.level() + ", " + node.index() + ") but the store has no such node:"
                        + " the row was not appended by the service (or the node was deleted)");
                return false;
            }
            if (!Arrays.equals(stored, node.hash())) {
                walk.failure = classify(walk, read, next, "edited", first, "rows " + first + " to " + row.seq()
                        + " no longer hash to the stored tree node (" + node.level() + ", " + node.index()
                        + "): one of them was rewritten together with its leaf hash");
                return false;
            }
        }
        long size = walk.frontier.size();
        Target stored = targets.get(size);
        return (stored == null || check(walk, stored))
                && (walk.mirrored == null || walk.mirrored.size() != size || check(walk, walk.mirrored));
    }

    /**
     * Names what happened around a row that does not fit. Rows renumbered by an insertion or
     * a deletion keep their old leaf hash, which covers their old seq: a row whose stored leaf
     * is its content at seq − 1 moved up (a row was inserted before it), at seq + 1 moved down
     * (a row was deleted); a row followed by one that moved up is itself the inserted one.
     */
    private static VerifyReport classify(Walk walk, Read read, Read next, String problem, long seq, String detail) {
        long s = read.row().seq();
        if (s > 0 && Arrays.equals(read.storedLeaf(), at(read.row(), s - 1).leafHash())) {
            return failure(walk, "inserted", s - 1, "a row was inserted at " + (s - 1)
                    + ": row " + s + " and the rows after it were renumbered up by one");
        }
        if (Arrays.equals(read.storedLeaf(), at(read.row(), s + 1).leafHash())) {
            return failure(walk, "missing", s, "row " + s + " was deleted and the rows after it renumbered down by one");
        }
        if (next != null && next.row().seq() == s + 1 && Arrays.equals(next.storedLeaf(), at(next.row(), s).leafHash())) {
            return failure(walk, "inserted", s, "row " + s + " was inserted: the rows after it were renumbered up by one");
        }
        return failure(walk, problem, seq, detail);
    }

    private static AuditRow at(AuditRow row, long seq) {
        return new AuditRow(seq, row.id(), row.type(), row.time(), row.source(), row.subject(), row.actor(),
                row.outcome(), row.ip(), row.userAgent(), row.traceId(), row.data());
    }

    private boolean check(Walk walk, Target target) {
        walk.checkpointsChecked++;
        if (target.unsigned() != null) {
            walk.failure = failure(walk, "bad-signature", null, "the " + target.origin() + " checkpoint of "
                    + target.size() + " rows " + target.unsigned());
            return false;
        }
        if (!Arrays.equals(walk.frontier.root(), target.root())) {
            boolean mirrored = target.origin().startsWith("mirrored");
            walk.failure = failure(walk, mirrored ? "forked" : "root-mismatch", null, "the root of the first " + target.size()
                    + " rows differs from the " + target.origin() + " checkpoint of that size"
                    + (walk.lastCheckpoint > 0 ? " (the checkpoint of " + walk.lastCheckpoint + " rows still matched)" : ""));
            return false;
        }
        walk.lastCheckpoint = Math.max(walk.lastCheckpoint, target.size());
        return true;
    }

    /**
     * After the last row: no checkpoint may cover more rows than the log has now (read again,
     * so rows appended during the walk are not taken for a cut tail).
     */
    private Uni<VerifyReport> end(Walk walk) {
        long size = walk.frontier.size();
        return pool.query("""
                        select (select coalesce(max(tree_size), 0) from audit_checkpoint),
                               (select coalesce(max(seq) + 1, 0) from audit_log)""").execute().map(rows -> {
            Row row = rows.iterator().next();
            long newest = row.getLong(0);
            long now = Math.max(size, row.getLong(1));
            if (newest > now) {
                return failure(walk, "truncated", now, "the stored checkpoint covers " + newest + " rows but the log has " + now);
            }
            if (walk.mirrored != null && walk.mirrored.size() > now) {
                return failure(walk, "truncated", now, "the " + walk.mirrored.origin() + " checkpoint covers "
                        + walk.mirrored.size() + " rows but the log has " + now);
            }
            return new VerifyReport(true, size, size, walk.checkpointsChecked, TreeSql.hex(walk.frontier.root()),
                    null, null, null);
        });
    }

    private static VerifyReport failure(Walk walk, String problem, Long seq, String detail) {
        return new VerifyReport(false, walk.frontier.size(), walk.frontier.size(), walk.checkpointsChecked, null, problem, seq, detail);
    }

    /** The size and root of the mirrored checkpoint note, and whether its signature vouches for them. */
    private Target mirrored(String note) {
        if (note == null) {
            return null;
        }
        String[] lines = note.split("\n", -1);
        try {
            long size = Long.parseLong(lines[1]);
            byte[] root = Base64.getDecoder().decode(lines[2]);
            return new Target(size, root, "mirrored", unsigned(note, size, root));
        } catch (RuntimeException e) {
            return new Target(Long.MAX_VALUE, new byte[0], "mirrored (unreadable)", "cannot be read as a checkpoint");
        }
    }
}
