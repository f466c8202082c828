package dev.sentinel.audit.tree;

import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;

/**
 * SQL that reads stored nodes: level 0 from {@code audit_log.leaf_hash}, higher levels from
 * {@code audit_node}. The node ids are numbers this service computed (never input text), so
 * they are written into the statement, which then runs unchanged on the Hibernate Reactive
 * session of the ingest transaction and on the plain reactive pool of the readers.
 */
public final class TreeSql {

    /** The one advisory lock every writer of the tree holds for its transaction. */
    public static final long APPEND_LOCK = 0x5e_a0d1_7106L;

    /** Takes {@link #APPEND_LOCK}; answers one row with 1. */
    public static final String LOCK = "select 1 from (select pg_advisory_xact_lock(" + APPEND_LOCK + ")) l";

    /** The next seq, which is the tree size (rows are gap-free from 0). */
    public static final String SIZE = "select coalesce(max(seq) + 1, 0) from audit_log";

    private static final HexFormat HEX = HexFormat.of();

    private TreeSql() {
    }

    /** Selects (level, idx, hex hash) of these nodes; null when there are none to read. */
    public static String nodes(Collection<Merkle.NodeId> ids) {
        StringJoiner leaves = new StringJoiner(",");
        StringJoiner interior = new StringJoiner(",");
        for (Merkle.NodeId id : ids) {
            if (id.level() == 0) {
                leaves.add(Long.toString(id.index()));
            } else {
                interior.add("(" + id.level() + "," + id.index() + ")");
            }
        }
        StringJoiner sql = new StringJoiner(" union all ");
        if (leaves.length() > 0) {
            sql.add("select 0, seq, encode(leaf_hash, 'hex') from audit_log where seq in (" + leaves + ")");
        }
        if (interior.length() > 0) {
            sql.add("select level::int, idx, encode(hash, 'hex') from audit_node where (level, idx) in (" + interior + ")");
        }
        return sql.length() == 0 ? null : sql.toString();
    }

    /** A source over fetched nodes that fails loudly on a node the store does not have. */
    public static Merkle.NodeSource source(Map<Merkle.NodeId, byte[]> nodes) {
        return (level, index) -> {
            byte[] hash = nodes.get(new Merkle.NodeId(level, index));
            if (hash == null) {
                throw new IllegalStateException("tree node (" + level + ", " + index + ") is missing from the store");
            }
            return hash;
        };
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
