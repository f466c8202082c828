package dev.sentinel.account.accounts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BillingPeriodTest {

    @ParameterizedTest(name = "{0} -> [{1}, {2})")
    @CsvSource({
            "2026-11-22T14:00:00Z, 2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "2026-12-31T23:59:59.999Z, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "2027-01-01T00:00:00Z, 2027-01-01T00:00:00Z, 2027-02-01T00:00:00Z",
            "2028-02-29T12:00:00Z, 2028-02-01T00:00:00Z, 2028-03-01T00:00:00Z"})
    void calendarMonthInUtc(String instant, String start, String end) {
        BillingPeriod period = BillingPeriod.containing(Instant.parse(instant));
        assertEquals(Instant.parse(start), period.start());
        assertEquals(Instant.parse(end), period.end());
    }

    @ParameterizedTest(name = "roll over at {1}")
    @CsvSource({
            "2026-11-01T00:00:00Z, 2026-11-30T23:59:59Z, 700, 2026-11-01T00:00:00Z",
            "2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z, 0, 2026-12-01T00:00:00Z",
            "2026-11-01T00:00:00Z, 2027-03-15T10:00:00Z, 0, 2027-03-01T00:00:00Z"})
    void rollOverResetsSpentOnlyInANewMonth(String periodStart, String now, long spentAfter, String startAfter) {
        Account account = new Account();
        account.periodStart = Instant.parse(periodStart);
        account.spentCents = 700;
        account.reservedCents = 50;
        account.rollOver(Instant.parse(now));
        assertEquals(spentAfter, account.spentCents);
        assertEquals(50, account.reservedCents, "holds carry over");
        assertEquals(Instant.parse(startAfter), account.periodStart);
    }
}
