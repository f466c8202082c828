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

/** The first decision taken for an idempotency key of an account: replayed for every repeat. */
@Entity
@Table(name = "spend_request")
public class SpendRequest extends PanacheEntityBase {

    public enum Kind { CHARGE, RESERVE }

    @Id
    public UUID id;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Column(name = "amount_cents")
    public long amountCents;
    public String description;
    /** The HTTP status of the first answer: 200/201, or 402. */
    public int status;
    /** The first answer's body (a receipt), or the 402 problem's extension members. */
    @Column(name = "response_body")
    public String responseBody;
    @Column(name = "created_at")
    public Instant createdAt;
}
