package dev.sentinel.audit.read;

import dev.sentinel.audit.checkpoint.Checkpoints;
import dev.sentinel.audit.tree.AuditRow;
import dev.sentinel.audit.tree.Frontier;
import dev.sentinel.audit.tree.TreeSql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Recomputes the whole log in bounded memory: rows are read in seq order a page at a time,
 * each row's leaf is recomputed from its content and compared with the stored leaf hash, the
 * recomputed leaves are folded into a {@link Frontier}, and whenever its size reaches a
 * checkpoint (stored in the database, or the newest one in the mirror directory) its root
 * must equal the signed one. The first difference ends the walk and is named.
 */
@ApplicationScoped
public class AuditVerifier {

    static final int PAGE = 1000;

    private final Pool pool;
    private final Checkpoints checkpoints;

    public AuditVerifier(Pool pool, Checkpoints checkpoints) {
        this.pool = pool;
        this.checkpoints = checkpoints;
    }

    /** A tree size with the root it must have, and where that claim comes from. */
    private record Target(long size, byte[] root, String origin) {
    }

    private static final class Walk {
        final Frontier frontier = Frontier.empty();
        Target mirrored;
        int checkpointsChecked;
        VerifyReport failure;
    }

    @WithSpan("audit.verify")
    public Uni<VerifyReport> verify() {
        Walk walk = new Walk();
        return checkpoints.mirroredLatest()
                .invoke(note -> walk.mirrored = mirrored(note))
                .chain(() -> page(walk));
    }

    /** Checks the next page of rows against the stored checkpoints that end inside it. */
    private Uni<VerifyReport> page(Walk walk) {
        long from = walk.frontier.size();
        return pool.preparedQuery("select " + AuditLogService.COLUMNS + " from audit_log where seq >= $1 order by seq limit " + PAGE)
                .execute(Tuple.of(from))
                .chain(rows -> pool.preparedQuery("""
                                select tree_size, root_hash from audit_checkpoint
                                 where tree_size > $1 and tree_size <= $2 order by tree_size""")
                        .execute(Tuple.of(from, from + PAGE))
                        .chain(stored -> {
                            Map<Long, Target> targets = new HashMap<>();
                            for (Row checkpoint : stored) {
                                targets.put(checkpoint.getLong(0), new Target(checkpoint.getLong(0),
                                        AuditLogService.bytes(checkpoint.getBuffer(1)), "stored"));
                            }
                            for (Row row : rows) {
                                if (!step(walk, AuditLogService.stored(row), AuditLogService.bytes(row.getBuffer(12)), targets)) {
                                    return Uni.createFrom().item(walk.failure);
                                }
                            }
                            return rows.size() < PAGE ? end(walk) : page(walk);
                        }));
    }

    /** One row: in its place, matching its leaf, and the root right at every checkpoint it completes. */
    private boolean step(Walk walk, AuditRow row, byte[] storedLeaf, Map<Long, Target> targets) {
        long expected = walk.frontier.size();
        if (row.seq() != expected) {
            walk.failure = failure(walk, "missing", expected, "row " + expected + " is missing (the next row is " + row.seq() + ")");
            return false;
        }
        byte[] leaf = row.leafHash();
        if (!Arrays.equals(leaf, storedLeaf)) {
            walk.failure = failure(walk, "edited", row.seq(), "row " + row.seq() + " does not match its leaf hash");
            return false;
        }
        walk.frontier.append(leaf);
        long size = walk.frontier.size();
        Target stored = targets.get(size);
        return (stored == null || check(walk, stored))
                && (walk.mirrored == null || walk.mirrored.size() != size || check(walk, walk.mirrored));
    }

    private boolean check(Walk walk, Target target) {
        walk.checkpointsChecked++;
        if (!Arrays.equals(walk.frontier.root(), target.root())) {
            walk.failure = failure(walk, "root-mismatch", null, "the root of the first " + target.size()
                    + " rows differs from the " + target.origin() + " checkpoint of that size");
            return false;
        }
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

    /** The size and root of a mirrored checkpoint note (its signature was made by this service). */
    private static Target mirrored(String note) {
        if (note == null) {
            return null;
        }
        String[] lines = note.split("\n", -1);
        try {
            return new Target(Long.parseLong(lines[1]), Base64.getDecoder().decode(lines[2]), "mirrored");
        } catch (RuntimeException e) {
            return new Target(Long.MAX_VALUE, new byte[0], "mirrored (unreadable)");
        }
    }
}
