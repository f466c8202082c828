package dev.sentinel.contracts.problem;

import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Problem titles in the languages we ship (English, Arabic), chosen from the request's
 * {@code Accept-Language}. Anything we do not ship falls back to English.
 */
public final class ProblemMessages {

    static final String BUNDLE = "dev.sentinel.contracts.problem.ProblemMessages";
    private static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.forLanguageTag("ar"));

    private ProblemMessages() {
    }

    /** The language to answer in for an {@code Accept-Language} header value (may be null). */
    public static Locale pick(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return Locale.ENGLISH;
        }
        try {
            Locale match = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), SUPPORTED);
            return match == null ? Locale.ENGLISH : match;
        } catch (IllegalArgumentException malformedHeader) {
            return Locale.ENGLISH;
        }
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
