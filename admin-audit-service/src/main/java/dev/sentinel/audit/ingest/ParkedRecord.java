package dev.sentinel.audit.ingest;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A record of security-events that could not be read, with the reason, in the shared
 * {@code parked_record} table (shared-contracts {@code ParkedRecords}; consumer
 * {@value AuditIngest#CONSUMER}). Written by {@link AuditIngest} inside the batch transaction
 * with {@code ON CONFLICT DO NOTHING} on its position (a redelivered bad record is parked
 * once); read here.
 */
@Entity
@Table(name = "parked_record")
@IdClass(ParkedRecord.Position.class)
public class ParkedRecord extends PanacheEntityBase {

    /** The primary key of parked_record: consumer and record position. */
    public static class Position implements Serializable {
        public String consumer;
        public String topic;
        public int kafkaPartition;
        public long kafkaOffset;

        @Override
        public boolean equals(Object other) {
            return other instanceof Position p && p.consumer.equals(consumer) && p.topic.equals(topic)
                    && p.kafkaPartition == kafkaPartition && p.kafkaOffset == kafkaOffset;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(consumer, topic, kafkaPartition, kafkaOffset);
        }
    }

    @Id
    public String consumer;
    @Id
    public String topic;
    @Id
    @Column(name = "kafka_partition")
    public int kafkaPartition;
    @Id
    @Column(name = "kafka_offset")
    public long kafkaOffset;
    @Column(name = "message_key")
    public String messageKey;
    @Column(name = "event_id")
    public UUID eventId;
    public String reason;
    /** The first 4,000 characters of the value, NUL characters replaced. */
    @Column(name = "raw_value")
    public String rawValue;
    @Column(name = "value_length")
    public Integer valueLength;
    @Column(name = "parked_at")
    public Instant parkedAt;
}
