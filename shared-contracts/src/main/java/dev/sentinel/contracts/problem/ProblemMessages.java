package dev.sentinel.contracts.problem;

import dev.sentinel.contracts.i18n.Language;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Problem titles in the languages we ship ({@link Language}), chosen from the request's
 * {@code Accept-Language}. Anything we do not ship falls back to English.
 */
public final class ProblemMessages {

    static final String BUNDLE = "dev.sentinel.contracts.problem.ProblemMessages";

    private ProblemMessages() {
    }

    /** The language to answer in for an {@code Accept-Language} header value (may be null). */
    public static Locale pick(String acceptLanguage) {
        return Language.fromAcceptLanguage(acceptLanguage).locale();
    }

    /** The title of a code in a language; never null. */
    public static String title(ErrorCode code, Locale locale) {
        try {
            return ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control
                    .getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)).getString(code.name());
        } catch (MissingResourceException e) {
            return ResourceBundle.getBundle(BUNDLE, Locale.ROOT).getString(code.name());
        }
    }
}
