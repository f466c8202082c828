package dev.sentinel.audit.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.audit.checkpoint.NoteSigner;
import dev.sentinel.audit.crypto.BlindIndex;
import dev.sentinel.audit.crypto.PersonalData;
import dev.sentinel.audit.tree.AuditRow;
import dev.sentinel.audit.tree.Merkle;
import dev.sentinel.audit.tree.TreeReader;
import dev.sentinel.audit.tree.TreeSql;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.SecretKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads of the audit log: search, export, one row, its inclusion proof, checkpoints, consistency proofs, the public key. */
@ApplicationScoped
public class AuditLogService {

    /**
     * The columns of a row, in the order {@link #stored(Row)} reads them, then the leaf hash
     * (12) and whether retention purged the payload (13).
     */
    static final String COLUMNS = "seq, event_id::text, type, " + AuditRow.SQL_TIME
            + ", source, subject, actor, outcome, ip, user_agent, trace_id, data, leaf_hash, purged_at is not null";

    /** The event time in microseconds since the epoch: a search cursor's position. */
    static final String SEARCH_MICROS = "(extract(epoch from time) * 1000000)::bigint";

    private final Pool pool;
    private final PersonalData personal;
    private final NoteSigner signer;
    private final ObjectMapper json;
    private final BlindIndex index;

    public AuditLogService(Pool pool, PersonalData personal, NoteSigner signer, ObjectMapper json, BlindIndex index) {
        this.pool = pool;
        this.personal = personal;
        this.signer = signer;
        this.json = json;
        this.index = index;
    }

