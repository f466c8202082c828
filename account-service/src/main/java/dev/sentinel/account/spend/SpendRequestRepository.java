package dev.sentinel.account.spend;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Idempotency records, unique per (account, key). */
@ApplicationScoped
public class SpendRequestRepository implements PanacheRepositoryBase<SpendRequest, UUID> {

    public Uni<SpendRequest> findByKey(String accountId, String idempotencyKey) {
        return find("accountId = ?1 and idempotencyKey = ?2", accountId, idempotencyKey).firstResult();
    }
}
