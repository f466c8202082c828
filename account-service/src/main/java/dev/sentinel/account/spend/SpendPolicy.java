package dev.sentinel.account.spend;

/**
 * The cap arithmetic, pure and unit-tested without Quarkus. Callers apply it to an account
 * row they hold locked, so what it decides is never based on stale totals.
 */
public final class SpendPolicy {

    private SpendPolicy() {
    }

    /** Whether {@code amount} more fits: spent + reserved + amount must not pass the cap. */
    public static boolean fits(long capCents, long spentCents, long reservedCents, long amountCents) {
        return amountCents <= capCents - spentCents - reservedCents;
    }

    /** What may still be charged or held this period (never negative, even after a lowered cap). */
    public static long remaining(long capCents, long spentCents, long reservedCents) {
        return Math.max(0, capCents - spentCents - reservedCents);
    }

    /** Whether spent has reached the warning threshold (a percentage of the cap). */
    public static boolean warnThresholdReached(long capCents, int warnPercent, long spentCents) {
        return capCents > 0 && spentCents > 0 && spentCents * 100 >= capCents * warnPercent;
    }

    /** Whether spent has reached the cap itself. */
    public static boolean capReached(long capCents, long spentCents) {
        return spentCents >= capCents && spentCents > 0;
    }
}
