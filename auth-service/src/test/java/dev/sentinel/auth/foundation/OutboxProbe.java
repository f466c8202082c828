package dev.sentinel.auth.foundation;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** Test-only entity: the state change an outbox row or a consumed event goes with. */
@Entity
@Table(name = "outbox_probe")
public class OutboxProbe extends PanacheEntityBase {

    @Id
    public UUID id;
    public String label;

    public static OutboxProbe of(String label) {
        OutboxProbe probe = new OutboxProbe();
        probe.id = UUID.randomUUID();
        probe.label = label;
        return probe;
    }
}
