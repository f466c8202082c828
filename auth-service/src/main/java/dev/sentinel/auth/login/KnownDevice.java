package dev.sentinel.auth.login;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.UUID;

/** The (device, network) pairs a user has signed in from: a new one earns a "new sign-in" email. */
final class KnownDevice {

    private static final String REMEMBER = """
            insert into known_device (user_id, device, network) values (:user, :device, :network)
            on conflict (user_id, device, network) do update set last_seen = now()
            returning (xmax = 0)""";
    private static final String OTHERS = """
            select count(*) from known_device
             where user_id = :user and not (device = :device and network = :network)""";

    private KnownDevice() {
    }

    /**
     * Records the pair (or that it was seen again: retention forgets pairs not seen for long)
     * in the caller's transaction. True when it is new for a user who has signed in from
     * somewhere else before (the very first sign-in is not news).
     */
    static Uni<Boolean> remember(UUID userId, String device, String network) {
        // xmax = 0 only on a row this statement inserted; an updated row carries our xid.
        return Panache.getSession().chain(session -> session.createNativeQuery(REMEMBER, Boolean.class)
                .setParameter("user", userId).setParameter("device", device).setParameter("network", network)
                .getSingleResult()
                .chain(inserted -> !inserted ? Uni.createFrom().item(false)
                        : session.createNativeQuery(OTHERS, Long.class)
                                .setParameter("user", userId).setParameter("device", device)
                                .setParameter("network", network)
                                .getSingleResult().map(others -> others > 0)));
    }
}
