package dev.sentinel.notification.templates;

import dev.sentinel.contracts.i18n.Language;

import java.util.Locale;
import java.util.Set;

/**
 * Which of our languages ({@link Language}) a request's locale gets: its primary language if
 * we have it, else English.
 */
public final class Locales {

    public static final String FALLBACK = Language.FALLBACK.tag();
    private static final Set<String> RIGHT_TO_LEFT = Set.of("ar");

    private Locales() {
    }

    /** {@code ar-EG} → ar, {@code AR} → ar, {@code fr} → en, null or blank → en. */
    public static String resolve(String locale) {
        if (locale == null || locale.isBlank()) {
            return FALLBACK;
        }
        String primary = locale.trim().split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        return Language.of(primary).map(Language::tag).orElse(FALLBACK);
    }

    /** The HTML {@code dir} of a resolved language. */
    public static String direction(String language) {
        return RIGHT_TO_LEFT.contains(language) ? "rtl" : "ltr";
    }
}
