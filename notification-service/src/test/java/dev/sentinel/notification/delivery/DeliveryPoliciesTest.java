package dev.sentinel.notification.delivery;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.ext.mail.SMTPException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retry arithmetic, failure classification, recipient rules and the per-recipient limit, without Quarkus. */
class DeliveryPoliciesTest {

    private final RetryPolicy defaults = new RetryPolicy(8, Duration.ofSeconds(30), Duration.ofMinutes(32), 0.2);

    @Test
    void backoffDoublesFromThirtySecondsAndEightAttemptsSpanAboutAnHour() {
        assertEquals(Duration.ofSeconds(30), defaults.delayAfter(1, 0.5));
        assertEquals(Duration.ofSeconds(60), defaults.delayAfter(2, 0.5));
        assertEquals(Duration.ofSeconds(120), defaults.delayAfter(3, 0.5));
        long total = 0;
        for (int attempt = 1; attempt < 8; attempt++) {
            total += defaults.delayAfter(attempt, 0.5).toSeconds();
        }
        assertEquals(3810, total, "7 waits between 8 attempts: 30 s … 32 min, about an hour");
        assertFalse(defaults.exhausted(7));
        assertTrue(defaults.exhausted(8));
    }

    @Test
    void jitterSpreadsWithinItsFractionAndTheCapHolds() {
        assertEquals(Duration.ofSeconds(24), defaults.delayAfter(1, 0.0));
        Duration high = defaults.delayAfter(1, 0.999_999);
        assertTrue(high.toMillis() > 35_900 && high.toMillis() <= 36_000, high.toString());
        Duration capped = defaults.delayAfter(30, 0.5);
        assertEquals(Duration.ofMinutes(32), capped);
    }

    @Test
    void theLeaseOutlastsTheLongestRound() {
        assertEquals(Duration.ofSeconds(390), DeliveryService.lease(sender(50, 4, Duration.ofSeconds(15), Duration.ofMinutes(2))),
                "13 rounds of 4 sends × 15 s, doubled");
        assertEquals(Duration.ofMinutes(10), DeliveryService.lease(sender(10, 10, Duration.ofSeconds(5), Duration.ofMinutes(10))));
    }

    @Test
    void shutdownWaitsForTheLongestRoundAndItsRecording() {
        var sender = sender(50, 4, Duration.ofSeconds(15), Duration.ofMinutes(2));
        assertEquals(Duration.ofSeconds(195), MailSender.longestRound(sender), "13 rounds of 4 sends × 15 s");
        assertEquals(MailSender.longestRound(sender).plus(MailSender.RECORDING_GRACE), MailSender.shutdownWait(sender));
    }

    private static dev.sentinel.notification.config.NotificationConfig.Sender sender(int batch, int concurrency,
            Duration sendTimeout, Duration lease) {
        return new dev.sentinel.notification.config.NotificationConfig.Sender() {
            public Duration pollInterval() { return Duration.ofMillis(200); }
            public int batchSize() { return batch; }
            public int concurrency() { return concurrency; }
            public Duration lease() { return lease; }
            public Duration sendTimeout() { return sendTimeout; }
            public Duration connectTimeout() { return Duration.ofSeconds(5); }
        };
    }

    @Test
    void smtpAnswersAreClassified() {
        assertTrue(SmtpFailure.classify(new SMTPException("550 5.1.1 no such user", 550, java.util.List.of("550 5.1.1 no such user"), false)).permanent());
        assertFalse(SmtpFailure.classify(new SMTPException("451 try later", 451, java.util.List.of("451 try later"), false)).permanent());
        assertFalse(SmtpFailure.classify(new ConnectException("Connection refused")).permanent());
        assertFalse(SmtpFailure.classify(new TimeoutException()).permanent());
        assertEquals("SMTP send timed out", SmtpFailure.classify(new TimeoutException()).reason());
        assertTrue(SmtpFailure.classify(new IllegalStateException("554 rejected")).permanent());
        assertFalse(SmtpFailure.classify(new IllegalStateException("Connection was closed")).permanent());
        assertFalse(SmtpFailure.classify(new IllegalStateException("wrapped", new ConnectException("refused")))
                .permanent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "a.b+tag@sub.example.org", "x_y@mail.sentinel.test"})
    void plainAddressesAreValid(String address) {
        assertTrue(Recipients.isValid(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "alice@", "@example.com", "alice@localhost", "a b@example.com",
            "alice@example.com\r\nBcc: eve@example.com", "Alice <alice@example.com>", "a..b@example.com",
            ".a@example.com", "alice@exa_mple.com"})
    void anythingElseIsNot(String address) {
        assertFalse(Recipients.isValid(address));
    }

    @Test
    void verificationAndResetCountInTheirOwnBuckets() {
        RecipientLimit limit = new RecipientLimit(10, Set.of("verify-email", "password-reset"));
        assertEquals("verify-email", limit.bucket("verify-email"));
        assertEquals("password-reset", limit.bucket("password-reset"));
        assertEquals(RecipientLimit.GENERAL, limit.bucket("new-sign-in"));
        assertEquals(RecipientLimit.GENERAL, limit.bucket("spend-warning"));
        assertTrue(limit.allows(9));
        assertFalse(limit.allows(10));
        assertEquals("alice@example.com", RecipientLimit.key(" Alice@Example.COM "));
    }
}
