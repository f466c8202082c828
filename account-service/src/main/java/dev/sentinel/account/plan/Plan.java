package dev.sentinel.account.plan;

/** The plans an account can be on; each has a maximum monthly cap (see {@link PlanCatalog}). */
public enum Plan {
    FREE,
    PRO
}
