package dev.sentinel.notification.templates;

import dev.sentinel.contracts.events.EmailTemplate;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each template needs from the producer and where its button points. The link is
 * always the configured public base URL + {@link #path()}, plus {@code ?token=} for the
 * templates that carry a one-time token; nothing in the request chooses the host or path.
 *
 * @param tokenParam the parameter holding the one-time token that goes into the link, or null
 * @param optional   parameters the text shows when present (empty when absent)
 */
public record TemplateSpec(EmailTemplate template, String path, String tokenParam, List<String> optional) {

    private static final Map<EmailTemplate, TemplateSpec> SPECS = new EnumMap<>(EmailTemplate.class);

    static {
        add(EmailTemplate.VERIFY_EMAIL, "/v1/auth/verify-email", "token", "expiresInHours");
        add(EmailTemplate.REGISTER_ATTEMPT, "/forgot-password", null);
        add(EmailTemplate.PASSWORD_RESET, "/reset-password", "token", "expiresInMinutes");
        add(EmailTemplate.PASSWORD_CHANGED, "/forgot-password", null, "time");
        add(EmailTemplate.ACCOUNT_LOCKED, "/forgot-password", null, "lockedMinutes", "until");
        add(EmailTemplate.NEW_SIGN_IN, "/security/sessions", null, "device", "network", "time");
        add(EmailTemplate.MFA_ENABLED, "/security", null);
        add(EmailTemplate.MFA_DISABLED, "/security", null);
        add(EmailTemplate.RECOVERY_CODE_USED, "/security", null, "remaining");
        add(EmailTemplate.SPEND_WARNING, "/account/limits", null, "percent", "spent", "cap");
        add(EmailTemplate.SPEND_CAP_REACHED, "/account/limits", null, "cap", "resetsAt");
    }

    private static void add(EmailTemplate template, String path, String tokenParam, String... optional) {
        SPECS.put(template, new TemplateSpec(template, path, tokenParam, List.of(optional)));
    }

    public static TemplateSpec of(EmailTemplate template) {
        return SPECS.get(template);
    }

    /** The template for a wire name ({@code verify-email}), or empty for a name we do not know. */
    public static Optional<EmailTemplate> byWireName(String wireName) {
        return Arrays.stream(EmailTemplate.values()).filter(t -> t.wireName().equals(wireName)).findFirst();
    }

    /** The parameters a request must carry for this template. */
    public List<String> required() {
        return tokenParam == null ? List.of() : List.of(tokenParam);
    }
}
