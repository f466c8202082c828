package dev.sentinel.account.plan;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanPolicyTest {

    @ParameterizedTest(name = "cap {0}, old max {1}, new max {2} -> {3}")
    @CsvSource({
            // upgrade: a cap at the old plan's maximum follows to the new one; a lower cap stays
            "1000, 1000, 1000000, 1000000",
            "500, 1000, 1000000, 500",
            // downgrade: a cap above the new maximum is lowered to it; a lower cap stays
            "1000000, 1000000, 1000, 1000",
            "250000, 1000000, 1000, 1000",
            "700, 1000000, 1000, 700",
            "0, 1000000, 1000, 0"})
    void capAfterChange(long cap, long oldMax, long newMax, long expected) {
        assertEquals(expected, PlanPolicy.capAfterChange(cap, oldMax, newMax));
    }
}
