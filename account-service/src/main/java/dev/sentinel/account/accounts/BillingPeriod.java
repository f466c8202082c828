package dev.sentinel.account.accounts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** A billing period: the calendar month in UTC, from its first instant to the next month's (exclusive). */
public record BillingPeriod(Instant start, Instant end) {

    /** The period that contains {@code instant}. */
    public static BillingPeriod containing(Instant instant) {
        LocalDate first = instant.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        ZonedDateTime start = first.atStartOfDay(ZoneOffset.UTC);
        return new BillingPeriod(start.toInstant(), start.plusMonths(1).toInstant());
    }

    /** The period that starts at {@code start} (a first instant of a month). */
    public static BillingPeriod startingAt(Instant start) {
        return containing(start);
    }
}
