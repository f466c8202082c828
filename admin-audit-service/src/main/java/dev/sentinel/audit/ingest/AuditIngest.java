package dev.sentinel.audit.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.audit.crypto.BlindIndex;
import dev.sentinel.audit.crypto.PersonalData;
import dev.sentinel.audit.tree.AuditRow;
import dev.sentinel.audit.tree.Frontier;
import dev.sentinel.audit.tree.Merkle;
import dev.sentinel.audit.tree.TreeSql;
import dev.sentinel.contracts.messaging.ParkedRecords;
import dev.sentinel.contracts.messaging.ProcessedEvents;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import javax.crypto.SecretKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Appends one polled batch to the audit log in one transaction: under the append lock it
 * reads the tree size, keeps the events this consumer has not seen before (by event id,
 * {@link ProcessedEvents}), encrypts their personal fields under their owners' keys, inserts
 * the rows with consecutive seq and their leaf hashes, and stores the interior nodes that
 * became complete. Unreadable records of the batch are parked (shared {@code parked_record})
 * in the same transaction.
 */
@ApplicationScoped
public class AuditIngest {

    /** Our name in processed_event. */
    static final String CONSUMER = "admin-audit-service.audit-log";
    private static final int ROWS_PER_INSERT = 200;
    private static final int NODES_PER_INSERT = 500;

    private final ProcessedEvents processed;
    private final PersonalData personal;
    private final ObjectMapper json;
    private final BlindIndex index;

    public AuditIngest(ProcessedEvents processed, PersonalData personal, ObjectMapper json, BlindIndex index) {
        this.processed = processed;
        this.personal = personal;
        this.json = json;
        this.index = index;
    }

    /**
     * A record to park in the shared {@code parked_record}: where it was, its key and event id
     * (from the {@code ce_id} header, when readable), why it was refused, and its value.
     */
    public record Park(String topic, int partition, long offset, String key, UUID eventId, String reason, String value) {
    }

    /** What a committed batch did. */
    public record Appended(int rows, int parked, long treeSize, Instant newestEventTime) {
    }

    @WithSpan("audit.append")
    @WithTransaction
    public Uni<Appended> append(List<SecurityEvent> events, List<Park> parks) {
        return Panache.getSession().chain(session -> session.createNativeQuery(TreeSql.LOCK).getSingleResult()
                .chain(locked -> session.createNativeQuery(TreeSql.SIZE, Long.class).getSingleResult())
                .chain(size -> fresh(events).chain(fresh -> notLogged(session, fresh)).chain(fresh -> write(session, size, fresh)))
                .chain(appended -> park(session, parks).map(parked ->
                        new Appended(appended.rows(), parked, appended.treeSize(), appended.newestEventTime()))));
    }

    /** The events whose id this consumer records now for the first time, in batch order. */
    private Uni<List<SecurityEvent>> fresh(List<SecurityEvent> events) {
        List<SecurityEvent> fresh = new ArrayList<>();
        return Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(event -> processed.once(CONSUMER, event.id(), () -> {
                    fresh.add(event);
                    return Uni.createFrom().voidItem();
                }))
                .collect().last()
                .replaceWith(fresh);
    }

