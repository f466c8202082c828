package dev.sentinel.notification.templates;

import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.notification.config.NotificationConfig;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders a template in the request's language (English when we do not have it) from the
 * Qute files under {@code templates/mail/<lang>/<template>.html|.txt}. HTML templates
 * escape every value; the subject is the {@code subject} fragment of the text template.
 */
@ApplicationScoped
public class MailRenderer {

    private final Engine engine;
    private final NotificationConfig config;

    public MailRenderer(Engine engine, NotificationConfig config) {
        this.engine = engine;
        this.config = config;
    }

    /**
     * @throws MissingParameterException when a parameter the template needs (its token) is absent
     */
    public RenderedMail render(EmailTemplate template, String locale, Map<String, String> params) {
        TemplateSpec spec = TemplateSpec.of(template);
        Map<String, String> given = params == null ? Map.of() : params;
        for (String name : spec.required()) {
            String value = given.get(name);
            if (value == null || value.isBlank()) {
                throw new MissingParameterException(template, name);
            }
        }
        Map<String, String> shown = new HashMap<>();
        spec.optional().forEach(name -> shown.put(name, given.getOrDefault(name, "")));
        String language = Locales.resolve(locale);
        String link = Links.build(config.publicBaseUrl(), spec.path(),
                spec.tokenParam() == null ? null : given.get(spec.tokenParam()));
        Template html = template(language, template, "html");
        Template text = template(language, template, "txt");
        String dir = Locales.direction(language);
        return new RenderedMail(
                fill(text.getFragment("subject").instance(), shown, link, language, dir).render().strip(),
                fill(html.instance(), shown, link, language, dir).render(),
                fill(text.instance(), shown, link, language, dir).render().strip(),
                language);
    }

    private static TemplateInstance fill(TemplateInstance instance, Map<String, String> params, String link,
            String language, String dir) {
        return instance.data("p", params).data("link", link).data("lang", language).data("dir", dir);
    }

    private Template template(String language, EmailTemplate template, String suffix) {
        String id = "mail/" + language + "/" + template.wireName() + "." + suffix;
        Template found = engine.getTemplate(id);
        if (found == null) {
            throw new IllegalStateException("Template missing from the build: " + id);
        }
        return found;
    }

    /** A request that lacks a parameter its template cannot do without: it can never be sent. */
    public static class MissingParameterException extends RuntimeException {
        public MissingParameterException(EmailTemplate template, String parameter) {
            super("missing parameter '" + parameter + "' for template " + template.wireName(), null, false, false);
        }
    }
}
