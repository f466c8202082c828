package dev.sentinel.systemtests.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting for what another service does asynchronously (a Kafka consumer, a relay, a mail). */
public final class Eventually {

    private Eventually() {
    }

    /** Polls {@code value} every 200 ms until it is non-null; fails after {@code timeout} with {@code what}. */
    public static <T> T await(Duration timeout, String what, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
