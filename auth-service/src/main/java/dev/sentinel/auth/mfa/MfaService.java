package dev.sentinel.auth.mfa;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.login.AttemptCounter;
import dev.sentinel.auth.metrics.AuthMetrics;
import dev.sentinel.auth.login.LoginThrottle;
import dev.sentinel.auth.password.PasswordHasher;
import dev.sentinel.auth.session.SessionService;
import dev.sentinel.auth.session.TokenPair;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.auth.web.OffEventLoop;
import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Claims;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * TOTP second factor: enrolment (inactive until a first code confirms it), the second step
 * of sign-in, recovery codes, disabling, and the lockout after too many wrong codes (TOTP or
 * recovery), which also kills the pending mfaToken and makes the next password sign-in ask
 * for a CAPTCHA. A TOTP code is accepted once per user (replay guard in Redis).
 */
@ApplicationScoped
public class MfaService {

    private static final Set<String> PWD_OTP = Set.of(Claims.AMR_PASSWORD, Claims.AMR_OTP);
    private static final Logger LOG = Logger.getLogger(MfaService.class);

    private final UserRepository users;
    private final SessionService sessions;
    private final PasswordHasher hasher;
    private final AttemptCounter attempts;
    private final LoginThrottle loginThrottle;
    private final MfaChallenges challenges;
    private final AuthEvents events;
    private final ReactiveRedisDataSource redis;
    private final AuthConfig.Mfa config;
    private final SecretCipher cipher;
    private final Totp totp = new Totp(6);
    private final AuthMetrics metrics;
    private final Clock clock;

    public MfaService(UserRepository users, SessionService sessions, PasswordHasher hasher, AttemptCounter attempts,
            LoginThrottle loginThrottle, MfaChallenges challenges, AuthEvents events, ReactiveRedisDataSource redis,
            AuthConfig config, AuthMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.attempts = attempts;
        this.loginThrottle = loginThrottle;
        this.challenges = challenges;
        this.events = events;
        this.redis = redis;
        this.config = config.mfa();
        this.cipher = SecretCipher.fromConfig(config.encryption().keys(), config.encryption().current());
        this.clock = clock;
    }

    public record Enrolment(String secret, String otpauthUri, String qrCode) {
    }

    public record RecoveryLogin(TokenPair tokens, long remaining) {
    }

    // ---- enrolment --------------------------------------------------------------------

    /**
     * Starts enrolment: a new secret, stored encrypted and inactive. The QR image is drawn
     * after the commit, on a worker thread: CPU work holds neither a transaction nor an event loop.
     */
    public Uni<Enrolment> enableInit(UUID userId) {
        return storePendingSecret(userId).chain(pending -> OffEventLoop.run(Infrastructure.getDefaultWorkerPool(),
                () -> new Enrolment(pending.secret(), pending.otpauthUri(), QrCode.pngDataUri(pending.otpauthUri(), 240))));
    }

    private record PendingSecret(String secret, String otpauthUri) {
    }

