package dev.sentinel.audit.approval;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Set;

/** Four-eyes approvals of the admin console (README, "Four-eyes approvals"). */
@ConfigMapping(prefix = "admin.approvals")
public interface ApprovalsConfig {

    /**
     * env ADMIN_APPROVALS_REQUIRED_FOR: the actions a second ADMIN must approve, comma-separated
     * ({@code grant-admin}, {@code reset-2fa-admin}, {@code erase-subject}); {@code none} for no
     * action. An unknown name stops the service at start.
     */
    @WithDefault("grant-admin,reset-2fa-admin,erase-subject")
    Set<String> requiredFor();

    /** env ADMIN_APPROVALS_TTL: how long a pending approval can be approved or rejected. */
    @WithDefault("24h")
    Duration ttl();
}
