package dev.sentinel.auth.password;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.login.LoginThrottle;
import dev.sentinel.auth.session.SessionService;
import dev.sentinel.auth.token.OpaqueTokens;
import dev.sentinel.auth.user.EmailAddress;
import dev.sentinel.auth.user.EmailToken;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.web.RateLimiter;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Forgotten, reset and changed passwords. A reset ends every session and lifts a lockout; a
 * change ends every session but the caller's. Both mail the owner that the password changed.
 */
@ApplicationScoped
public class PasswordService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final AuthEvents events;
    private final RateLimiter limiter;
    private final AuthConfig config;
    private final Clock clock;

    public PasswordService(UserRepository users, PasswordHasher hasher, SessionService sessions, LoginThrottle throttle,
            AuthEvents events, RateLimiter limiter, AuthConfig config, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.throttle = throttle;
        this.events = events;
        this.limiter = limiter;
        this.config = config;
        this.clock = clock;
    }

    /** Always succeeds; mails a reset link only to an existing account within the mail limit. */
    public Uni<Void> forgot(String rawEmail, ClientInfo client) {
        String email = EmailAddress.required(rawEmail);
        AuthConfig.RateLimits limits = config.rateLimits();
        return limiter.check("forgot:ip:" + client.ip(), limits.perIp(), limits.window())
                .chain(() -> limiter.allow("forgot:email:" + EmailAddress.counterKey(email),
                        limits.mailsPerEmailPerHour(), Duration.ofHours(1)))
                .chain(allowed -> allowed ? sendReset(email, client) : Uni.createFrom().voidItem());
    }

    @WithTransaction
    Uni<Void> sendReset(String email, ClientInfo client) {
        return users.findByEmail(email).chain(user -> {
            if (user == null) {
                return Uni.createFrom().voidItem();
            }
            Instant now = clock.instant();
            String token = OpaqueTokens.newToken();
            EmailToken record = new EmailToken();
            record.tokenHash = OpaqueTokens.hash(token);
            record.userId = user.id;
            record.purpose = EmailToken.RESET_PASSWORD;
            record.createdAt = now;
            record.expiresAt = now.plus(config.verification().resetTokenLifetime());
            String subject = user.id.toString();
            return EmailToken.retireAll(user.id, EmailToken.RESET_PASSWORD, now)
                    .chain(() -> record.persist())
                    .chain(() -> events.emit(EventType.PASSWORD_RESET_REQUESTED, subject, subject, client, "success",
                            Map.of()))
                    .chain(() -> events.email(EmailTemplate.PASSWORD_RESET, user, Map.of(
                            EmailParams.TOKEN, token,
                            EmailParams.EXPIRES_IN_MINUTES, Long.toString(config.verification().resetTokenLifetime().toMinutes()))));
        });
    }

    /** Sets a new password with a reset link: every session ends, a lockout is lifted. */
    public Uni<Void> reset(String token, String newPassword, ClientInfo client) {
        if (!OpaqueTokens.looksValid(token)) {
            return Uni.createFrom().failure(invalidToken());
        }
        String tokenHash = OpaqueTokens.hash(token);
        return findResetOwner(tokenHash)
                .chain(user -> hasher.hashIfAllowed(newPassword, user.email, "newPassword")
                        .chain(hash -> applyReset(tokenHash, hash, client))
                        .call(ended -> sessions.markRevoked(ended))
                        .call(() -> throttle.clear(user.email)))
                .replaceWithVoid();
    }

    @WithSession
    Uni<User> findResetOwner(String tokenHash) {
        return EmailToken.<EmailToken>findById(tokenHash).chain(record -> {
            if (record == null || !EmailToken.RESET_PASSWORD.equals(record.purpose) || !record.isUsable(clock.instant())) {
                return Uni.createFrom().failure(invalidToken());
            }
            return users.findById(record.userId);
        });
    }

    @WithTransaction
    Uni<List<UUID>> applyReset(String tokenHash, String passwordHash, ClientInfo client) {
        Instant now = clock.instant();
        return EmailToken.<EmailToken>findById(tokenHash, LockModeType.PESSIMISTIC_WRITE).chain(record -> {
            // Checked again under the lock: two resets with one link, only one wins.
            if (record == null || !record.isUsable(now)) {
                return Uni.createFrom().failure(invalidToken());
            }
            record.usedAt = now;
            return users.findById(record.userId).chain(user -> setPassword(user, passwordHash, null,
                    SessionService.REASON_PASSWORD_RESET, client));
        });
    }

    /** Changes the caller's password; their other sessions end. */
    public Uni<Void> change(UUID userId, UUID currentSession, String currentPassword, String newPassword,
            ClientInfo client) {
        return findUser(userId)
                .chain(user -> limiter.check("change-password:user:" + userId, config.rateLimits().perAccount(),
                                config.rateLimits().window())
                        .chain(() -> hasher.verify(user.passwordHash, currentPassword))
                        .chain(check -> {
                            if (!check.matches()) {
                                return Uni.createFrom().failure(new ProblemException(
                                        ErrorCode.AUTH_INVALID_CREDENTIALS, "The current password is incorrect."));
                            }
                            return hasher.hashIfAllowed(newPassword, user.email, "newPassword");
                        }))
                .chain(hash -> applyChange(userId, hash, currentSession, client))
                .call(sessions::markRevoked)
                .replaceWithVoid();
    }

    @WithSession
    Uni<User> findUser(UUID userId) {
        return users.findById(userId).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.BIZ_USER_NOT_FOUND, "The account no longer exists."));
    }

    @WithTransaction
    Uni<List<UUID>> applyChange(UUID userId, String passwordHash, UUID keepSession, ClientInfo client) {
        return users.findById(userId).chain(user -> setPassword(user, passwordHash, keepSession,
                SessionService.REASON_PASSWORD, client));
    }

    /** In a transaction: the new hash, the sessions ended, the event and the email. */
    private Uni<List<UUID>> setPassword(User user, String passwordHash, UUID keepSession, String reason,
            ClientInfo client) {
        user.passwordHash = passwordHash;
        user.updatedAt = clock.instant();
        String subject = user.id.toString();
        return sessions.revokeAllInDatabase(user.id, keepSession, reason, subject, client)
                .call(() -> events.emit(EventType.PASSWORD_CHANGED, subject, subject, client, "success",
                        Map.of("via", reason)))
                .call(() -> events.email(EmailTemplate.PASSWORD_CHANGED, user, Map.of()));
    }

    private static ProblemException invalidToken() {
        return new ProblemException(ErrorCode.AUTH_TOKEN_INVALID, "This reset link is invalid or has expired.");
    }
}
