package dev.sentinel.account.plan;

/** What a plan change does to the monthly cap. Pure arithmetic, unit-tested without Quarkus. */
public final class PlanPolicy {

    private PlanPolicy() {
    }

    /**
     * The cap after moving from a plan with maximum {@code oldMax} to one with {@code newMax}:
     * a cap that sat at the old maximum (the plan's default) follows to the new maximum; a
     * cap above the new maximum is lowered to it (a downgrade); any other cap is kept.
     */
    public static long capAfterChange(long cap, long oldMax, long newMax) {
        if (cap == oldMax) {
            return newMax;
        }
        return Math.min(cap, newMax);
    }
}
