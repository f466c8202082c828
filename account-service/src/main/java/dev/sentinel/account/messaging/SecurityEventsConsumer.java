package dev.sentinel.account.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.log.Redact;
import dev.sentinel.contracts.messaging.ParkedRecords;
import dev.sentinel.contracts.messaging.UnusableRecord;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads {@code security-events} and hands {@code user.registered} to
 * {@link RegistrationService} and {@code user.language_changed} to {@link LanguageService};
 * every other type is skipped. The record is acknowledged only after the effect committed
 * (the returned Uni completes), so a crash before it means a redelivery, which
 * {@code ProcessedEvents} turns into a no-op. A record that cannot be used or whose effect
 * fails for good is parked by {@link ParkedRecords} and the consumer goes on; while the
 * database is away it waits and tries the same record again. Built at start, so its parked
 * series exists (at 0) before the first record arrives.
 */
@Startup
@ApplicationScoped
public class SecurityEventsConsumer {

    /** Our name in parked_record and sentinel_consumer_parked_total. */
    static final String CONSUMER = "account-service.security-events";
    private static final Logger LOG = Logger.getLogger(SecurityEventsConsumer.class);

    private final RegistrationService registrations;
    private final LanguageService languages;
    private final ObjectMapper json;
    private final ParkedRecords.Guard guard;

    public SecurityEventsConsumer(RegistrationService registrations, LanguageService languages, ObjectMapper json,
            ParkedRecords parked) {
        this.registrations = registrations;
        this.languages = languages;
        this.json = json;
        this.guard = parked.guard(CONSUMER);
    }

    @Incoming("security-events")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        return guard.handle(record, () -> dispatch(record.value()));
    }

    /** One attempt at one record: runs in a transaction of its own each time the guard calls it. */
    private Uni<Void> dispatch(String value) {
        UserEvent event = parse(value);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        return apply(event)
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

    /**
     * The event in this record, or null when it is a type this consumer does not act on
     * (skipped). A record that is not an envelope, or one of our types without a usable id,
     * subject, time or (for a language change) language, is {@link UnusableRecord} (parked).
     */
    private UserEvent parse(String value) {
        JsonNode envelope;
        try {
            envelope = value == null ? null : json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UnusableRecord("not JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new UnusableRecord("not a JSON object");
        }
        String type = envelope.path("type").asText();
        boolean registered = EventType.USER_REGISTERED.wireName().equals(type);
        if (!registered && !EventType.USER_LANGUAGE_CHANGED.wireName().equals(type)) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(envelope.path("id").asText());
        } catch (IllegalArgumentException e) {
            throw new UnusableRecord(type + " without a usable event id");
        }
        String subject = envelope.path("subject").asText(null);
        if (subject == null || subject.isBlank() || subject.length() > 128) {
            throw new UnusableRecord(type + " without a usable subject", id);
        }
        Instant time = time(envelope, registered, type, id);
        JsonNode data = envelope.path("data");
        Language language = Language.of(data.path("language").asText(null)).orElse(null);
        if (!registered) {
            if (language == null) {
                throw new UnusableRecord("user.language_changed without a language we speak", id);
            }
            return new LanguageChanged(id, subject, language, time);
        }
        String email = data.path("email").asText(null);
        if (email != null && (email.isBlank() || email.length() > 320)) {
            LOG.warnf("Skipping unusable email of user.registered %s (%s)", id, Redact.email(email));
            email = null;
        }
        return new Registered(id, subject, email, language, time);
    }

    /** The event's time; a registration without one counts as older than any language change. */
    private static Instant time(JsonNode envelope, boolean registered, String type, UUID id) {
        String time = envelope.path("time").asText(null);
        if (time == null && registered) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(String.valueOf(time));
        } catch (DateTimeParseException e) {
            throw new UnusableRecord(type + " without a usable time", id);
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
