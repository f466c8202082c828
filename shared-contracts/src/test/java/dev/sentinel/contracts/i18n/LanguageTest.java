package dev.sentinel.contracts.i18n;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "ar|ar", "ar-EG|ar", "AR|ar", "en|en", "en-GB|en", "fr-CH, fr;q=0.9|en", "ar;q=0.1, en;q=0.9|en",
            "fr, ar;q=0.5|ar", "de, en;q=0.1, ar;q=0.2|ar", "en;q=0, ar|ar", "ar;q=0|en", "*|en", "''|en",
            "null|en", "*;;;garbage|en", "xx-yy-zz-!!|en"})
    void acceptLanguagePicksOursHonouringWeights(String header, String expected) {
        assertEquals(expected, Language.fromAcceptLanguage(header).tag());
    }

    @Test
    void tagsAreExactAndThePatternListsThemAll() {
        assertEquals(Optional.of(Language.AR), Language.of("ar"));
        assertEquals(Optional.empty(), Language.of("AR"));
        assertEquals(Optional.empty(), Language.of("fr"));
        assertEquals(Optional.empty(), Language.of(null));
        assertEquals(Language.PATTERN, Arrays.stream(Language.values()).map(Language::tag)
                .collect(Collectors.joining("|")));
        for (Language language : Language.values()) {
            assertEquals(language.tag(), language.locale().getLanguage());
        }
    }
}
