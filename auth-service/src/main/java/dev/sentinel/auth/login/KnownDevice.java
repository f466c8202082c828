package dev.sentinel.auth.login;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.UUID;

/** The (device, network) pairs a user has signed in from: a new one earns a "new sign-in" email. */
final class KnownDevice {

    private static final String REMEMBER = """
            insert into known_device (user_id, device, network) values (:user, :device, :network)
            on conflict do nothing""";
    private static final String OTHERS = """
            select count(*) from known_device
             where user_id = :user and not (device = :device and network = :network)""";

    private KnownDevice() {
    }

    /**
     * Records the pair in the caller's transaction. True when it is new for a user who has
     * signed in from somewhere else before (the very first sign-in is not news).
     */
    static Uni<Boolean> remember(UUID userId, String device, String network) {
        return Panache.getSession().chain(session -> session.createNativeQuery(REMEMBER)
                .setParameter("user", userId).setParameter("device", device).setParameter("network", network)
                .executeUpdate()
                .chain(inserted -> inserted == 0 ? Uni.createFrom().item(false)
                        : session.createNativeQuery(OTHERS, Long.class)
                                .setParameter("user", userId).setParameter("device", device)
                                .setParameter("network", network)
                                .getSingleResult().map(others -> others > 0)));
    }
}
