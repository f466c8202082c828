package dev.sentinel.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.sentinel.contracts.events.EmailParams.CAP;
import static dev.sentinel.contracts.events.EmailParams.DEVICE;
import static dev.sentinel.contracts.events.EmailParams.EXPIRES_IN_HOURS;
import static dev.sentinel.contracts.events.EmailParams.EXPIRES_IN_MINUTES;
import static dev.sentinel.contracts.events.EmailParams.LOCKED_MINUTES;
import static dev.sentinel.contracts.events.EmailParams.NETWORK;
import static dev.sentinel.contracts.events.EmailParams.PERCENT;
import static dev.sentinel.contracts.events.EmailParams.REMAINING;
import static dev.sentinel.contracts.events.EmailParams.RESETS_AT;
import static dev.sentinel.contracts.events.EmailParams.SPENT;
import static dev.sentinel.contracts.events.EmailParams.TIME;
import static dev.sentinel.contracts.events.EmailParams.TOKEN;
import static dev.sentinel.contracts.events.EmailParams.UNTIL;

/**
 * The emails the notification service knows how to render (DESIGN §8), each with the
 * parameters it reads: the one-time token that goes into its link (a request without it is
 * refused), and the optional ones its text shows when present.
 */
public enum EmailTemplate {
    VERIFY_EMAIL("verify-email", TOKEN, EXPIRES_IN_HOURS),
    REGISTER_ATTEMPT("register-attempt", null),
    PASSWORD_RESET("password-reset", TOKEN, EXPIRES_IN_MINUTES),
    PASSWORD_CHANGED("password-changed", null, TIME),
    ACCOUNT_LOCKED("account-locked", null, LOCKED_MINUTES, UNTIL),
    NEW_SIGN_IN("new-sign-in", null, DEVICE, NETWORK, TIME),
    MFA_ENABLED("mfa-enabled", null),
    MFA_DISABLED("mfa-disabled", null),
    RECOVERY_CODE_USED("recovery-code-used", null, REMAINING),
    SPEND_WARNING("spend-warning", null, PERCENT, SPENT, CAP),
    SPEND_CAP_REACHED("spend-cap-reached", null, CAP, RESETS_AT);

    private static final Map<String, EmailTemplate> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EmailTemplate::wireName, Function.identity()));

    private final String wireName;
    private final String tokenParam;
    private final List<String> optionalParams;

    EmailTemplate(String wireName, String tokenParam, String... optionalParams) {
        this.wireName = wireName;
        this.tokenParam = tokenParam;
        this.optionalParams = List.of(optionalParams);
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The parameter holding the one-time token for the mail's link, or null when it has none. */
    public String tokenParam() {
        return tokenParam;
    }

    /** Parameters a request must carry for this template. */
    public List<String> requiredParams() {
        return tokenParam == null ? List.of() : List.of(tokenParam);
    }

    /** Parameters the text shows when present (empty when absent). */
    public List<String> optionalParams() {
        return optionalParams;
    }

    /** The template for a wire name ({@code verify-email}), or empty for a name nobody knows. */
    public static Optional<EmailTemplate> find(String wireName) {
        return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
    }

    /** The template for a wire name; an unknown name is an error, never a silent default. */
    @JsonCreator
    public static EmailTemplate fromWireName(String wireName) {
        return find(wireName).orElseThrow(() -> new IllegalArgumentException("Unknown email template: " + wireName));
    }
}
