package dev.sentinel.account.plan;

import dev.sentinel.account.config.AccountConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** What each plan allows, from configuration. */
@ApplicationScoped
public class PlanCatalog {

    private final AccountConfig config;

    public PlanCatalog(AccountConfig config) {
        this.config = config;
    }

    /** The largest monthly cap an account on this plan may set, in cents. */
    public long maxMonthlyCapCents(Plan plan) {
        return switch (plan) {
            case FREE -> config.freeMaxMonthlyCapCents();
            case PRO -> config.proMaxMonthlyCapCents();
        };
    }

    /** The plan of an account created by registration or first use. */
    public Plan defaultPlan() {
        return Plan.FREE;
    }

    public int defaultWarnThresholdPercent() {
        return config.defaultWarnThresholdPercent();
    }
}
