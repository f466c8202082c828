package dev.sentinel.account.spend;

import java.time.Instant;
import java.util.UUID;

/** A reservation and the account's totals after the operation on it. */
public record ReservationReceipt(UUID id, ReservationStatus status, long heldCents, Long committedCents,
        Instant expiresAt, long monthlyCapCents, long spentCents, long reservedCents, long remainingCents,
        Instant resetsAt) {
}
