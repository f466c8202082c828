package dev.sentinel.audit;

import dev.sentinel.contracts.testing.MovableClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/** The service's clock in this module's tests (see {@link MovableClock}). */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends MovableClock {
}
