package dev.sentinel.account.accounts;

import dev.sentinel.account.plan.Plan;

/** The defaults an account starts with. */
public record NewAccount(String userId, String email, Plan plan, long monthlyCapCents, int warnThresholdPercent) {
}
