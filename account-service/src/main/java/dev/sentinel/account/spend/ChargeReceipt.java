package dev.sentinel.account.spend;

import java.time.Instant;
import java.util.UUID;

/** The answer to an accepted charge: what was charged and the account's new totals. */
public record ChargeReceipt(UUID id, long amountCents, long monthlyCapCents, long spentCents,
        long reservedCents, long remainingCents, Instant periodStart, Instant resetsAt) {
}
