package dev.sentinel.auth.login;

import dev.sentinel.auth.captcha.CaptchaVerifier;
import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.metrics.AuthMetrics;
import dev.sentinel.auth.metrics.AuthMetrics.LoginOutcome;
import dev.sentinel.auth.mfa.MfaService;
import dev.sentinel.auth.password.PasswordHasher;
import dev.sentinel.auth.session.SessionService;
import dev.sentinel.auth.user.EmailAddress;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Claims;
import dev.sentinel.contracts.web.RateLimiter;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Password login: rate limit, adaptive CAPTCHA, an atomically reserved try, the password
 * check (against a dummy hash for unknown addresses, so they cost the same), lockout on the
 * last allowed failure, and on success a new session — with a re-hash if the stored hash
 * was made with other Argon2 parameters and a "new sign-in" email for a device never seen.
 */
@ApplicationScoped
public class LoginService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final CaptchaVerifier captcha;
    private final SessionService sessions;
    private final AuthEvents events;
    private final RateLimiter limiter;
    private final AuthConfig config;
    private final MfaService mfa;
    private final AuthMetrics metrics;
    private final Clock clock;

    public LoginService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, CaptchaVerifier captcha,
            SessionService sessions, AuthEvents events, RateLimiter limiter, AuthConfig config, MfaService mfa,
            AuthMetrics metrics, Clock clock) {
        this.mfa = mfa;
        this.metrics = metrics;
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.captcha = captcha;
        this.sessions = sessions;
        this.events = events;
        this.limiter = limiter;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Counted in {@code sentinel_auth_logins_total{outcome}} once decided (the transactions
     * inside have committed by then); a sign-in the client hung up on is not counted.
     */
    public Uni<LoginResult> login(String rawEmail, String password, String captchaToken, ClientInfo client) {
        return attempt(rawEmail, password, captchaToken, client).onItemOrFailure().invoke((result, failure) ->
                metrics.login(failure != null ? LoginOutcome.of(failure)
                        : result instanceof LoginResult.MfaRequired ? LoginOutcome.MFA_REQUIRED : LoginOutcome.SUCCESS));
    }

    private Uni<LoginResult> attempt(String rawEmail, String password, String captchaToken, ClientInfo client) {
        String email = EmailAddress.normalise(rawEmail).orElse(null);
        if (email == null) {
            // Not an address at all: the same answer as a wrong password, nothing counted.
            return Uni.createFrom().failure(invalidCredentials());
        }
        AuthConfig.RateLimits limits = config.rateLimits();
        return limiter.check("login:ip:" + client.ip(), limits.perIp(), limits.window())
                .chain(() -> limiter.check("login:account:" + EmailAddress.counterKey(email),
                        limits.loginPerAccount(), limits.window()))
                .chain(() -> requireCaptchaIfNeeded(email, captchaToken, client))
                .chain(() -> throttle.reserve(email))
                .chain(attempt -> {
                    if (attempt.locked()) {
                        return Uni.createFrom().failure(ProblemException.retryLater(ErrorCode.AUTH_ACCOUNT_LOCKED,
                                "Too many failed sign-ins. Try again later.", attempt.retryAfterSeconds()));
                    }
                    return findUser(email)
                            .chain(user -> hasher.verify(user == null ? null : user.passwordHash, password)
                                    .map(check -> new Checked(user, check)))
                            // Not checked at all (pool full, database away): the try is given back,
                            // or a flood of 503s would lock out the people behind it.
                            .onFailure().call(() -> throttle.release(email))
                            .chain(checked -> checked.check().matches()
                                    ? succeed(checked.user(), email, password, checked.check().needsRehash(), client)
                                    : fail(checked.user(), email, attempt, client));
                });
    }

    private Uni<Void> requireCaptchaIfNeeded(String email, String captchaToken, ClientInfo client) {
        return throttle.captchaRequired(email, client.ip()).chain(required -> {
            if (!required) {
                return Uni.createFrom().voidItem();
            }
            return captcha.verify(captchaToken, client.ip()).invoke(passed -> {
                if (!passed) {
                    throw new ProblemException(ErrorCode.AUTH_CAPTCHA_REQUIRED, "Complete the CAPTCHA to sign in.");
                }
            }).replaceWithVoid();
        });
    }

    @WithSession
    Uni<User> findUser(String email) {
        return users.findByEmail(email);
    }

    private Uni<LoginResult> fail(User user, String email, AttemptCounter.Attempt attempt, ClientInfo client) {
        boolean locks = attempt.isLast(config.lockout().maxFailures());
        return throttle.failed(email, client.ip())
                .chain(() -> locks ? throttle.lock(email) : Uni.createFrom().voidItem())
                .chain(() -> recordFailure(user, locks, client))
                .invoke(() -> {
                    if (locks) {
                        metrics.lockout(AuthMetrics.Factor.PASSWORD);
                    }
                })
                .chain(() -> Uni.createFrom().failure(invalidCredentials()));
    }

    @WithTransaction
    Uni<Void> recordFailure(User user, boolean locked, ClientInfo client) {
        String subject = user == null ? null : user.id.toString();
        Uni<Void> failed = events.emit(EventType.AUTH_LOGIN_FAILED, subject, subject == null ? "anonymous" : subject,
                client, "failure", Map.of("reason", user == null ? "unknown_account" : "wrong_password"));
        if (!locked || user == null) {
            return failed;
        }
        long minutes = config.lockout().duration().toMinutes();
        return failed
                .chain(() -> events.emit(EventType.USER_LOCKED, subject, "system", client, "success",
                        Map.of("reason", "too_many_failed_logins", "lockedForSeconds",
                                config.lockout().duration().toSeconds())))
                .chain(() -> events.email(EmailTemplate.ACCOUNT_LOCKED, user,
                        Map.of(EmailParams.LOCKED_MINUTES, Long.toString(minutes))));
    }

    private Uni<LoginResult> succeed(User user, String email, String password, boolean rehash, ClientInfo client) {
        return throttle.succeeded(email).chain(() -> {
            if (!user.emailVerified) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.AUTH_EMAIL_NOT_VERIFIED,
                        "Verify your email address, then sign in."));
            }
            Uni<Void> rehashed = SessionService.requireActive(user.status)
                    .chain(() -> rehash ? hasher.hash(password).chain(hash -> storeRehash(user.id, hash))
                            : Uni.createFrom().voidItem());
            if (user.mfaEnabled) {
                // The password was right; the session waits for the second factor.
                return rehashed.chain(() -> mfa.challenge(user, client)).map(LoginResult.MfaRequired::new);
            }
            return rehashed.chain(() -> openSession(user.id, client))
                    .chain(sessions::sign)
                    .map(LoginResult.Tokens::new);
        });
    }

    @WithTransaction
    Uni<Void> storeRehash(java.util.UUID userId, String newHash) {
        return users.findById(userId).invoke(user -> {
            user.passwordHash = newHash;
            user.updatedAt = clock.instant();
        }).replaceWithVoid();
    }

    @WithTransaction
    Uni<SessionService.Grant> openSession(java.util.UUID userId, ClientInfo client) {
        return users.findById(userId).chain(user -> {
            return sessions.open(user, Set.of(Claims.AMR_PASSWORD), client)
                    .call(grant -> events.emit(EventType.AUTH_LOGIN_SUCCEEDED, user.id.toString(), user.id.toString(),
                            client, "success", Map.of("sessionId", grant.sessionId().toString(), "amr", "pwd")))
                    .call(grant -> KnownDevice.remember(user.id, client.device(), client.network())
                            .chain(isNew -> isNew
                                    ? events.email(EmailTemplate.NEW_SIGN_IN, user, Map.of(
                                            EmailParams.DEVICE, client.device(), EmailParams.NETWORK, client.network(),
                                            EmailParams.TIME, clock.instant().toString()))
                                    : Uni.createFrom().voidItem()));
        });
    }

    private record Checked(User user, PasswordHasher.Verification check) {
    }

    static ProblemException invalidCredentials() {
        return new ProblemException(ErrorCode.AUTH_INVALID_CREDENTIALS, "The email or password is incorrect.");
    }
}
