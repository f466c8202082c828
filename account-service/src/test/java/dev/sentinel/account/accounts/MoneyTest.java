package dev.sentinel.account.accounts;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MoneyTest {

    @ParameterizedTest(name = "{0} cents -> {1}")
    @CsvSource(delimiter = '|', value = {"0|0.00 USD", "7|0.07 USD", "1000|10.00 USD", "123456|1,234.56 USD",
            "1000000|10,000.00 USD", "-250|-2.50 USD"})
    void display(long cents, String text) {
        assertEquals(text, Money.display(cents));
    }

    @ParameterizedTest
    @CsvSource({"2026-12-01T00:00:00Z, 2026-12-01 00:00 UTC", "2031-02-01T00:00:00Z, 2031-02-01 00:00 UTC"})
    void displayTime(String instant, String text) {
        assertEquals(text, Money.displayTime(Instant.parse(instant)));
    }
}
