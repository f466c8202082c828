package dev.sentinel.notification.templates;

import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.notification.support.NotificationTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every template renders in English and Arabic, HTML and text, escaped, with links from the configured base URL. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
class MailRendererTest {

    private static final Map<String, String> PARAMS = Map.ofEntries(Map.entry("token", "tok-123"),
            Map.entry("device", "Firefox on Linux"), Map.entry("network", "203.0.113.0/24"),
            Map.entry("time", "2026-11-22 10:00 UTC"), Map.entry("until", "10:05 UTC"), Map.entry("remaining", "7"),
            Map.entry("percent", "80"), Map.entry("spent", "8.00 USD"), Map.entry("cap", "10.00 USD"),
            Map.entry("resetsAt", "2026-12-01"), Map.entry("expiresInHours", "24"),
            Map.entry("expiresInMinutes", "30"), Map.entry("lockedMinutes", "15"));

    @Inject
    MailRenderer renderer;

    @Test
    void everyTemplateRendersInBothLanguagesWithDistinctSubjects() {
        Set<String> subjects = new HashSet<>();
        for (EmailTemplate template : EmailTemplate.values()) {
            for (String locale : new String[] {"en", "ar"}) {
                RenderedMail mail = renderer.render(template, locale, PARAMS);
                assertFalse(mail.subject().isBlank(), template + " " + locale);
                assertFalse(mail.subject().contains("\n"), "a subject is one line");
                assertTrue(subjects.add(mail.subject()), "subject reused: " + mail.subject());
                assertTrue(mail.html().contains("<html lang=\"" + locale + "\" dir=\"" + Locales.direction(locale) + "\">"),
                        template + " " + locale + ": " + mail.html());
                assertTrue(mail.html().contains("https://app.sentinel.test" + TemplateSpec.of(template).path()),
                        template + " link");
                assertTrue(mail.text().contains("https://app.sentinel.test" + TemplateSpec.of(template).path()));
                assertFalse(mail.text().contains("{"), "no unrendered expression in " + template + " " + locale);
                assertFalse(mail.html().contains("{#"), "no unrendered section in " + template + " " + locale);
            }
        }
    }

    @Test
    void arabicGetsArabicSubjectAndRightToLeft() {
        RenderedMail mail = renderer.render(EmailTemplate.VERIFY_EMAIL, "ar-EG", Map.of("token", "abc"));
        assertEquals("ar", mail.language());
        assertEquals("تأكيد عنوان بريدك الإلكتروني", mail.subject());
        assertTrue(mail.html().contains("dir=\"rtl\""));
        assertTrue(mail.html().contains("https://app.sentinel.test/v1/auth/verify-email?token=abc"));
    }

    @Test
    void otherLanguagesFallBackToEnglish() {
        RenderedMail mail = renderer.render(EmailTemplate.PASSWORD_RESET, "fr", Map.of("token", "abc"));
        assertEquals("en", mail.language());
        assertEquals("Reset your password", mail.subject());
        assertTrue(mail.html().contains("dir=\"ltr\""));
        assertTrue(mail.text().contains("https://app.sentinel.test/reset-password?token=abc"));
    }

    @Test
    void aMissingLocaleIsEnglish() {
        for (String locale : new String[] {null, "", "fr-CH"}) {
            RenderedMail mail = renderer.render(EmailTemplate.VERIFY_EMAIL, locale, Map.of("token", "abc"));
            assertEquals("en", mail.language());
            assertEquals("Verify your email address", mail.subject());
            assertTrue(mail.html().contains("<html lang=\"en\" dir=\"ltr\">"), mail.html());
        }
    }

    @Test
    void parametersAreEscapedInHtmlAndTokensEncodedInLinks() {
        RenderedMail mail = renderer.render(EmailTemplate.NEW_SIGN_IN, "en",
                Map.of("device", "<script>alert(1)</script>", "network", "\"><img src=x>"));
        assertFalse(mail.html().contains("<script>"), mail.html());
        assertTrue(mail.html().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), mail.html());
        assertFalse(mail.html().contains("<img"));
        RenderedMail link = renderer.render(EmailTemplate.VERIFY_EMAIL, "en",
                Map.of("token", "\"><script>x</script>&next=https://evil.example"));
        assertFalse(link.html().contains("<script>"));
        assertFalse(link.html().contains("https://evil.example"), "the token cannot add a link of its own");
    }

    @Test
    void absentOptionalParametersLeaveNoTrace() {
        RenderedMail mail = renderer.render(EmailTemplate.NEW_SIGN_IN, "en", Map.of());
        assertTrue(mail.text().startsWith("Your Sentinel account was signed in to from a new device."), mail.text());
    }

    @Test
    void theParametersTheProducersSendAreShown() {
        assertTrue(renderer.render(EmailTemplate.VERIFY_EMAIL, "en", Map.of("token", "t", "expiresInHours", "24"))
                .text().contains("expires in 24 hours"));
        assertTrue(renderer.render(EmailTemplate.PASSWORD_RESET, "en", Map.of("token", "t", "expiresInMinutes", "30"))
                .text().contains("expires in 30 minutes"));
        assertTrue(renderer.render(EmailTemplate.ACCOUNT_LOCKED, "ar", Map.of("lockedMinutes", "15"))
                .text().contains("لمدة 15 دقيقة"));
        String signIn = renderer.render(EmailTemplate.NEW_SIGN_IN, "en",
                Map.of("device", "Firefox on Linux", "network", "203.0.113.0/24", "time", "2026-11-22T10:00:00Z")).text();
        assertTrue(signIn.contains("(Firefox on Linux) from network 203.0.113.0/24 on 2026-11-22T10:00:00Z"), signIn);
        String warning = renderer.render(EmailTemplate.SPEND_WARNING, "en",
                Map.of("percent", "80", "spent", "8.00 USD", "cap", "10.00 USD")).text();
        assertTrue(warning.contains("80% of your cap (8.00 USD of 10.00 USD)"), warning);
    }

    @Test
    void aMissingTokenIsRefused() {
        assertThrows(MailRenderer.MissingParameterException.class,
                () -> renderer.render(EmailTemplate.VERIFY_EMAIL, "en", Map.of()));
    }
}
