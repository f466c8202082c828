package dev.sentinel.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The closed vocabulary of event types (DESIGN §7). Past tense, dotted, additive only:
 * a type is never renamed or removed once published.
 */
public enum EventType {
    /** Data: {@code email}, and {@code language} (a {@code Language} tag, from the sign-up's Accept-Language). */
    USER_REGISTERED("user.registered"),
    USER_EMAIL_VERIFIED("user.email_verified"),
    AUTH_LOGIN_SUCCEEDED("auth.login_succeeded"),
    AUTH_LOGIN_FAILED("auth.login_failed"),
    USER_LOCKED("user.locked"),
    USER_UNLOCKED("user.unlocked"),
    MFA_ENABLED("mfa.enabled"),
    MFA_DISABLED("mfa.disabled"),
    MFA_RECOVERY_CODE_USED("mfa.recovery_code_used"),
    SESSION_REVOKED("session.revoked"),
    SESSION_REFRESH_REUSE_DETECTED("session.refresh_reuse_detected"),
    PASSWORD_RESET_REQUESTED("password.reset_requested"),
    PASSWORD_CHANGED("password.changed"),
    ROLE_GRANTED("role.granted"),
    ROLE_REVOKED("role.revoked"),
    PLAN_CHANGED("plan.changed"),
    LIMITS_CHANGED("limits.changed"),
    SPEND_THRESHOLD_CROSSED("spend.threshold_crossed"),
    SPEND_CAP_REACHED("spend.cap_reached"),
    /**
     * The user chose another preferred language ({@code PATCH /v1/auth/me}); actor is the
     * user. Data: {@code language} and {@code previous} ({@code Language} tags).
     */
    USER_LANGUAGE_CHANGED("user.language_changed"),
    // The admin side (DESIGN §6, §7); every one lands in the audit log.
    SESSION_REVOKED_BY_ADMIN("session.revoked_by_admin"),
    MFA_RESET_BY_ADMIN("mfa.reset_by_admin"),
    APPROVAL_REQUESTED("approval.requested"),
    APPROVAL_GRANTED("approval.granted"),
    APPROVAL_REJECTED("approval.rejected"),
    /** The audit log was read; data: the filters and the row count. */
    AUDIT_READ("audit.read"),
    /** The audit log was exported; data: the format, the filters and the row count. */
    AUDIT_EXPORTED("audit.exported"),
    /** A subject's personal fields in the audit log were erased (its key deleted). */
    SUBJECT_ERASED("subject.erased"),
    /** An email to send; published on {@link Topics#EMAIL_REQUESTS}, data is an {@link EmailRequest}. */
    EMAIL_REQUESTED("email.requested"),
    /**
     * An email request that could not be delivered (unreadable, refused by the server, or
     * out of attempts); published on {@link Topics#EMAIL_REQUESTS_DLQ}. Data: the original
     * {@code eventId}, {@code reason}, {@code attempts}, {@code template}, {@code recipient},
     * {@code locale}, {@code params}, and {@code raw} for a record that could not be read.
     */
    EMAIL_DEAD_LETTERED("email.dead_lettered");

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The type for a wire name; an unknown name is an error, never a silent default. */
    @JsonCreator
    public static EventType fromWireName(String wireName) {
        EventType type = BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new IllegalArgumentException("Unknown event type: " + wireName);
        }
        return type;
    }
}
