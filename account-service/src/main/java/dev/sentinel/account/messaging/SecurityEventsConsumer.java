package dev.sentinel.account.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.log.Redact;
import dev.sentinel.contracts.messaging.ParkedRecords;
import dev.sentinel.contracts.messaging.UnusableRecord;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * Reads {@code security-events} and hands {@code user.registered} to
 * {@link RegistrationService}; every other type is skipped. The record is acknowledged
 * only after the effect committed (the returned Uni completes), so a crash before it means
 * a redelivery, which {@code ProcessedEvents} turns into a no-op. A record that cannot be
 * used or whose effect fails for good is parked by {@link ParkedRecords} and the consumer
 * goes on; while the database is away it waits and tries the same record again.
 * Built at start, so its parked series exists (at 0) before the first record arrives.
 */
@Startup
@ApplicationScoped
public class SecurityEventsConsumer {

    /** Our name in parked_record and sentinel_consumer_parked_total. */
    static final String CONSUMER = "account-service.security-events";
    private static final Logger LOG = Logger.getLogger(SecurityEventsConsumer.class);

    private final RegistrationService registrations;
    private final ObjectMapper json;
    private final ParkedRecords.Guard guard;

    public SecurityEventsConsumer(RegistrationService registrations, ObjectMapper json, ParkedRecords parked) {
        this.registrations = registrations;
        this.json = json;
        this.guard = parked.guard(CONSUMER);
    }

    @Incoming("security-events")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return guard.handle(record, () -> dispatch(record.value()));
    }

    /** One attempt at one record: runs in a transaction of its own each time the guard calls it. */
    private Uni<Void> dispatch(String value) {
        Registered event = parse(value);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return registrations.userRegistered(event.id(), event.userId(), event.email())
                .invoke(applied -> LOG.debugf("user.registered %s for %s: %s", event.id(), event.userId(),
                        applied ? "account ready" : "duplicate"))
                .replaceWithVoid();
    }

    /**
     * The registration in this record, or null when it is another type (skipped). A record
     * that is not an envelope, or a registration without a usable id or subject, is
     * {@link UnusableRecord} (parked).
     */
    private Registered parse(String value) {
        JsonNode envelope;
        try {
            envelope = value == null ? null : json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UnusableRecord("not JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new UnusableRecord("not a JSON object");
        }
        if (!EventType.USER_REGISTERED.wireName().equals(envelope.path("type").asText())) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(envelope.path("id").asText());
        } catch (IllegalArgumentException e) {
            throw new UnusableRecord("user.registered without a usable event id");
        }
        String subject = envelope.path("subject").asText(null);
        if (subject == null || subject.isBlank() || subject.length() > 128) {
            throw new UnusableRecord("user.registered without a usable subject", id);
        }
        String email = envelope.path("data").path("email").asText(null);
        if (email != null && (email.isBlank() || email.length() > 320)) {
            LOG.warnf("Skipping unusable email of user.registered %s (%s)", id, Redact.email(email));
            email = null;
        }
        return new Registered(id, subject, email);
    }

    private record Registered(UUID id, String userId, String email) {
    }
}
