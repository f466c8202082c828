package dev.sentinel.systemtests.support;

/** The four services the suite runs: where each one's packaged jar is and which database is its own. */
public enum Service {
    AUTH("auth-service", "auth_e2e"),
    ACCOUNT("account-service", "account_e2e"),
    ADMIN_AUDIT("admin-audit-service", "audit_e2e"),
    NOTIFICATION("notification-service", "notification_e2e");

    private final String module;
    private final String database;

    Service(String module, String database) {
        this.module = module;
        this.database = database;
    }

    /** The Maven module, also the name of its log file in {@code target/e2e-logs/}. */
    public String module() {
        return module;
    }

    /** The suite's own database for this service, dropped and created again at the start of every run. */
    public String database() {
        return database;
    }
}
