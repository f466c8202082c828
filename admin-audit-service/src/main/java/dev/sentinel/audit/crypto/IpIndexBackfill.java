package dev.sentinel.audit.crypto;

import dev.sentinel.audit.tree.TreeSql;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills in {@code ip_index} (migration V1_1) for rows appended before it existed (README,
 * Search): each row's ip is opened under its owner's key and its blind index stored. It runs
 * once at every start, in the background, in batches of {@value #BATCH} rows in seq order, each
 * its own transaction under the append lock (so an erasure, which clears the index under the
 * same lock, never sees it come back). A row whose ip no longer opens (its subject was erased)
 * is passed over and stays unindexed, as erasure wants. Migration V1_3 indexes the rows left,
 * so a start with nothing to do costs one index probe.
 */
@ApplicationScoped
public class IpIndexBackfill {

    private static final Logger LOG = Logger.getLogger(IpIndexBackfill.class);

    static final int BATCH = 500;

    private static final String PENDING = """
            select seq, event_id::text, subject, ip from audit_log
             where ip_index is null and ip is not null and seq > $1
             order by seq limit $2""";
    private static final String FILL = """
            update audit_log a set ip_index = v.ix
              from unnest($1::bigint[], $2::bytea[]) as v(seq, ix)
             where a.seq = v.seq and a.ip_index is null and a.ip is not null""";

    private final Pool pool;
    private final PersonalData personal;
    private final BlindIndex index;

    public IpIndexBackfill(Pool pool, PersonalData personal, BlindIndex index) {
        this.pool = pool;
        this.personal = personal;
        this.index = index;
    }

    /** What one run did: rows looked at and rows given an index. */
    public record Result(long read, long indexed) {
    }

    private record Batch(int read, int indexed, long lastSeq) {
    }

    void onStart(@Observes StartupEvent event) {
        run().onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(10)
                .subscribe().with(
                        result -> {
                            if (result.indexed() > 0 || result.read() > 0) {
                                LOG.infof("ip_index backfill: %d rows without an index read, %d indexed",
                                        result.read(), result.indexed());
                            }
                        },
                        e -> LOG.warnf("ip_index backfill failed, the next start tries again: %s", e.toString()));
    }

    /** Runs the backfill over every row without an index, batch after batch. */
    public Uni<Result> run() {
        return step(-1, 0, 0);
    }

    private Uni<Result> step(long after, long read, long indexed) {
        return pool.withTransaction(connection -> batch(connection, after)).chain(batch -> {
            Result sum = new Result(read + batch.read(), indexed + batch.indexed());
            return batch.read() < BATCH ? Uni.createFrom().item(sum) : step(batch.lastSeq(), sum.read(), sum.indexed());
        });
    }

    private Uni<Batch> batch(SqlConnection connection, long after) {
        return connection.query(TreeSql.LOCK).execute()
                .chain(() -> connection.preparedQuery(PENDING).execute(Tuple.of(after, BATCH)))
                .chain(found -> {
                    List<Row> rows = new ArrayList<>(found.size());
                    found.forEach(rows::add);
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(new Batch(0, 0, after));
                    }
                    long last = rows.get(rows.size() - 1).getLong(0);
                    Set<String> owners = new LinkedHashSet<>();
                    rows.forEach(row -> owners.add(PersonalData.owner(row.getString(2), row.getString(1))));
                    return connection.preparedQuery("select owner, wrapped_key from audit_subject_key where owner = any($1)")
                            .execute(Tuple.of(owners.toArray(String[]::new)))
                            .chain(keyRows -> {
                                Map<String, SecretKey> keys = new HashMap<>();
                                for (Row key : keyRows) {
                                    keys.put(key.getString(0), personal.unwrap(key.getString(0), key.getBuffer(1).getBytes()));
                                }
                                List<Long> seqs = new ArrayList<>();
                                List<Buffer> indexes = new ArrayList<>();
                                for (Row row : rows) {
                                    byte[] ix = indexOf(row, keys.get(PersonalData.owner(row.getString(2), row.getString(1))));
                                    if (ix != null) {
                                        seqs.add(row.getLong(0));
                                        indexes.add(Buffer.buffer(ix));
                                    }
                                }
                                if (seqs.isEmpty()) {
                                    return Uni.createFrom().item(new Batch(rows.size(), 0, last));
                                }
                                return connection.preparedQuery(FILL)
                                        .execute(Tuple.of(seqs.toArray(Long[]::new), indexes.toArray(Buffer[]::new)))
                                        .map(updated -> new Batch(rows.size(), updated.rowCount(), last));
                            });
                });
    }

    /** The blind index of a row's ip, or null when its key is gone or the ip does not open under it (erased). */
    private byte[] indexOf(Row row, SecretKey key) {
        if (key == null) {
            return null;
        }
        try {
            return index.ip(personal.decrypt(key, row.getString(1), "ip", row.getBuffer(3).getBytes()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
