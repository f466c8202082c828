package dev.sentinel.account.accounts;

import dev.sentinel.account.plan.Plan;
import dev.sentinel.contracts.i18n.Language;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A user's account: plan, cap and the totals of the current billing period. Loaded under a
 * row lock by every operation that changes spend, so decisions on it are never stale.
 */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public String userId;
    public String email;
    /** The owner's preferred language, a {@link Language} tag: the locale of the spend emails. */
    public String language = Language.FALLBACK.tag();
    @Enumerated(EnumType.STRING)
    public Plan plan;
    @Column(name = "plan_since")
    public Instant planSince;
    @Column(name = "monthly_cap_cents")
    public long monthlyCapCents;
    @Column(name = "warn_threshold_percent")
    public int warnThresholdPercent;
    @Column(name = "period_start")
    public Instant periodStart;
    @Column(name = "spent_cents")
    public long spentCents;
    @Column(name = "reserved_cents")
    public long reservedCents;
    @Column(name = "warned_period_start")
    public Instant warnedPeriodStart;
    @Column(name = "cap_reached_period_start")
    public Instant capReachedPeriodStart;

    public BillingPeriod period() {
        return BillingPeriod.startingAt(periodStart);
    }

    /**
     * Starts the period containing {@code now} if the stored one is over: spent returns to
     * zero and the once-per-period notices may fire again. Holds carry over (they were
     * granted against the old period and are settled by commit, release or expiry).
     */
    public void rollOver(Instant now) {
        BillingPeriod current = BillingPeriod.containing(now);
        if (current.start().isAfter(periodStart)) {
            periodStart = current.start();
            spentCents = 0;
        }
    }

    /**
     * Spent, reserved and period as {@code Holds.settle} and {@link #rollOver} would leave
     * them at {@code now}, given the cents of the holds already due, without changing this row:
     * what a read shows.
     */
    public Totals totalsAt(Instant now, long dueHoldCents) {
        BillingPeriod current = BillingPeriod.containing(now);
        boolean newPeriod = current.start().isAfter(periodStart);
        return new Totals(newPeriod ? 0 : spentCents, Math.max(0, reservedCents - dueHoldCents),
                newPeriod ? current : period());
    }

    /** The running totals of a period. */
    public record Totals(long spentCents, long reservedCents, BillingPeriod period) {
    }

    public boolean warnedThisPeriod() {
        return periodStart.equals(warnedPeriodStart);
    }

    public boolean capReachedThisPeriod() {
        return periodStart.equals(capReachedPeriodStart);
    }
}
