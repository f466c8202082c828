package dev.sentinel.account.plan;

import java.time.Instant;

/** An account's plan as the API shows it. */
public record PlanView(Plan plan, Instant since, long maxMonthlyCapCents) {
}
