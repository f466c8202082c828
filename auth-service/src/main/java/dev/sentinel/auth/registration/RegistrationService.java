package dev.sentinel.auth.registration;

import dev.sentinel.auth.captcha.CaptchaVerifier;
import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.password.PasswordHasher;
import dev.sentinel.auth.token.OpaqueTokens;
import dev.sentinel.auth.user.EmailAddress;
import dev.sentinel.auth.user.EmailToken;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.i18n.Language;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.web.RateLimiter;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sign-up and email verification. Every answer about an address is the same whether or
 * not an account exists (no enumeration): the existing owner gets a "someone tried to
 * register" email instead, and the time spent is the same (the password is hashed either way).
 */
@ApplicationScoped
public class RegistrationService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final CaptchaVerifier captcha;
    private final AuthEvents events;
    private final RateLimiter limiter;
    private final AuthConfig config;
    private final Clock clock;

    public RegistrationService(UserRepository users, PasswordHasher hasher, CaptchaVerifier captcha, AuthEvents events,
            RateLimiter limiter, AuthConfig config, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.captcha = captcha;
        this.events = events;
        this.limiter = limiter;
        this.config = config;
        this.clock = clock;
    }

    /** Signs up {@code rawEmail}; a new account's preferred language is {@code language}. */
    public Uni<Void> register(String rawEmail, String password, String captchaToken, Language language,
            ClientInfo client) {
        String email = EmailAddress.required(rawEmail);
        return limiter.check("register:ip:" + client.ip(), config.rateLimits().perIp(), config.rateLimits().window())
                .chain(() -> captcha.verify(captchaToken, client.ip()))
                .invoke(passed -> {
                    if (!passed) {
                        throw new ProblemException(ErrorCode.AUTH_CAPTCHA_REQUIRED, "Complete the CAPTCHA to sign up.");
                    }
                })
                .chain(() -> hasher.hashIfAllowed(password, email, "password"))
                .chain(hash -> createOrNotify(email, hash, language, client))
                .onFailure(RegistrationService::isDuplicateEmail).recoverWithUni(
                        // Two sign-ups for one address at once: the loser is told the same as everyone.
                        () -> Uni.createFrom().voidItem());
    }

    @WithTransaction
    Uni<Void> createOrNotify(String email, String passwordHash, Language language, ClientInfo client) {
        return users.findByEmail(email).chain(existing -> {
            if (existing != null) {
                // In the owner's language, not the caller's.
                return events.email(EmailTemplate.REGISTER_ATTEMPT, existing, Map.of());
            }
            User user = new User();
            user.id = UUID.randomUUID();
            user.email = email;
            user.passwordHash = passwordHash;
            user.roles = Set.of(Roles.USER);
            user.status = User.ACTIVE;
            user.language = language.tag();
            user.createdAt = clock.instant();
            user.updatedAt = user.createdAt;
            return users.persist(user)
                    .chain(() -> events.emit(EventType.USER_REGISTERED, user.id.toString(), user.id.toString(), client,
                            "success", Map.of("email", email, "language", user.language)))
                    .chain(() -> sendVerification(user));
        });
    }

    /** Issues a new verification link (older ones stop working) and emails it. In a transaction. */
    public Uni<Void> sendVerification(User user) {
        Instant now = clock.instant();
        String token = OpaqueTokens.newToken();
        EmailToken record = new EmailToken();
        record.tokenHash = OpaqueTokens.hash(token);
        record.userId = user.id;
        record.purpose = EmailToken.VERIFY_EMAIL;
        record.createdAt = now;
        record.expiresAt = now.plus(config.verification().emailTokenLifetime());
        return EmailToken.retireAll(user.id, EmailToken.VERIFY_EMAIL, now)
                .chain(() -> record.persist())
                .chain(() -> events.email(EmailTemplate.VERIFY_EMAIL, user,
                        Map.of(EmailParams.TOKEN, token, EmailParams.EXPIRES_IN_HOURS,
                                Long.toString(config.verification().emailTokenLifetime().toHours()))));
    }

    @WithTransaction
    public Uni<Void> verifyEmail(String token, ClientInfo client) {
        if (!OpaqueTokens.looksValid(token)) {
            return Uni.createFrom().failure(invalidToken());
        }
        Instant now = clock.instant();
        return EmailToken.<EmailToken>findById(OpaqueTokens.hash(token))
                .chain(record -> {
                    if (record == null || !EmailToken.VERIFY_EMAIL.equals(record.purpose) || !record.isUsable(now)) {
                        return Uni.createFrom().failure(invalidToken());
                    }
                    record.usedAt = now;
                    return users.findById(record.userId);
                })
                .chain(user -> {
                    user.emailVerified = true;
                    user.updatedAt = now;
                    return events.emit(EventType.USER_EMAIL_VERIFIED, user.id.toString(), user.id.toString(), client,
                            "success", Map.of());
                });
    }

    /** Always succeeds; sends a new link only to an unverified account within the mail limit. */
    public Uni<Void> resendVerification(String rawEmail, ClientInfo client) {
        String email = EmailAddress.required(rawEmail);
        AuthConfig.RateLimits limits = config.rateLimits();
        return limiter.check("resend:ip:" + client.ip(), limits.perIp(), limits.window())
                .chain(() -> limiter.allow("resend:email:" + EmailAddress.counterKey(email),
                        limits.mailsPerEmailPerHour(), Duration.ofHours(1)))
                .chain(allowed -> allowed ? resendIfUnverified(email) : Uni.createFrom().voidItem());
    }

    @WithTransaction
    Uni<Void> resendIfUnverified(String email) {
        return users.findByEmail(email).chain(user -> user == null || user.emailVerified
                ? Uni.createFrom().voidItem()
                : sendVerification(user));
    }

    private static ProblemException invalidToken() {
        return new ProblemException(ErrorCode.AUTH_TOKEN_INVALID, "This verification link is invalid or has expired.");
    }

    private static boolean isDuplicateEmail(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException
                    || (t.getMessage() != null && t.getMessage().contains("app_user_email_idx"))) {
                return true;
            }
        }
        return false;
    }
}
