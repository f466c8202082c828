package dev.sentinel.contracts.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** The emails the notification service knows how to render (DESIGN §8). */
public enum EmailTemplate {
    VERIFY_EMAIL("verify-email"),
    REGISTER_ATTEMPT("register-attempt"),
    PASSWORD_RESET("password-reset"),
    PASSWORD_CHANGED("password-changed"),
    ACCOUNT_LOCKED("account-locked"),
    NEW_SIGN_IN("new-sign-in"),
    MFA_ENABLED("mfa-enabled"),
    MFA_DISABLED("mfa-disabled"),
    RECOVERY_CODE_USED("recovery-code-used"),
    SPEND_WARNING("spend-warning"),
    SPEND_CAP_REACHED("spend-cap-reached");

    private final String wireName;

    EmailTemplate(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
