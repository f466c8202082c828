package dev.sentinel.account.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.log.Redact;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * Reads {@code security-events} and hands {@code user.registered} to
 * {@link RegistrationService}; every other type is skipped. The record is acknowledged
 * only after the effect committed (the returned Uni completes), so a crash before it means
 * a redelivery, which {@code ProcessedEvents} turns into a no-op.
 */
@ApplicationScoped
public class SecurityEventsConsumer {

    private static final Logger LOG = Logger.getLogger(SecurityEventsConsumer.class);

    private final RegistrationService registrations;
    private final ObjectMapper json;

    public SecurityEventsConsumer(RegistrationService registrations, ObjectMapper json) {
        this.registrations = registrations;
        this.json = json;
    }

    @Incoming("security-events")
    public Uni<Void> consume(String value) {
        Registered event = parse(value);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return registrations.userRegistered(event.id(), event.userId(), event.email())
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                .invoke(applied -> LOG.debugf("user.registered %s for %s: %s", event.id(), event.userId(),
                        applied ? "account ready" : "duplicate"))
                .replaceWithVoid();
    }

    /** The registration in this record, or null when it is another type or unreadable (logged, skipped). */
    private Registered parse(String value) {
        try {
            JsonNode envelope = json.readTree(value);
            if (envelope == null || !EventType.USER_REGISTERED.wireName().equals(envelope.path("type").asText())) {
                return null;
            }
            String subject = envelope.path("subject").asText(null);
            UUID id = UUID.fromString(envelope.path("id").asText());
            if (subject == null || subject.isBlank() || subject.length() > 128) {
                LOG.warnf("Skipping user.registered %s without a usable subject", id);
                return null;
            }
            String email = envelope.path("data").path("email").asText(null);
            if (email != null && (email.isBlank() || email.length() > 320)) {
                LOG.warnf("Skipping unusable email of user.registered %s (%s)", id, Redact.email(email));
                email = null;
            }
            return new Registered(id, subject, email);
        } catch (Exception e) {
            LOG.warnf("Skipping an unreadable security event: %s", e.toString());
            return null;
        }
    }

    private record Registered(UUID id, String userId, String email) {
    }
}
