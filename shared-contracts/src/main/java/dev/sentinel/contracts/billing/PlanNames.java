package dev.sentinel.contracts.billing;

import java.util.List;

/**
 * The plan names account-service defines (its {@code Plan} enum, which a test of account-service
 * holds equal to this list), for services that take a plan as input — the admin console's
 * {@code plan} filter — and must refuse an unknown one before asking account.
 */
public final class PlanNames {

    public static final String FREE = "FREE";
    public static final String PRO = "PRO";

    /** In account-service's order. */
    public static final List<String> ALL = List.of(FREE, PRO);

    private PlanNames() {
    }
}
