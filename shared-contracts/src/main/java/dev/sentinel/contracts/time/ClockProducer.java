package dev.sentinel.contracts.time;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one clock of every service: whatever reads the time (sessions and refresh grace
 * windows, tokens, TOTP steps, one-time links, billing periods, checkpoint ages) injects
 * this {@link Clock} instead of calling {@code Instant.now()}, so a test can move time
 * (the test-jar's {@code MovableClock}) instead of sleeping.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
