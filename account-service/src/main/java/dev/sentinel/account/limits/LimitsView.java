package dev.sentinel.account.limits;

import java.time.Instant;

/** An account's cap and where the current period stands. */
public record LimitsView(long monthlyCapCents, long maxMonthlyCapCents, int warnThresholdPercent, long spentCents,
        long reservedCents, long remainingCents, Instant periodStart, Instant periodEnd) {
}
