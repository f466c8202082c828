package dev.sentinel.contracts.i18n;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The languages Sentinel speaks (DESIGN §9): problem texts follow a request's
 * {@code Accept-Language}; a user's preferred language is one of these, carried as
 * {@code locale} on every email request about them and as {@code language} in the data of
 * {@code user.registered} and {@code user.language_changed}. Anything else is English.
 */
public enum Language {
    EN("en"),
    AR("ar");

    /** The tags as a Bean Validation pattern; kept equal to the constants (LanguageTest checks). */
    public static final String PATTERN = "en|ar";
    public static final Language FALLBACK = EN;

    private static final List<Locale> LOCALES = Arrays.stream(values()).map(Language::locale).toList();

    private final String tag;

    Language(String tag) {
        this.tag = tag;
    }

    /** The BCP 47 tag on the wire and in the database: {@code en}, {@code ar}. */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return Locale.forLanguageTag(tag);
    }

    /**
     * The best of ours for an {@code Accept-Language} value, honouring q-values
     * ({@code ar;q=0.1, en;q=0.9} is English); absent, malformed or nothing we speak is English.
     */
    public static Language fromAcceptLanguage(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return FALLBACK;
        }
        try {
            Locale match = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), LOCALES);
            return match == null ? FALLBACK : of(match.getLanguage()).orElse(FALLBACK);
        } catch (IllegalArgumentException malformedHeader) {
            return FALLBACK;
        }
    }

    /** The language with exactly this tag ({@code ar}), or empty. */
    public static Optional<Language> of(String tag) {
        return Arrays.stream(values()).filter(language -> language.tag.equals(tag)).findFirst();
    }
}