    public Uni<AuditLogEntry> entry(long seq) {
        return pool.preparedQuery("select " + COLUMNS + " from audit_log where seq = $1").execute(Tuple.of(seq))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(new ProblemException(ErrorCode.SYS_NOT_FOUND, "No audit row " + seq + "."));
                    }
                    Row row = rows.iterator().next();
                    AuditRow stored = stored(row);
                    byte[] leaf = bytes(row.getBuffer(12));
                    String owner = PersonalData.owner(stored.subject(), stored.id());
                    return pool.preparedQuery("select wrapped_key from audit_subject_key where owner = $1")
                            .execute(Tuple.of(owner))
                            .map(keys -> {
                                SecretKey key = keys.size() == 0 ? null
                                        : personal.unwrap(owner, bytes(keys.iterator().next().getBuffer(0)));
                                return view(stored, leaf, key, row.getBoolean(13));
                            });
                });
    }

    /**
     * One page of a search: the rows matching the filters after the cursor's position, newest
     * first on (time, seq), with personal fields opened under their owners' keys (one query
     * for the page's keys), and the total when asked.
     */
    @WithSpan("audit.search")
    public Uni<SearchPage> search(AuditSearch search, String cursor) {
        AuditSearch.Position after = cursor == null ? null : search.position(cursor, index::cursorTagMatches);
        AuditSearch.Where where = search.where(search.ip() == null ? null : index.ip(search.ip()), 1);
        return page(where, after, search.limit() + 1).chain(rows -> {
            List<Row> page = new ArrayList<>(search.limit());
            for (Row row : rows) {
                if (page.size() < search.limit()) {
                    page.add(row);
                }
            }
            String next = null;
            if (rows.size() > search.limit()) {
                Row last = page.get(page.size() - 1);
                next = search.cursor(new AuditSearch.Position(last.getLong(14), last.getLong(0)), index::cursorTag);
            }
            String nextCursor = next;
            return views(page).chain(items -> !search.count()
                    ? Uni.createFrom().item(new SearchPage(items, nextCursor, null))
                    : pool.preparedQuery("select count(*) from audit_log where " + where.sql())
                            .execute(Tuple.from(where.parameters()))
                            .map(count -> new SearchPage(items, nextCursor, count.iterator().next().getLong(0))));
        });
    }

    /** Rows read per page of an export. */
    static final int EXPORT_PAGE = 500;

    /** A row to export: as the API shows it, and as stored (what its leaf covers). */
    public record Exported(AuditLogEntry entry, AuditRow stored) {
    }

    /**
     * Every row matching the search, newest first, as pages of {@value #EXPORT_PAGE}: a page is
     * read when the subscriber asks for it (keyset after the previous page's last row), so an
     * export of any size holds one page. Ends with the first empty page.
     */
    public Multi<List<Exported>> export(AuditSearch search) {
        AuditSearch.Where where = search.where(search.ip() == null ? null : index.ip(search.ip()), 1);
        AuditSearch.Position[] after = {null};
        return Multi.createBy().repeating()
                .uni(() -> page(where, after[0], EXPORT_PAGE).chain(rows -> {
                    List<Row> page = new ArrayList<>(rows.size());
                    rows.forEach(page::add);
                    if (!page.isEmpty()) {
                        Row last = page.get(page.size() - 1);
                        after[0] = new AuditSearch.Position(last.getLong(14), last.getLong(0));
                    }
                    return exported(page);
                }))
                .until(List::isEmpty);
    }

    /**
     * Every row in seq order from 0, as pages of {@value #EXPORT_PAGE} read on demand (keyset on the
     * primary key, {@code seq > last}): the export the offline verifier reads, which folds the leaves
     * into the tree in this order. Ends with the first empty page.
     */
    public Multi<List<Exported>> exportInSeqOrder() {
        long[] after = {-1};
        return Multi.createBy().repeating()
                .uni(() -> pool.preparedQuery("select " + COLUMNS + " from audit_log where seq > $1 order by seq limit " + EXPORT_PAGE)
                        .execute(Tuple.of(after[0]))
                        .chain(rows -> {
                            List<Row> page = new ArrayList<>(rows.size());
                            rows.forEach(page::add);
                            if (!page.isEmpty()) {
                                after[0] = page.get(page.size() - 1).getLong(0);
                            }
                            return exported(page);
                        }))
                .until(List::isEmpty);
    }

    private Uni<List<Exported>> exported(List<Row> page) {
        return views(page).map(entries -> {
            List<Exported> exported = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                exported.add(new Exported(entries.get(i), stored(page.get(i))));
            }
            return exported;
        });
    }

    /**
     * One keyset page: rows of {@link #COLUMNS} plus their time in µs (column 14) matching
     * {@code where}, after {@code after} (null: from the newest), newest first on (time, seq).
     */
    private Uni<RowSet<Row>> page(AuditSearch.Where where, AuditSearch.Position after, int limit) {
        List<Object> parameters = new ArrayList<>(where.parameters());
        StringBuilder sql = new StringBuilder("select " + COLUMNS + ", " + SEARCH_MICROS + " from audit_log where ")
                .append(where.sql());
        if (after != null) {
            parameters.add(AuditSearch.utcMicros(after.timeMicros()));
            parameters.add(after.seq());
            sql.append(" and (time, seq) < ($").append(parameters.size() - 1).append(", $").append(parameters.size()).append(')');
        }
        sql.append(" order by time desc, seq desc limit ").append(limit);
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(parameters));
    }

    /** The API view of rows read with {@link #COLUMNS}, their owners' keys fetched in one query. */
    private Uni<List<AuditLogEntry>> views(List<Row> rows) {
        List<AuditRow> stored = rows.stream().map(AuditLogService::stored).toList();
        String[] owners = stored.stream().map(row -> PersonalData.owner(row.subject(), row.id())).distinct().toArray(String[]::new);
        Uni<Map<String, SecretKey>> keys = owners.length == 0 ? Uni.createFrom().item(Map.<String, SecretKey>of())
                : pool.preparedQuery("select owner, wrapped_key from audit_subject_key where owner = any($1)")
                        .execute(Tuple.of(owners))
                        .map(found -> {
                            Map<String, SecretKey> unwrapped = new HashMap<>();
                            for (Row key : found) {
                                unwrapped.put(key.getString(0), personal.unwrap(key.getString(0), bytes(key.getBuffer(1))));
                            }
                            return unwrapped;
                        });
        return keys.map(found -> {
            List<AuditLogEntry> items = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                AuditRow row = stored.get(i);
                items.add(view(row, bytes(rows.get(i).getBuffer(12)), found.get(PersonalData.owner(row.subject(), row.id())),
                        rows.get(i).getBoolean(13)));
            }
            return items;
        });
    }

    /** The inclusion proof of row {@code seq} against the checkpoint of {@code size} rows (null: the newest). */
    public Uni<InclusionProof> proof(long seq, Long size) {
        String sql = size == null
                ? "select tree_size, root_hash, note from audit_checkpoint order by tree_size desc limit 1"
                : "select tree_size, root_hash, note from audit_checkpoint where tree_size = $1";
        return pool.preparedQuery(sql).execute(size == null ? Tuple.tuple() : Tuple.of(size)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.SYS_NOT_FOUND, size == null
                        ? "No checkpoint has been signed yet." : "No checkpoint of tree size " + size + "."));
            }
            Row checkpoint = rows.iterator().next();
            long treeSize = checkpoint.getLong(0);
            if (seq >= treeSize) {
                return Uni.createFrom().failure(ProblemException.invalidField(
                        "Row " + seq + " is not in the checkpoint of tree size " + treeSize + ".", "seq",
                        List.of("must be below the checkpoint's tree size " + treeSize)));
            }
            record Path(byte[] leaf, List<byte[]> path) {
            }
            return TreeReader.compute(pool, source -> new Path(source.node(0, seq), Merkle.inclusionPath(seq, treeSize, source)))
                    .map(path -> new InclusionProof(seq, TreeSql.hex(path.leaf()),
                            path.path().stream().map(TreeSql::hex).toList(), treeSize,
                            TreeSql.hex(bytes(checkpoint.getBuffer(1))), checkpoint.getString(2)));
        });
    }

    /**
     * Signed checkpoints, newest first, {@code limit} at a time after the checkpoint of tree size
     * {@code before} (exclusive; null: from the newest). Keyset on tree_size, no OFFSET.
     */
    public Uni<CheckpointPage> checkpoints(int limit, Long before) {
        return pool.preparedQuery("""
                        select tree_size, root_hash,
                               to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), note
                          from audit_checkpoint where tree_size < $1 order by tree_size desc limit $2""")
                .execute(Tuple.of(before == null ? Long.MAX_VALUE : before, limit + 1))
                .map(rows -> {
                    List<CheckpointPage.Item> items = new ArrayList<>(limit);
                    boolean more = false;
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            more = true;
                            break;
                        }
                        items.add(new CheckpointPage.Item(row.getLong(0), TreeSql.hex(bytes(row.getBuffer(1))),
                                row.getString(2), row.getString(3)));
                    }
                    return new CheckpointPage(items, more ? PageCursor.checkpoint(items.get(items.size() - 1).treeSize()) : null);
                });
    }

    /**
     * The consistency proof from the tree of {@code from} rows to the tree of {@code to} rows
     * (null: the newest checkpoint). Any sizes with 1 ≤ from ≤ to ≤ the current tree size.
     */
    public Uni<ConsistencyProof> consistency(long from, Long to) {
        return pool.query("""
                        select (select coalesce(max(seq) + 1, 0) from audit_log),
                               (select coalesce(max(tree_size), 0) from audit_checkpoint)""").execute()
                .chain(rows -> {
                    Row sizes = rows.iterator().next();
                    long treeSize = sizes.getLong(0);
                    if (to == null && sizes.getLong(1) == 0) {
                        return Uni.createFrom().failure(new ProblemException(ErrorCode.SYS_NOT_FOUND, "No checkpoint has been signed yet."));
                    }
                    long target = to == null ? sizes.getLong(1) : to;
                    if (from < 1) {
                        return Uni.createFrom().failure(ProblemException.invalidField("Bad from.", "from",
                                List.of("must be at least 1")));
                    }
                    if (from > target) {
                        return Uni.createFrom().failure(ProblemException.invalidField("from is above to.", "from",
                                List.of("must not exceed to (" + target + ")")));
                    }
                    if (target > treeSize) {
                        return Uni.createFrom().failure(ProblemException.invalidField("The log is smaller than to.", "to",
                                List.of("must not exceed the tree size " + treeSize)));
                    }
                    record Proof(List<byte[]> path, byte[] fromRoot, byte[] toRoot) {
                    }
                    return TreeReader.compute(pool, source -> new Proof(Merkle.consistencyPath(from, target, source),
                                    Merkle.root(from, source), Merkle.root(target, source)))
                            .map(proof -> new ConsistencyProof(from, target, TreeSql.hex(proof.fromRoot()),
                                    TreeSql.hex(proof.toRoot()), proof.path().stream().map(TreeSql::hex).toList()));
                });
    }

    public Uni<String> latestCheckpoint() {
        return pool.query("select note from audit_checkpoint order by tree_size desc limit 1").execute().map(rows -> {
            if (rows.size() == 0) {
                throw new ProblemException(ErrorCode.SYS_NOT_FOUND, "No checkpoint has been signed yet.");
            }
            return rows.iterator().next().getString(0);
        });
    }

    public String publicKey() {
        return signer.verifierKey() + "\n";
    }

    /** A row as stored (what its leaf covers), from a query of {@link #COLUMNS}. */
    static AuditRow stored(Row row) {
        return new AuditRow(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getString(7), bytes(row.getBuffer(8)), bytes(row.getBuffer(9)),
                row.getString(10), row.getString(11));
    }

    static byte[] bytes(Buffer buffer) {
        return buffer == null ? null : buffer.getBytes();
    }

    private AuditLogEntry view(AuditRow row, byte[] leaf, SecretKey key, boolean purged) {
        if (purged) {
            return new AuditLogEntry(row.seq(), TreeSql.hex(leaf), row.id(), row.type(), row.time(), row.source(),
                    null, null, null, null, null, null, null, false, true);
        }
        boolean hasPersonal = row.ip() != null || row.userAgent() != null;
        // A field that does not open is erased too: the subject's key was deleted, and a later
        // event (subject.erased itself names the admin's client) made the subject a new one.
        boolean[] unopened = {false};
        JsonNode data = null;
        if (row.data() != null) {
            try {
                data = json.readTree(row.data());
            } catch (Exception e) {
                throw new IllegalStateException("stored data of row " + row.seq() + " is not JSON", e);
            }
            boolean[] email = {false};
            PersonalData.rewriteEmails(data, (pointer, sealed) -> {
                email[0] = true;
                String opened = personal.openEmail(key, row.id(), pointer, sealed);
                unopened[0] |= opened == null;
                return opened;
            });
            hasPersonal |= email[0];
        }
        String ip = open(key, row, "ip", row.ip(), unopened);
        String userAgent = open(key, row, "userAgent", row.userAgent(), unopened);
        boolean erased = hasPersonal && (key == null || unopened[0]);
        return new AuditLogEntry(row.seq(), TreeSql.hex(leaf), row.id(), row.type(), row.time(), row.source(),
                row.subject(), row.actor(), row.outcome(), ip, userAgent, row.traceId(), data, erased, false);
    }

    /** The plain text of a sealed field, or null when there is none or it does not open under {@code key} (erased). */
    private String open(SecretKey key, AuditRow row, String field, byte[] sealed, boolean[] unopened) {
        if (sealed == null) {
            return null;
        }
        if (key == null) {
            unopened[0] = true;
            return null;
        }
        try {
            return personal.decrypt(key, row.id(), field, sealed);
        } catch (IllegalArgumentException e) {
            unopened[0] = true;
            return null;
        }
    }
}
