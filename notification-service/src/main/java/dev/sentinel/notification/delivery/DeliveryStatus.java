package dev.sentinel.notification.delivery;

/** Where a delivery stands; see the {@code delivery} table. */
public enum DeliveryStatus {
    /** Waiting to be sent, or to be retried at {@code next_attempt_at}. */
    PENDING,
    SENT,
    /** Over the per-recipient limit: recorded, never sent, never retried. */
    SUPPRESSED,
    /** Given up and parked in the dead-letter topic; an admin may redrive it. */
    DEAD
}
