package dev.sentinel.audit.ingest;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A record of security-events that could not be read, with the reason. Written by
 * {@link AuditIngest} with {@code ON CONFLICT DO NOTHING} on its topic position (a
 * redelivered bad record is parked once); read here.
 */
@Entity
@Table(name = "audit_parked")
public class ParkedRecord extends PanacheEntityBase {

    @Id
    public Long id;
    public String topic;
    public int partition;
    @Column(name = "record_offset")
    public long offset;
    public String reason;
    public byte[] raw;
    @Column(name = "parked_at")
    public Instant parkedAt;
}
