package dev.sentinel.contracts.problem;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ProblemMessagesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ar|ar", "ar-EG|ar", "fr, ar;q=0.5|ar", "en-GB|en", "fr|en", "''|en", "*;;;garbage|en", "de, en;q=0.1|en"})
    void picksArabicOrFallsBackToEnglish(String header, String expected) {
        assertEquals(expected, ProblemMessages.pick(header).getLanguage());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasAnEnglishAndAnArabicTitle(ErrorCode code) {
        String english = ProblemMessages.title(code, Locale.ENGLISH);
        String arabic = ProblemMessages.title(code, Locale.forLanguageTag("ar"));
        assertFalse(english.isBlank());
        assertNotEquals(english, arabic, code + " has no Arabic title");
    }
}
