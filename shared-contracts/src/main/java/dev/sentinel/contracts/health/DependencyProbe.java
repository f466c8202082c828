package dev.sentinel.contracts.health;

import io.smallrye.mutiny.Uni;

/**
 * One server a service talks to, probed in the background by {@link Dependencies}: the probe
 * completes when the server answered and fails otherwise. It must never block the calling
 * thread; {@link Dependencies} cuts it off after the probe timeout anyway.
 */
public interface DependencyProbe {

    /** The {@code dependency} label: {@code postgresql}, {@code redis}, {@code kafka}, {@code smtp}. */
    String name();

    /**
     * Whether a request cannot be served without it (then it decides readiness); a server whose
     * work waits in a table meanwhile (the outbox's broker, the mail server) is only reported.
     */
    boolean neededToServe();

    Uni<Void> probe();
}
