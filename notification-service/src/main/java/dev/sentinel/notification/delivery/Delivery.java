package dev.sentinel.notification.delivery;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One email request and how its delivery stands (table {@code delivery}). */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    public String template;

    public String recipient;

    @Column(name = "recipient_key")
    public String recipientKey;

    @Column(name = "limit_bucket")
    public String limitBucket;

    public String locale;

    /** JSON object of the template parameters; emptied once the mail is sent. */
    public String params;

    @Enumerated(EnumType.STRING)
    public DeliveryStatus status;

    public boolean redrivable;

    public int attempts;

    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    @Column(name = "claimed_until")
    public OffsetDateTime claimedUntil;

    @Column(name = "last_error")
    public String lastError;

    public String raw;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    @Column(name = "dead_at")
    public OffsetDateTime deadAt;

    @Column(name = "redriven_at")
    public OffsetDateTime redrivenAt;
}
