package dev.sentinel.audit.tree;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a tree computation over the stored nodes with the reactive client: first finds which
 * nodes it reads (a dry run), fetches them in one query, then runs it for real. A root or an
 * inclusion path so costs one query of O(log n) rows.
 */
public final class TreeReader {

    private TreeReader() {
    }

    public static <T> Uni<T> compute(SqlClient client, Function<Merkle.NodeSource, T> work) {
        List<Merkle.NodeId> reads = Merkle.reads(work::apply);
        String sql = TreeSql.nodes(reads);
        if (sql == null) {
            return Uni.createFrom().item(() -> work.apply(TreeSql.source(Map.of())));
        }
        return client.query(sql).execute().map(rows -> {
            Map<Merkle.NodeId, byte[]> nodes = new HashMap<>();
            for (Row row : rows) {
                nodes.put(new Merkle.NodeId(row.getInteger(0), row.getLong(1)), TreeSql.unhex(row.getString(2)));
            }
            return work.apply(TreeSql.source(nodes));
        });
    }
}
