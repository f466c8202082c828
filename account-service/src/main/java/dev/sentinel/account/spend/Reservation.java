package dev.sentinel.account.spend;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Money held against an account's cap until the final cost is known. */
@Entity
@Table(name = "reservation")
public class Reservation extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "amount_cents")
    public long amountCents;
    @Enumerated(EnumType.STRING)
    public ReservationStatus status;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "committed_cents")
    public Long committedCents;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "closed_at")
    public Instant closedAt;
}
