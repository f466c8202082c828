package dev.sentinel.account.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.log.Redact;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads {@code security-events} and hands {@code user.registered} to
 * {@link RegistrationService} and {@code user.language_changed} to {@link LanguageService};
 * every other type is skipped. The record is acknowledged only after the effect committed
 * (the returned Uni completes), so a crash before it means a redelivery, which
 * {@code ProcessedEvents} turns into a no-op.
 */
@ApplicationScoped
public class SecurityEventsConsumer {

    private static final Logger LOG = Logger.getLogger(SecurityEventsConsumer.class);

    private final RegistrationService registrations;
    private final LanguageService languages;
    private final ObjectMapper json;

    public SecurityEventsConsumer(RegistrationService registrations, LanguageService languages, ObjectMapper json) {
        this.registrations = registrations;
        this.languages = languages;
        this.json = json;
    }

    @Incoming("security-events")
    public Uni<Void> consume(String value) {
        UserEvent event = parse(value);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return apply(event)
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(8)
                .invoke(applied -> LOG.debugf("%s %s for %s: %s", event.type().wireName(), event.id(), event.userId(),
                        applied ? "applied" : "duplicate"))
                .replaceWithVoid();
    }

    /** The event's effect, once per event id; true when it took effect now. */
    private Uni<Boolean> apply(UserEvent event) {
        if (event instanceof Registered registered) {
            return registrations.userRegistered(registered.id(), registered.userId(), registered.email(),
                    registered.language(), registered.time());
        }
        LanguageChanged changed = (LanguageChanged) event;
        return languages.languageChanged(changed.id(), changed.userId(), changed.language(), changed.time());
    }

    /** The event in this record, or null when it is another type or unreadable (logged, skipped). */
    private UserEvent parse(String value) {
        try {
            JsonNode envelope = json.readTree(value);
            String type = envelope == null ? null : envelope.path("type").asText();
            boolean registered = EventType.USER_REGISTERED.wireName().equals(type);
            if (!registered && !EventType.USER_LANGUAGE_CHANGED.wireName().equals(type)) {
                return null;
            }
            String subject = envelope.path("subject").asText(null);
            UUID id = UUID.fromString(envelope.path("id").asText());
            if (subject == null || subject.isBlank() || subject.length() > 128) {
                LOG.warnf("Skipping %s %s without a usable subject", type, id);
                return null;
            }
            JsonNode data = envelope.path("data");
            Language language = Language.of(data.path("language").asText(null)).orElse(null);
            String time = envelope.path("time").asText(null);
            if (!registered) {
                if (language == null || time == null) {
                    LOG.warnf("Skipping user.language_changed %s without a language we speak or a time", id);
                    return null;
                }
                return new LanguageChanged(id, subject, language, Instant.parse(time));
            }
            String email = data.path("email").asText(null);
            if (email != null && (email.isBlank() || email.length() > 320)) {
                LOG.warnf("Skipping unusable email of user.registered %s (%s)", id, Redact.email(email));
                email = null;
            }
            // A registration without a time is older than any change of language.
            return new Registered(id, subject, email, language, time == null ? Instant.EPOCH : Instant.parse(time));
        } catch (Exception e) {
            LOG.warnf("Skipping an unreadable security event: %s", e.toString());
            return null;
        }
    }

    /** What this consumer acts on: one user's event, applied once per id. */
    private sealed interface UserEvent permits Registered, LanguageChanged {
        UUID id();

        String userId();

        EventType type();
    }

    /** @param language null when the event has none we speak (the account keeps its own) */
    private record Registered(UUID id, String userId, String email, Language language, Instant time)
            implements UserEvent {
        @Override
        public EventType type() {
            return EventType.USER_REGISTERED;
        }
    }

    private record LanguageChanged(UUID id, String userId, Language language, Instant time) implements UserEvent {
        @Override
        public EventType type() {
            return EventType.USER_LANGUAGE_CHANGED;
        }
    }
}
