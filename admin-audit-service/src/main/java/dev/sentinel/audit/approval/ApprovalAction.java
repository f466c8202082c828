package dev.sentinel.audit.approval;

import java.util.Arrays;
import java.util.Optional;

/**
 * The admin console's actions that may need a second ADMIN (DESIGN §6, "Four-eyes"), by the
 * names {@code admin.approvals.required-for} and the API use.
 */
public enum ApprovalAction {
    /** Giving a user the ADMIN role they do not have (POST users/{id}/roles). */
    GRANT_ADMIN("grant-admin"),
    /** Turning off the 2FA of a user who is an ADMIN (POST users/{id}/reset-2fa). */
    RESET_ADMIN_MFA("reset-2fa-admin"),
    /** Erasing a subject's personal fields from the audit log (POST audit-logs/subjects/{id}/erase). */
    ERASE_SUBJECT("erase-subject");

    private final String wireName;

    ApprovalAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ApprovalAction> of(String wireName) {
        return Arrays.stream(values()).filter(action -> action.wireName.equals(wireName)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
