package dev.sentinel.notification.templates;

import dev.sentinel.contracts.events.EmailTemplate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each template's button points. The link is always the configured public base URL +
 * {@link #path()}, plus {@code ?token=} for the templates that carry a one-time token;
 * nothing in the request chooses the host or path. Which parameters a template reads is
 * part of the contract, declared on {@link EmailTemplate}.
 */
public record TemplateSpec(EmailTemplate template, String path) {

    private static final Map<EmailTemplate, TemplateSpec> SPECS = new EnumMap<>(EmailTemplate.class);

    static {
        add(EmailTemplate.VERIFY_EMAIL, "/v1/auth/verify-email");
        add(EmailTemplate.REGISTER_ATTEMPT, "/forgot-password");
        add(EmailTemplate.PASSWORD_RESET, "/reset-password");
        add(EmailTemplate.PASSWORD_CHANGED, "/forgot-password");
        add(EmailTemplate.ACCOUNT_LOCKED, "/forgot-password");
        add(EmailTemplate.NEW_SIGN_IN, "/security/sessions");
        add(EmailTemplate.MFA_ENABLED, "/security");
        add(EmailTemplate.MFA_DISABLED, "/security");
        add(EmailTemplate.RECOVERY_CODE_USED, "/security");
        add(EmailTemplate.SPEND_WARNING, "/account/limits");
        add(EmailTemplate.SPEND_CAP_REACHED, "/account/limits");
    }

    private static void add(EmailTemplate template, String path) {
        SPECS.put(template, new TemplateSpec(template, path));
    }

    public static TemplateSpec of(EmailTemplate template) {
        return SPECS.get(template);
    }

    /** The parameter holding the one-time token that goes into the link, or null. */
    public String tokenParam() {
        return template.tokenParam();
    }

    /** Parameters the text shows when present (empty when absent). */
    public List<String> optional() {
        return template.optionalParams();
    }

    /** The parameters a request must carry for this template. */
    public List<String> required() {
        return template.requiredParams();
    }
}
