package dev.sentinel.contracts.security;

import java.util.Set;

/** The role names carried in the JWT {@code groups} claim; the only place they are spelled. */
public final class Roles {

    public static final String ADMIN = "ADMIN";
    public static final String USER = "USER";
    public static final String BILLING_ADMIN = "BILLING_ADMIN";
    public static final String SUPPORT = "SUPPORT";
    /** A machine client authenticated with client_credentials. */
    public static final String SERVICE = "SERVICE";

    public static final Set<String> ALL = Set.of(ADMIN, USER, BILLING_ADMIN, SUPPORT, SERVICE);

    private Roles() {
    }
}
