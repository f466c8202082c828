package dev.sentinel.notification.delivery;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Queries on {@link Delivery}; callers own the transaction. */
@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<Delivery, UUID> {

    private static final String DUE = """
            select * from delivery
             where status = 'PENDING' and next_attempt_at <= now()
               and (claimed_until is null or claimed_until < now())
             order by next_attempt_at
             limit :limit
             for update skip locked""";

    /**
     * Serialises limit decisions for one recipient and bucket until the transaction ends,
     * so two replicas can never both let the tenth-plus-one mail through.
     */
    public Uni<Void> lockRecipient(String recipientKey, String bucket) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select cast(pg_advisory_xact_lock(hashtext(:key)) as text)")
                .setParameter("key", recipientKey + "|" + bucket)
                .getSingleResult()).replaceWithVoid();
    }

    /** Mails to this recipient and bucket that went out or will, received since {@code since}. */
    public Uni<Long> countCounted(String recipientKey, String bucket, OffsetDateTime since) {
        return count("recipientKey = :key and limitBucket = :bucket and receivedAt > :since and status in :statuses",
                Parameters.with("key", recipientKey).and("bucket", bucket).and("since", since)
                        .and("statuses", List.of(DeliveryStatus.PENDING, DeliveryStatus.SENT)));
    }

    /** Due mails no other sender holds, locked for the caller's transaction. */
    public Uni<List<Delivery>> lockDue(int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery(DUE, Delivery.class)
                .setParameter("limit", limit)
                .getResultList());
    }

    public Uni<List<Delivery>> deadLetters(int limit) {
        return find("status", Sort.descending("deadAt").and("eventId"), DeliveryStatus.DEAD).page(0, limit).list();
    }

    /** Dead letters that may be sent again, back to PENDING now with a fresh attempt budget. */
    public Uni<Integer> redrive(UUID eventId, OffsetDateTime now) {
        return update("""
                status = ?1, attempts = 0, nextAttemptAt = ?2, claimedUntil = null, redrivenAt = ?2, deadAt = null
                 where eventId = ?3 and status = ?4 and redrivable = true""",
                DeliveryStatus.PENDING, now, eventId, DeliveryStatus.DEAD);
    }

    public Uni<Integer> redriveAll(OffsetDateTime now) {
        return update("""
                status = ?1, attempts = 0, nextAttemptAt = ?2, claimedUntil = null, redrivenAt = ?2, deadAt = null
                 where status = ?3 and redrivable = true""",
                DeliveryStatus.PENDING, now, DeliveryStatus.DEAD);
    }
}
