package dev.sentinel.audit.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.audit.read.AuditSearch;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.outbox.OutboxWriter;
import dev.sentinel.contracts.web.ClientAddress;
import dev.sentinel.contracts.web.TraceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.function.Consumer;

/**
 * The audit log's own accesses, as security events about the admin who made them (README,
 * "Reads are audited"): {@code audit.read}, {@code audit.exported}, {@code subject.erased} and the
 * four-eyes steps ({@code approval.requested}, {@code .granted}, {@code .rejected}),
 * written to this service's outbox (the shared {@link OutboxWriter} in a transaction of its
 * own, or in the caller's) and published to {@code security-events} by the shared relay, from
 * where this service's own consumer appends them to the log like any other event.
 */
@ApplicationScoped
public class AccessAudit {

    public static final String SOURCE = "admin-audit-service";
    /** A user agent is cut here before it is recorded (ingest keeps at most 1,024). */
    static final int MAX_USER_AGENT = 512;
    /** What an {@code ip} filter is recorded as: the address is someone's personal data and would outlive their erasure. */
    public static final String REDACTED = "[redacted]";

    private final OutboxWriter outbox;
    private final ObjectMapper json;

    public AccessAudit(OutboxWriter outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /**
     * Who made a request, taken while the request is current: the admin (the token's subject),
     * the client address (through the shared {@link ClientAddress} rules), the user agent and
     * the trace id. Taken up front, because an export records its event when the stream ends.
     */
    public record Caller(String admin, String ip, String userAgent, String traceId) {

        public static Caller of(JsonWebToken jwt, HttpServerRequest request) {
            String userAgent = request.getHeader("User-Agent");
            if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
                userAgent = userAgent.substring(0, MAX_USER_AGENT);
            }
            return new Caller(jwt.getSubject(), ClientAddress.of(request), userAgent, TraceIds.current());
        }
    }

    /** A fresh object for an event's data. */
    public ObjectNode data(Consumer<ObjectNode> fill) {
        ObjectNode data = json.createObjectNode();
        fill.accept(data);
        return data;
    }

    /** The filters of a search or export as recorded: every given one, an ip as {@link #REDACTED}. */
    public ObjectNode filters(AuditSearch search) {
        ObjectNode filters = json.createObjectNode();
        put(filters, "actor", search.actor());
        put(filters, "subject", search.subject());
        if (!search.types().isEmpty()) {
            search.types().forEach(filters.putArray("type")::add);
        }
        put(filters, "outcome", search.outcome());
        put(filters, "ip", search.ip() == null ? null : REDACTED);
        put(filters, "traceId", search.traceId());
        put(filters, "from", search.from() == null ? null : search.from().toString());
        put(filters, "to", search.to() == null ? null : search.to().toString());
        return filters;
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /**
     * Records an access by {@code caller} in a transaction of its own; the answer waits for its
     * commit, so no read is answered without its record (a failure fails the request).
     */
    public Uni<Void> record(EventType type, Caller caller, String outcome, ObjectNode data) {
        return Panache.withTransaction(() -> append(type, caller.admin(), caller, outcome, data));
    }

    /**
     * Appends an event inside the caller's transaction (the erasure writes it with the change).
     * {@code subject} is whom it is about: the admin for reads, the erased subject for an erasure.
     */
    public Uni<Void> append(EventType type, String subject, Caller caller, String outcome, ObjectNode data) {
        EventEnvelope event = EventEnvelope.of(type, SOURCE).subject(subject).actor(caller.admin())
                .client(caller.ip(), caller.userAgent()).outcome(outcome).traceId(caller.traceId()).data(data).build();
        return outbox.append(Topics.SECURITY_EVENTS, subject, event);
    }
}
