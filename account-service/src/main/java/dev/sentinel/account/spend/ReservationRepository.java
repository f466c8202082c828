package dev.sentinel.account.spend;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Holds: looked up within their account, expired in one statement per account. */
@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<Reservation, UUID> {

    private static final String EXPIRE_DUE = """
            with expired as (
                update reservation set status = 'EXPIRED', closed_at = :now
                 where account_id = :accountId and status = 'HELD' and expires_at <= :now
                returning amount_cents)
            select cast(coalesce(sum(amount_cents), 0) as bigint) from expired""";
    private static final String DUE_CENTS = """
            select cast(coalesce(sum(amount_cents), 0) as bigint) from reservation
             where account_id = :accountId and status = 'HELD' and expires_at <= :now""";
    private static final String DUE_ACCOUNTS = """
            select distinct account_id from reservation
             where status = 'HELD' and expires_at <= :now
             limit :limit""";

    /** The reservation {@code id} of this account, or null (another account's id is not found either). */
    public Uni<Reservation> findOfAccount(UUID id, String accountId) {
        return find("id = ?1 and accountId = ?2", id, accountId).firstResult();
    }

    /**
     * Marks this account's holds that are due as EXPIRED and returns the cents they held.
     * Call with the account row locked, so the total can be taken off its reserved amount.
     */
    public Uni<Long> expireDue(String accountId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(EXPIRE_DUE, Long.class)
                .setParameter("accountId", accountId)
                .setParameter("now", now)
                .getSingleResult());
    }

    /** The cents this account's holds past their expiry still hold (read only: nothing is expired). */
    public Uni<Long> dueCents(String accountId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(DUE_CENTS, Long.class)
                .setParameter("accountId", accountId)
                .setParameter("now", now)
                .getSingleResult());
    }

    /** Accounts that have at least one hold past its expiry. */
    public Uni<List<String>> accountsWithDueHolds(Instant now, int limit) {
        return Panache.getSession().chain(session -> session.createNativeQuery(DUE_ACCOUNTS, String.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList());
    }
}
