package dev.sentinel.contracts.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The idempotent-consumer rule: an event's effect is applied at most once per consumer.
 * {@link #once} records {@code (consumer, event id)} with {@code ON CONFLICT DO NOTHING}
 * in the caller's transaction and runs the effect only when that insert happened, so the
 * record and the effect commit or roll back together. Kafka redeliveries, rebalances and
 * duplicate publishes by the outbox relay then have no second effect.
 */
@ApplicationScoped
public class ProcessedEvents {

    private static final String RECORD = """
            insert into processed_event (consumer, event_id) values (:consumer, :eventId)
            on conflict do nothing""";

    /**
     * Runs {@code effect} if this consumer has not processed {@code eventId} before.
     * Must be called inside a transaction ({@code Panache.withTransaction} or
     * {@code @WithTransaction}). Emits true when the effect ran, false for a duplicate.
     */
    public Uni<Boolean> once(String consumer, UUID eventId, Supplier<Uni<?>> effect) {
        return Panache.currentTransaction()
                .onItem().ifNull().failWith(() -> new IllegalStateException(
                        "ProcessedEvents.once must run inside the transaction that applies the effect"))
                .chain(tx -> Panache.getSession())
                .chain(session -> session.createNativeQuery(RECORD)
                        .setParameter("consumer", consumer)
                        .setParameter("eventId", eventId)
                        .executeUpdate())
                .chain(inserted -> inserted == 1
                        ? effect.get().replaceWith(Boolean.TRUE)
                        : Uni.createFrom().item(Boolean.FALSE));
    }
}
