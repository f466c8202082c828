package dev.sentinel.notification.delivery;

import java.time.Duration;

/**
 * When to try a transiently failed mail again: exponential backoff from
 * {@code initialDelay}, doubling per failed attempt up to {@code maxDelay}, spread by ±
 * {@code jitter}; after {@code maxAttempts} attempts in all the mail is given up.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("maxAttempts >= 1 and 0 <= jitter < 1");
        }
    }

    /** True when {@code attemptsMade} attempts have failed and no further one is allowed. */
    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }

    /**
     * The wait after the {@code attemptsMade}-th failed attempt (1 for the first).
     *
     * @param random a uniform number in [0, 1), the source of the jitter
     */
    public Duration delayAfter(int attemptsMade, double random) {
        int doublings = Math.max(0, Math.min(attemptsMade - 1, 30));
        double base = Math.min((double) initialDelay.toMillis() * (1L << doublings), maxDelay.toMillis());
        double spread = base * jitter * (2 * random - 1);
        return Duration.ofMillis(Math.max(0, Math.round(base + spread)));
    }
}
