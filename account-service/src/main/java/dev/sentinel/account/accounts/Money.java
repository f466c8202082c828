package dev.sentinel.account.accounts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How amounts and period ends read in emails: money is integer cents of USD, times are UTC. */
public final class Money {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Money() {
    }

    /** {@code 123456} → {@code "1,234.56 USD"}. */
    public static String display(long cents) {
        String sign = cents < 0 ? "-" : "";
        long abs = Math.abs(cents);
        return String.format(Locale.ROOT, "%s%,d.%02d USD", sign, abs / 100, abs % 100);
    }

    public static String displayTime(Instant instant) {
        return TIME.format(instant);
    }
}
