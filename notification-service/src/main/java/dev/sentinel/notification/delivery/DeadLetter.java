package dev.sentinel.notification.delivery;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A dead letter as the admin API shows it (no parameters: they may hold one-time tokens).
 *
 * @param redrivable false for records that were never a usable request (not JSON, unknown template…)
 */
public record DeadLetter(UUID eventId, String template, String recipient, String locale, String reason,
        int attempts, boolean redrivable, OffsetDateTime receivedAt, OffsetDateTime deadAt) {

    static DeadLetter of(Delivery d) {
        return new DeadLetter(d.eventId, d.template, d.recipient, d.locale, d.lastError, d.attempts, d.redrivable,
                d.receivedAt, d.deadAt);
    }
}
