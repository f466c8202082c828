package dev.sentinel.account.spend;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpendPolicyTest {

    @ParameterizedTest(name = "cap {0}, spent {1}, reserved {2}, amount {3} -> fits {4}")
    @CsvSource({
            "1000, 0, 0, 1000, true",
            "1000, 0, 0, 1001, false",
            "1000, 994, 0, 6, true",
            "1000, 994, 0, 7, false",
            "1000, 500, 500, 1, false",
            "1000, 300, 200, 500, true",
            "0, 0, 0, 1, false",
            // a cap lowered below what was already spent refuses everything
            "100, 400, 0, 1, false",
            // no overflow at the extremes
            "9223372036854775807, 0, 0, 9223372036854775807, true",
            "1000, 0, 0, 9223372036854775807, false"})
    void fits(long cap, long spent, long reserved, long amount, boolean fits) {
        assertEquals(fits, SpendPolicy.fits(cap, spent, reserved, amount));
    }

    @ParameterizedTest(name = "cap {0}, spent {1}, reserved {2} -> remaining {3}")
    @CsvSource({"1000, 0, 0, 1000", "1000, 994, 0, 6", "1000, 400, 100, 500", "100, 400, 0, 0", "0, 0, 0, 0"})
    void remaining(long cap, long spent, long reserved, long remaining) {
        assertEquals(remaining, SpendPolicy.remaining(cap, spent, reserved));
    }

    @ParameterizedTest(name = "cap {0}, warn {1}%, spent {2} -> reached {3}")
    @CsvSource({
            "1000, 80, 799, false",
            "1000, 80, 800, true",
            "1000, 80, 994, true",
            "1000, 100, 999, false",
            "1000, 100, 1000, true",
            "0, 80, 0, false",
            "1000, 1, 0, false",
            "1000, 1, 10, true",
            "333, 50, 166, false",
            "333, 50, 167, true"})
    void warnThreshold(long cap, int percent, long spent, boolean reached) {
        assertEquals(reached, SpendPolicy.warnThresholdReached(cap, percent, spent));
    }

    @ParameterizedTest(name = "cap {0}, spent {1} -> cap reached {2}")
    @CsvSource({"1000, 999, false", "1000, 1000, true", "100, 400, true", "0, 0, false"})
    void capReached(long cap, long spent, boolean reached) {
        assertEquals(reached, SpendPolicy.capReached(cap, spent));
    }
}
