package dev.sentinel.contracts.log;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice@example.com|a***@example.com", "a@b.c|a***@b.c", "no-at-sign|***", "@example.com|***", "x@|***"})
    void showsOnlyTheFirstLetterAndTheDomain(String email, String expected) {
        assertEquals(expected, Redact.email(email));
    }
}
