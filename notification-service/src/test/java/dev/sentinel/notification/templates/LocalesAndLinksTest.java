package dev.sentinel.notification.templates;

import dev.sentinel.contracts.events.EmailTemplate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which language a locale gets, and how links are built: plain rules, no Quarkus. */
class LocalesAndLinksTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "ar, ar", "ar-EG, ar", "AR_sa, ar", "en, en", "en-GB, en", "fr, en", "fr-FR, en", "'', en", "null, en",
            "arabic, en", "'  ar  ', ar"})
    void localeFallsBackToEnglish(String locale, String expected) {
        assertEquals(expected, Locales.resolve(locale));
    }

    @Test
    void arabicIsRightToLeft() {
        assertEquals("rtl", Locales.direction("ar"));
        assertEquals("ltr", Locales.direction("en"));
    }

    @Test
    void linkIsBaseAndFixedPathWithTheTokenEncoded() {
        assertEquals("https://app.example/v1/auth/verify-email?token=a%2Bb%2Fc%3D%26x%3Dhttp%3A%2F%2Fevil",
                Links.build("https://app.example/", "/v1/auth/verify-email", "a+b/c=&x=http://evil"));
        assertEquals("https://app.example/security", Links.build("https://app.example", "/security", null));
    }

    @Test
    void everyTemplateHasASpecAndOnlyTokenTemplatesRequireParameters() {
        for (EmailTemplate template : EmailTemplate.values()) {
            TemplateSpec spec = TemplateSpec.of(template);
            assertNotNull(spec, template.name());
            assertTrue(spec.path().startsWith("/"), template.name());
            assertEquals(EmailTemplate.fromWireName(template.wireName()), template);
        }
        assertEquals(java.util.List.of("token"), TemplateSpec.of(EmailTemplate.VERIFY_EMAIL).required());
        assertEquals(java.util.List.of("token"), TemplateSpec.of(EmailTemplate.PASSWORD_RESET).required());
        assertTrue(TemplateSpec.of(EmailTemplate.NEW_SIGN_IN).required().isEmpty());
        assertTrue(EmailTemplate.find("no-such-template").isEmpty());
    }
}
