package dev.sentinel.account.messaging;

import dev.sentinel.account.accounts.Accounts;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.messaging.ProcessedEvents;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** The effect of {@code user.registered}: the account exists and knows its owner's email and language. */
@ApplicationScoped
public class RegistrationService {

    /** Our name in processed_event. */
    static final String CONSUMER = "account-service.user-registered";

    private final ProcessedEvents processed;
    private final Accounts accounts;
    private final Clock clock;

    public RegistrationService(ProcessedEvents processed, Accounts accounts, Clock clock) {
        this.processed = processed;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Applies the event once, whatever how often it is delivered; true when it took effect now. */
    @WithTransaction
    public Uni<Boolean> userRegistered(UUID eventId, String userId, String email, Language language,
            Instant registeredAt) {
        return processed.once(CONSUMER, eventId,
                () -> accounts.register(userId, email, language, registeredAt, clock.instant()));
    }
}