    /**
     * Drops events already in the log. Only an event redelivered after its processed_event
     * record was purged gets here; without this its unique event id would fail the batch
     * again on every retry.
     */
    private static Uni<List<SecurityEvent>> notLogged(Mutiny.Session session, List<SecurityEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(events);
        }
        return session.createNativeQuery("select event_id from audit_log where event_id in (:ids)", UUID.class)
                .setParameter("ids", events.stream().map(SecurityEvent::id).toList())
                .getResultList()
                .map(logged -> {
                    if (logged.isEmpty()) {
                        return events;
                    }
                    Set<UUID> known = Set.copyOf(logged);
                    return events.stream().filter(event -> !known.contains(event.id())).toList();
                });
    }

    private Uni<Appended> write(Mutiny.Session session, long size, List<SecurityEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new Appended(0, 0, size, Instant.EPOCH));
        }
        return keys(session, events).chain(keys -> frontier(session, size).chain(frontier -> {
            List<AuditRow> rows = new ArrayList<>(events.size());
            List<Frontier.Node> nodes = new ArrayList<>();
            List<byte[]> leaves = new ArrayList<>(events.size());
            List<byte[]> ipIndexes = new ArrayList<>(events.size());
            Instant newest = Instant.EPOCH;
            for (SecurityEvent event : events) {
                AuditRow row = row(size + rows.size(), event, keys);
                byte[] leaf = row.leafHash();
                rows.add(row);
                leaves.add(leaf);
                ipIndexes.add(row.ip() == null ? null : index.ip(event.ip()));
                nodes.addAll(frontier.append(leaf));
                newest = event.time().isAfter(newest) ? event.time() : newest;
            }
            Instant newestTime = newest;
            return insertRows(session, rows, leaves, ipIndexes)
                    .chain(() -> insertNodes(session, nodes))
                    .replaceWith(new Appended(rows.size(), 0, frontier.size(), newestTime));
        }));
    }

    /** The stored form of an event: personal fields sealed under its owner's key. */
    private AuditRow row(long seq, SecurityEvent event, Map<String, SecretKey> keys) {
        String id = event.id().toString();
        SecretKey key = keys.get(PersonalData.owner(event.subject(), id));
        String data = null;
        if (event.data() != null) {
            var copy = event.data().deepCopy();
            PersonalData.rewriteEmails(copy, (pointer, email) -> personal.sealEmail(key, id, pointer, email));
            try {
                data = json.writeValueAsString(copy);
            } catch (Exception e) {
                throw new IllegalStateException("data of " + id + " cannot be written back as JSON", e);
            }
        }
        return new AuditRow(seq, id, event.type(), AuditRow.time(event.time()), event.source(), event.subject(),
                event.actor(), event.outcome(),
                key == null ? null : personal.encrypt(key, id, "ip", event.ip()),
                key == null ? null : personal.encrypt(key, id, "userAgent", event.userAgent()),
                event.traceId(), data);
    }

    /** The data keys of the owners that have personal fields in this batch, made when missing. */
    private Uni<Map<String, SecretKey>> keys(Mutiny.Session session, List<SecurityEvent> events) {
        Set<String> owners = new LinkedHashSet<>();
        for (SecurityEvent event : events) {
            AtomicBoolean email = new AtomicBoolean();
            if (event.data() != null) {
                PersonalData.rewriteEmails(event.data().deepCopy(), (pointer, value) -> {
                    email.set(true);
                    return value;
                });
            }
            if (event.hasPersonalFields(email.get())) {
                owners.add(PersonalData.owner(event.subject(), event.id().toString()));
            }
        }
        if (owners.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        StringBuilder insert = new StringBuilder("insert into audit_subject_key (owner, wrapped_key) values ");
        int i = 0;
        for (String ignored : owners) {
            insert.append(i == 0 ? "" : ", ").append("(:o").append(i).append(", decode(:w").append(i).append(", 'hex'))");
            i++;
        }
        insert.append(" on conflict (owner) do nothing");
        var query = session.createNativeQuery(insert.toString());
        i = 0;
        for (String owner : owners) {
            query.setParameter("o" + i, owner).setParameter("w" + i, TreeSql.hex(personal.newWrappedKey(owner)));
            i++;
        }
        return query.executeUpdate()
                .chain(() -> session.createNativeQuery(
                                "select owner, encode(wrapped_key, 'hex') from audit_subject_key where owner in (:owners)",
                                Object[].class)
                        .setParameter("owners", List.copyOf(owners)).getResultList())
                .map(found -> {
                    Map<String, SecretKey> keys = new HashMap<>();
                    for (Object[] row : found) {
                        String owner = (String) row[0];
                        keys.put(owner, personal.unwrap(owner, TreeSql.unhex((String) row[1])));
                    }
                    return keys;
                });
    }

    /** The right edge of the stored tree of {@code size} leaves. */
    private static Uni<Frontier> frontier(Mutiny.Session session, long size) {
        String sql = TreeSql.nodes(Merkle.frontier(size));
        if (sql == null) {
            return Uni.createFrom().item(Frontier.empty());
        }
        return session.createNativeQuery(sql, Object[].class).getResultList().map(found -> {
            Map<Merkle.NodeId, byte[]> nodes = new HashMap<>();
            for (Object[] row : found) {
                nodes.put(new Merkle.NodeId(((Number) row[0]).intValue(), ((Number) row[1]).longValue()),
                        TreeSql.unhex((String) row[2]));
            }
            return new Frontier(size, TreeSql.source(nodes));
        });
    }

    private static Uni<Void> insertRows(Mutiny.Session session, List<AuditRow> rows, List<byte[]> leaves,
            List<byte[]> ipIndexes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            int start = from;
            int end = Math.min(rows.size(), from + ROWS_PER_INSERT);
            chain = chain.chain(() -> insertRowChunk(session, rows.subList(start, end), leaves.subList(start, end),
                    ipIndexes.subList(start, end)));
        }
        return chain;
    }

    /**
     * One multi-row insert. Parameters are all text or numbers: the uuid and timestamptz
     * columns are cast from text in SQL (PostgreSQL would otherwise type the parameter itself
     * and the client refuse a string for it); absent texts are sent as '' and nulled there.
     * {@code ip_index} is the blind index of the plain ip (README, Search), outside the leaf.
     */
    private static Uni<Void> insertRowChunk(Mutiny.Session session, List<AuditRow> rows, List<byte[]> leaves,
            List<byte[]> ipIndexes) {
        StringBuilder sql = new StringBuilder("""
                insert into audit_log (seq, event_id, type, time, source, subject, actor, outcome, ip, user_agent,
                                       trace_id, data, leaf_hash, ip_index) values\s""");
        for (int i = 0; i < rows.size(); i++) {
            String n = Integer.toString(i);
            sql.append(i == 0 ? "" : ", ").append("(:seq").append(n)
                    .append(", cast(cast(:id").append(n).append(" as text) as uuid), :type").append(n)
                    .append(", cast(cast(:time").append(n).append(" as text) as timestamptz), :source").append(n)
                    .append(", nullif(:subject").append(n).append(", ''), nullif(:actor").append(n)
                    .append(", ''), nullif(:outcome").append(n).append(", ''), decode(nullif(:ip").append(n)
                    .append(", ''), 'hex'), decode(nullif(:ua").append(n).append(", ''), 'hex'), nullif(:trace").append(n)
                    .append(", ''), nullif(:data").append(n).append(", ''), decode(:leaf").append(n)
                    .append(", 'hex'), decode(nullif(:ipx").append(n).append(", ''), 'hex'))");
        }
        var query = session.createNativeQuery(sql.toString());
        for (int i = 0; i < rows.size(); i++) {
            AuditRow row = rows.get(i);
            String n = Integer.toString(i);
            query.setParameter("seq" + n, row.seq())
                    .setParameter("id" + n, row.id())
                    .setParameter("type" + n, row.type())
                    .setParameter("time" + n, row.time())
                    .setParameter("source" + n, row.source())
                    .setParameter("subject" + n, orEmpty(row.subject()))
                    .setParameter("actor" + n, orEmpty(row.actor()))
                    .setParameter("outcome" + n, orEmpty(row.outcome()))
                    .setParameter("ip" + n, row.ip() == null ? "" : TreeSql.hex(row.ip()))
                    .setParameter("ua" + n, row.userAgent() == null ? "" : TreeSql.hex(row.userAgent()))
                    .setParameter("trace" + n, orEmpty(row.traceId()))
                    .setParameter("data" + n, orEmpty(row.data()))
                    .setParameter("leaf" + n, TreeSql.hex(leaves.get(i)))
                    .setParameter("ipx" + n, ipIndexes.get(i) == null ? "" : TreeSql.hex(ipIndexes.get(i)));
        }
        return query.executeUpdate().replaceWithVoid();
    }

    private static Uni<Void> insertNodes(Mutiny.Session session, List<Frontier.Node> nodes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < nodes.size(); from += NODES_PER_INSERT) {
            List<Frontier.Node> chunk = nodes.subList(from, Math.min(nodes.size(), from + NODES_PER_INSERT));
            chain = chain.chain(() -> {
                StringBuilder sql = new StringBuilder("insert into audit_node (level, idx, hash) values ");
                for (int i = 0; i < chunk.size(); i++) {
                    Frontier.Node node = chunk.get(i);
                    sql.append(i == 0 ? "" : ", ").append('(').append(node.level()).append(", ").append(node.index())
                            .append(", decode(:h").append(i).append(", 'hex'))");
                }
                var query = session.createNativeQuery(sql.toString());
                for (int i = 0; i < chunk.size(); i++) {
                    query.setParameter("h" + i, TreeSql.hex(chunk.get(i).hash()));
                }
                return query.executeUpdate().replaceWithVoid();
            });
        }
        return chain;
    }

    /**
     * Parks the batch's unreadable records in the shared {@code parked_record} (consumer
     * {@value #CONSUMER}) inside the batch transaction, bounded as {@link ParkedRecords} bounds
     * them; answers how many were new (a redelivered record is parked, and counted, once).
     */
    private static Uni<Integer> park(Mutiny.Session session, List<Park> parks) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (Park park : parks) {
            chain = chain.chain(done -> session.createNativeQuery("""
                            insert into parked_record (consumer, topic, kafka_partition, kafka_offset, message_key, event_id,
                                                       reason, raw_value, value_length)
                            values (:consumer, :topic, :partition, :offset, nullif(:key, ''),
                                    cast(nullif(cast(:eventId as text), '') as uuid), :reason,
                                    case when :length < 0 then null else :raw end, nullif(:length, -1))
                            on conflict do nothing""")
                    .setParameter("consumer", CONSUMER)
                    .setParameter("topic", park.topic())
                    .setParameter("partition", park.partition())
                    .setParameter("offset", park.offset())
                    .setParameter("key", orEmpty(ParkedRecords.bounded(park.key(), ParkedRecords.KEY_LIMIT)))
                    .setParameter("eventId", park.eventId() == null ? "" : park.eventId().toString())
                    .setParameter("reason", ParkedRecords.bounded(park.reason(), ParkedRecords.REASON_LIMIT))
                    .setParameter("raw", orEmpty(ParkedRecords.bounded(park.value(), ParkedRecords.RAW_LIMIT)))
                    .setParameter("length", park.value() == null ? -1 : park.value().length())
                    .executeUpdate().map(inserted -> done + inserted));
        }
        return chain;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
