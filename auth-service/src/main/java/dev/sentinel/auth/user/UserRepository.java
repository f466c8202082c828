package dev.sentinel.auth.user;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    /** The user with this (normalised) address, matching its local part case-insensitively. */
    public Uni<User> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResult();
    }

    /**
     * The user's status as committed now, read under a share lock held until the transaction
     * ends: a concurrent status change waits for this transaction, and this one sees a change
     * that committed first. Null when there is no such user.
     */
    public Uni<String> statusForShare(UUID id) {
        return getSession().chain(session -> session
                .createNativeQuery("select status from app_user where id = :id for share", String.class)
                .setParameter("id", id).getSingleResultOrNull());
    }
}
