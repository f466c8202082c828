package dev.sentinel.audit.approval;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One four-eyes approval ({@code admin_approval}, migration V1_5). {@code seq} is given by the
 * database and orders the list; {@code roles} is the role set a {@code grant-admin} asks for,
 * comma-separated; {@code result} the action's answer as JSON text once granted.
 */
@Entity
@Table(name = "admin_approval")
public class Approval extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String APPROVING = "APPROVING";
    public static final String GRANTED = "GRANTED";
    public static final String REJECTED = "REJECTED";
    /** Not stored: a PENDING row past {@link #expiresAt} reads as this. */
    public static final String EXPIRED = "EXPIRED";

    @Id
    public UUID id;

    @Column(insertable = false, updatable = false)
    public Long seq;

    public String action;

    public String target;

    public String roles;

    /** {@code {before, after}} of the change as JSON text (the events carry it), or null. */
    public String change;

    public String status;

    @Column(name = "requested_by")
    public String requestedBy;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    public String reason;

    public String result;

    /** The status a reader sees at {@code now}: a pending row past its expiry is EXPIRED. */
    public String statusAt(Instant now) {
        return PENDING.equals(status) && !now.isBefore(expiresAt) ? EXPIRED : status;
    }
}
