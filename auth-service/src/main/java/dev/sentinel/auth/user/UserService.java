package dev.sentinel.auth.user;

import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Reading and changing a user's own account. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final AuthEvents events;
    private final Clock clock;

    public UserService(UserRepository users, AuthEvents events, Clock clock) {
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    @WithSession
    public Uni<User> get(UUID id) {
        return find(id);
    }

    /**
     * Sets the preferred language, the locale of every later email about the user. A change
     * is announced as {@code user.language_changed} (account-service sends mails too); setting
     * the language the user already has changes nothing and announces nothing.
     */
    @WithTransaction
    public Uni<User> changeLanguage(UUID id, Language language, ClientInfo client) {
        return find(id).call(user -> {
            String previous = user.language;
            if (language.tag().equals(previous)) {
                return Uni.createFrom().voidItem();
            }
            user.language = language.tag();
            user.updatedAt = clock.instant();
            String subject = user.id.toString();
            return events.emit(EventType.USER_LANGUAGE_CHANGED, subject, subject, client, "success",
                    Map.of("language", user.language, "previous", previous));
        });
    }

    private Uni<User> find(UUID id) {
        return users.findById(id).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.BIZ_USER_NOT_FOUND, "The account no longer exists."));
    }
}
