package dev.sentinel.contracts.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EventEnvelope;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes an event to the outbox inside the caller's reactive transaction, so the event
 * exists if and only if the state change it announces was committed. Call it from a
 * service method running under {@code @WithTransaction}; outside a transaction it fails.
 */
@ApplicationScoped
public class OutboxWriter {

    private static final String INSERT = """
            insert into outbox (id, topic, message_key, event_type, payload, traceparent)
            values (:id, :topic, :key, :type, cast(cast(:payload as text) as jsonb), :traceparent)""";

    private final ObjectMapper json;

    public OutboxWriter(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param topic the Kafka topic (see {@code Topics})
     * @param key   the Kafka key: the subject user id for security events, the recipient for emails
     */
    public Uni<Void> append(String topic, String key, EventEnvelope event) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("Event cannot be serialised", e));
        }
        String traceparent = currentTraceparent();
        return Panache.currentTransaction()
                .onItem().ifNull().failWith(() -> new IllegalStateException(
                        "OutboxWriter.append must run inside the transaction of the change it announces"))
                .chain(tx -> Panache.getSession())
                .chain(session -> session.createNativeQuery(INSERT)
                        .setParameter("id", event.id())
                        .setParameter("topic", topic)
                        .setParameter("key", key)
                        .setParameter("type", event.type().wireName())
                        .setParameter("payload", payload)
                        .setParameter("traceparent", traceparent)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static String currentTraceparent() {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.getOrDefault("traceparent", "");
    }
}
