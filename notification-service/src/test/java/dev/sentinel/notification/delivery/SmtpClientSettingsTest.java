package dev.sentinel.notification.delivery;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.StartTLSOptions;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mailer settings the SMTP client cannot honour, or cannot read, stop the service at start. */
class SmtpClientSettingsTest {

    @Test
    void settingsItCannotHonourAreRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SmtpClient.refuseUnsupported(
                config(Map.of("quarkus.mailer.approved-recipients", ".*@example.com")), true, true));
        assertTrue(e.getMessage().contains("quarkus.mailer.mock=true"), e.getMessage());
        assertTrue(e.getMessage().contains("quarkus.mailer.dkim.enabled=true"), e.getMessage());
        assertTrue(e.getMessage().contains("quarkus.mailer.approved-recipients"), e.getMessage());
        assertDoesNotThrow(() -> SmtpClient.refuseUnsupported(config(Map.of("quarkus.mailer.host", "smtp")), false, false));
    }

    @Test
    void optionsAreReadWhateverTheirCaseAndAnUnknownOneIsNamed() {
        assertEquals(StartTLSOptions.REQUIRED, SmtpClient.option(StartTLSOptions.class, "quarkus.mailer.start-tls", "required"));
        assertEquals(LoginOption.NONE, SmtpClient.option(LoginOption.class, "quarkus.mailer.login", " NONE "));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SmtpClient.option(StartTLSOptions.class, "quarkus.mailer.start-tls", "sometimes"));
        assertTrue(e.getMessage().startsWith("quarkus.mailer.start-tls must be one of [DISABLED, OPTIONAL, REQUIRED]"),
                e.getMessage());
    }

    @Test
    void theSenderAddressMustBeAnAddress() {
        assertEquals("Sentinel <no-reply@sentinel.local>",
                SmtpClient.address("quarkus.mailer.from", "Sentinel <no-reply@sentinel.local>"));
        assertEquals("no-reply@sentinel.local", SmtpClient.address("quarkus.mailer.from", "no-reply@sentinel.local"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SmtpClient.address("quarkus.mailer.from", "Sentinel no-reply"));
        assertTrue(e.getMessage().startsWith("quarkus.mailer.from is not a mail address"), e.getMessage());
    }

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }
}