    @WithTransaction
    Uni<PendingSecret> storePendingSecret(UUID userId) {
        return user(userId).chain(user -> MfaCredential.<MfaCredential>findById(userId).chain(existing -> {
            if (existing != null && existing.active) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_MFA_ALREADY_ENABLED,
                        "Disable two-factor authentication first to enrol a new authenticator."));
            }
            String secret = totp.newSecret();
            MfaCredential credential = existing != null ? existing : new MfaCredential();
            credential.userId = userId;
            credential.secretCiphertext = cipher.encrypt(secret, userId.toString());
            credential.keyVersion = cipher.currentVersion();
            credential.active = false;
            credential.createdAt = clock.instant();
            String uri = Totp.otpauthUri(config.issuer(), user.email, secret);
            Uni<?> saved = existing != null ? Uni.createFrom().item(credential) : credential.persist();
            return saved.replaceWith(new PendingSecret(secret, uri));
        }));
    }

    /** Confirms enrolment with a first code; returns the recovery codes (shown once). */
    public Uni<List<String>> enableComplete(UUID userId, String code, ClientInfo client) {
        return pendingSecret(userId)
                .chain(secret -> guardedCheck(userId, secret, code, null))
                .chain(() -> activate(userId, client));
    }

    @WithSession
    Uni<String> pendingSecret(UUID userId) {
        return MfaCredential.<MfaCredential>findById(userId).map(credential -> {
            if (credential == null || credential.active) {
                throw new ProblemException(ErrorCode.BIZ_MFA_NOT_ENABLED,
                        credential == null ? "Start enrolment first." : "Two-factor authentication is already on.");
            }
            return cipher.decrypt(credential.secretCiphertext, userId.toString());
        });
    }

    @WithTransaction
    Uni<List<String>> activate(UUID userId, ClientInfo client) {
        Instant now = clock.instant();
        return MfaCredential.<MfaCredential>findById(userId, LockModeType.PESSIMISTIC_WRITE)
                .chain(credential -> {
                    if (credential == null || credential.active) {
                        return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_MFA_NOT_ENABLED,
                                "Start enrolment first."));
                    }
                    credential.active = true;
                    credential.activatedAt = now;
                    return user(userId);
                })
                .chain(user -> {
                    user.mfaEnabled = true;
                    user.updatedAt = now;
                    String subject = userId.toString();
                    return newRecoveryCodes(userId, now)
                            .call(() -> events.emit(EventType.MFA_ENABLED, subject, subject, client, "success", Map.of()))
                            .call(() -> events.email(EmailTemplate.MFA_ENABLED, user, Map.of()));
                });
    }

    // ---- sign-in, second step ----------------------------------------------------------

    /** Creates the mfaToken for a user who passed the password step. */
    public Uni<String> challenge(User user, ClientInfo client) {
        return challenges.create(user.id, user.email, client);
    }

    public Uni<TokenPair> verifyLogin(String mfaToken, String code, ClientInfo client) {
        return challenges.find(mfaToken, client).chain(challenge -> activeSecret(challenge.userId())
                .chain(secret -> guardedCheck(challenge.userId(), secret, code, challenge))
                .chain(() -> finish(challenge, client)));
    }

    public Uni<RecoveryLogin> recoveryLogin(String mfaToken, String recoveryCode, ClientInfo client) {
        return challenges.find(mfaToken, client).chain(challenge -> {
            UUID userId = challenge.userId();
            return reserve(userId)
                    .chain(attempt -> useRecoveryCode(userId, recoveryCode, client)
                            .chain(used -> used ? Uni.createFrom().voidItem() : wrongCode(userId, attempt, challenge)))
                    .chain(() -> finish(challenge, client))
                    .chain(tokens -> remaining(userId).map(left -> new RecoveryLogin(tokens, left)));
        });
    }

    @WithTransaction
    Uni<Boolean> useRecoveryCode(UUID userId, String typed, ClientInfo client) {
        String hash = RecoveryCodes.hashOf(typed);
        if (hash == null) {
            return Uni.createFrom().item(false);
        }
        return RecoveryCode.use(userId, hash, clock.instant()).chain(updated -> {
            if (updated != 1) {
                return Uni.createFrom().item(false);
            }
            String subject = userId.toString();
            return RecoveryCode.remaining(userId).chain(left -> user(userId)
                    .call(user -> events.emit(EventType.MFA_RECOVERY_CODE_USED, subject, subject, client, "success",
                            Map.of("remaining", left)))
                    .call(user -> events.email(EmailTemplate.RECOVERY_CODE_USED, user,
                            Map.of(EmailParams.REMAINING, Long.toString(left))))
                    .replaceWith(true));
        });
    }

    /** The challenge is spent (once, even under races) and a session opens with amr pwd+otp. */
    private Uni<TokenPair> finish(MfaChallenges.Challenge challenge, ClientInfo client) {
        return challenges.consume(challenge).chain(mine -> {
            if (!mine) {
                return Uni.createFrom().failure(MfaChallenges.invalid());
            }
            return attempts.reset(triesKey(challenge.userId()))
                    .chain(() -> openSession(challenge.userId(), client))
                    .chain(sessions::sign);
        });
    }

    @WithTransaction
    Uni<SessionService.Grant> openSession(UUID userId, ClientInfo client) {
        return user(userId).chain(user -> reencryptIfStale(userId).chain(() -> sessions.open(user, PWD_OTP, client))
                .call(grant -> events.emit(EventType.AUTH_LOGIN_SUCCEEDED, user.id.toString(), user.id.toString(),
                        client, "success", Map.of("sessionId", grant.sessionId().toString(), "amr", "pwd otp"))));
    }

    // ---- management ---------------------------------------------------------------------

    public Uni<Void> disable(UUID userId, String password, String code, ClientInfo client) {
        return confirmPasswordAndCode(userId, password, code)
                .chain(() -> removeCredential(userId, userId.toString(), client));
    }

    public Uni<List<String>> regenerate(UUID userId, String password, String code) {
        return confirmPasswordAndCode(userId, password, code).chain(() -> replaceRecoveryCodes(userId));
    }

    @WithTransaction
    Uni<List<String>> replaceRecoveryCodes(UUID userId) {
        return newRecoveryCodes(userId, clock.instant());
    }

    /** An administrator turns a user's 2FA off (lost authenticator and codes). */
    public Uni<Void> adminReset(UUID userId, String actor, ClientInfo client) {
        return removeCredential(userId, actor, client, true);
    }

    Uni<Void> removeCredential(UUID userId, String actor, ClientInfo client) {
        return removeCredential(userId, actor, client, false);
    }

    /**
     * Turns 2FA off. The user's own choice is {@code mfa.disabled}; an administrator's reset is
     * {@code mfa.reset_by_admin} with the 2FA state before and after ({@code mfaEnabled},
     * {@code recoveryCodesLeft}). Either mails the user. Nothing is emitted when 2FA was off.
     */
    @WithTransaction
    Uni<Void> removeCredential(UUID userId, String actor, ClientInfo client, boolean byAdmin) {
        return user(userId).chain(user -> RecoveryCode.remaining(userId).chain(codesLeft -> MfaCredential.deleteById(userId)
                .chain(() -> RecoveryCode.deleteAllOf(userId))
                .chain(() -> {
                    boolean wasOn = user.mfaEnabled;
                    user.mfaEnabled = false;
                    user.updatedAt = clock.instant();
                    if (!wasOn) {
                        return Uni.createFrom().voidItem();
                    }
                    String subject = userId.toString();
                    Uni<Void> emitted = byAdmin
                            ? events.emit(EventType.MFA_RESET_BY_ADMIN, subject, actor, client, "success", Map.of(
                                    "before", Map.of("mfaEnabled", true, "recoveryCodesLeft", codesLeft == null ? 0 : codesLeft),
                                    "after", Map.of("mfaEnabled", false, "recoveryCodesLeft", 0)))
                            : events.emit(EventType.MFA_DISABLED, subject, actor, client, "success", Map.of());
                    return emitted.chain(() -> events.email(EmailTemplate.MFA_DISABLED, user, Map.of()));
                })));
    }

    /** Recovery codes left, or null when 2FA is off (for /me). */
    @WithSession
    public Uni<Long> remaining(UUID userId) {
        return RecoveryCode.remaining(userId);
    }

    // ---- internals ----------------------------------------------------------------------

    private Uni<Void> confirmPasswordAndCode(UUID userId, String password, String code) {
        return userInSession(userId).chain(user -> {
            if (!user.mfaEnabled) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_MFA_NOT_ENABLED,
                        "Two-factor authentication is not on."));
            }
            return hasher.verify(user.passwordHash, password).chain(check -> check.matches()
                    ? activeSecret(userId).chain(secret -> guardedCheck(userId, secret, code, null))
                    : Uni.createFrom().failure(new ProblemException(ErrorCode.AUTH_INVALID_CREDENTIALS,
                            "The password is incorrect.")));
        });
    }

    @WithSession
    Uni<String> activeSecret(UUID userId) {
        return MfaCredential.<MfaCredential>findById(userId).map(credential -> {
            if (credential == null || !credential.active) {
                throw new ProblemException(ErrorCode.BIZ_MFA_NOT_ENABLED, "Two-factor authentication is not on.");
            }
            return cipher.decrypt(credential.secretCiphertext, userId.toString());
        });
    }

    /**
     * One counted TOTP check: locked users are refused, a replayed or wrong code counts as a
     * failure, and the failure that reaches the limit locks 2FA (and ends the challenge).
     */
    private Uni<Void> guardedCheck(UUID userId, String secret, String code, MfaChallenges.Challenge challenge) {
        return reserve(userId).chain(attempt -> {
            OptionalLong step = totp.matchingStep(secret, code, clock.millis());
            Uni<Boolean> accepted = step.isEmpty() ? Uni.createFrom().item(false) : firstUse(userId, step.getAsLong());
            return accepted.chain(ok -> ok
                    ? attempts.reset(triesKey(userId))
                    : wrongCode(userId, attempt, challenge));
        });
    }

    private Uni<AttemptCounter.Attempt> reserve(UUID userId) {
        return attempts.reserve(triesKey(userId), lockKey(userId), config.maxFailures(), config.window())
                .invoke(attempt -> {
                    if (attempt.locked()) {
                        throw ProblemException.retryLater(ErrorCode.AUTH_MFA_LOCKED,
                                "Too many wrong codes. Try again later.", attempt.retryAfterSeconds());
                    }
                });
    }

    private Uni<Void> wrongCode(UUID userId, AttemptCounter.Attempt attempt, MfaChallenges.Challenge challenge) {
        metrics.mfaFailure(); // no transaction here: the tries live in Redis
        if (!attempt.isLast(config.maxFailures())) {
            return Uni.createFrom().failure(new ProblemException(ErrorCode.AUTH_MFA_INVALID_CODE,
                    "The code is incorrect."));
        }
        Uni<Void> lock = attempts.lock(triesKey(userId), lockKey(userId), config.lockDuration());
        if (challenge != null) {
            lock = lock.chain(() -> challenges.consume(challenge)).chain(() -> loginThrottle.requireCaptcha(challenge.email()));
        }
        return lock.invoke(() -> metrics.lockout(AuthMetrics.Factor.MFA))
                .chain(() -> Uni.createFrom().failure(ProblemException.retryLater(ErrorCode.AUTH_MFA_LOCKED,
                        "Too many wrong codes. Try again later.", config.lockDuration().toSeconds())));
    }

    /** True the first time a user's code for a step is seen; false for a replay. */
    private Uni<Boolean> firstUse(UUID userId, long step) {
        return redis.value(String.class)
                .setGet("auth:totp:used:" + userId + ":" + step, "1",
                        new SetArgs().nx().ex(Duration.ofMillis(Totp.STEP_MILLIS * 4)))
                .map(previous -> previous == null);
    }

    /** What one batch of {@link #reencryptStale} did; {@code last} is where the next batch starts after. */
    public record Reencrypted(int seen, int moved, int undecryptable, UUID last) {
    }

    /**
     * Re-encrypts under the current key up to {@code limit} seeds stored under another configured
     * one, the next ones in user id order after {@code after}, rows locked so that an enrolment
     * or a sign-in writing the same row waits (or is seen and left alone). Lets an old key go
     * without waiting for every user to sign in ({@link MfaKeyRotation}, docs/key-rotation.md §2).
     * A seed that does not decrypt (a damaged row, a key configured under the wrong version) is
     * left as it is and counted, logged with its user id and key version only: it must not keep
     * the others of its batch under the old key, and the next batch starts after it.
     */
    @WithTransaction
    public Uni<Reencrypted> reencryptStale(int limit, UUID after) {
        // Only seeds this service can decrypt: one under a key it lacks cannot move, and must
        // not stop the others (the procedure's count query shows it).
        return MfaCredential.<MfaCredential>find("keyVersion <> ?1 and keyVersion in ?2 and userId > ?3 order by userId",
                        cipher.currentVersion(), List.copyOf(cipher.versions()), after)
                .withLock(LockModeType.PESSIMISTIC_WRITE).page(0, limit).list()
                .map(stale -> {
                    int moved = 0;
                    for (MfaCredential credential : stale) {
                        String owner = credential.userId.toString();
                        String secret;
                        try {
                            secret = cipher.decrypt(credential.secretCiphertext, owner);
                        } catch (IllegalStateException | IllegalArgumentException undecryptable) {
                            LOG.warnf("TOTP seed of user %s under key version %s does not decrypt (%s); left under "
                                    + "that key", owner, credential.keyVersion, undecryptable.getMessage());
                            continue;
                        }
                        credential.secretCiphertext = cipher.encrypt(secret, owner);
                        credential.keyVersion = cipher.currentVersion();
                        moved++;
                    }
                    UUID last = stale.isEmpty() ? after : stale.get(stale.size() - 1).userId;
                    return new Reencrypted(stale.size(), moved, stale.size() - moved, last);
                });
    }

    /** The key version new seeds are encrypted under (ENCRYPTION_KEY_CURRENT). */
    public String currentKeyVersion() {
        return cipher.currentVersion();
    }

    private Uni<Void> reencryptIfStale(UUID userId) {
        return MfaCredential.<MfaCredential>findById(userId).invoke(credential -> {
            if (credential != null && !cipher.currentVersion().equals(credential.keyVersion)) {
                String secret = cipher.decrypt(credential.secretCiphertext, userId.toString());
                credential.secretCiphertext = cipher.encrypt(secret, userId.toString());
                credential.keyVersion = cipher.currentVersion();
            }
        }).replaceWithVoid();
    }

    private Uni<List<String>> newRecoveryCodes(UUID userId, Instant now) {
        List<String> codes = RecoveryCodes.generate();
        return RecoveryCode.deleteAllOf(userId).chain(() -> {
            Uni<Void> saved = Uni.createFrom().voidItem();
            for (String code : codes) {
                RecoveryCode row = new RecoveryCode();
                row.codeHash = RecoveryCodes.hashOf(code);
                row.userId = userId;
                row.createdAt = now;
                saved = saved.chain(() -> row.persist().replaceWithVoid());
            }
            return saved;
        }).replaceWith(codes);
    }

    @WithSession
    Uni<User> userInSession(UUID userId) {
        return user(userId);
    }

    private Uni<User> user(UUID userId) {
        return users.findById(userId).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.BIZ_USER_NOT_FOUND, "The account no longer exists."));
    }

    private static String triesKey(UUID userId) {
        return "auth:mfa:tries:" + userId;
    }

    private static String lockKey(UUID userId) {
        return "auth:mfa:lock:" + userId;
    }
}
