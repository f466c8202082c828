package dev.sentinel.auth.session;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.metrics.AuthMetrics;
import dev.sentinel.auth.token.AccessTokens;
import dev.sentinel.auth.token.OpaqueTokens;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.RevokedSessions;
import dev.sentinel.contracts.web.RateLimiter;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sessions and their refresh-token families: open at login, rotate on every refresh (with
 * reuse detection and a grace window for concurrent tabs), revoke on logout, password
 * change, reset or reuse. Revocation is recorded in PostgreSQL (the lasting truth) and, after
 * commit, in Redis so every service refuses the session's access tokens at once.
 */
@ApplicationScoped
public class SessionService {

    public static final String REASON_LOGOUT = "logout";
    public static final String REASON_LOGOUT_ALL = "logout_all";
    public static final String REASON_REUSE = "refresh_reuse";
    public static final String REASON_PASSWORD = "password_changed";
    public static final String REASON_PASSWORD_RESET = "password_reset";
    public static final String REASON_ADMIN_LOCK = "admin_lock";

    private final AuthMetrics metrics;
    private final SessionRepository sessions;
    private final UserRepository users;
    private final AccessTokens accessTokens;
    private final RevokedSessions revoked;
    private final AuthEvents events;
    private final AuthConfig.Refresh config;
    private final RefreshTokens successors;
    private final RateLimiter limiter;
    private final AuthConfig.RateLimits rateLimits;
    private final int clockSkewSeconds;
    private final Clock clock;

    public SessionService(SessionRepository sessions, UserRepository users, AccessTokens accessTokens,
            RevokedSessions revoked, AuthEvents events, AuthConfig config, RateLimiter limiter, AuthMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.limiter = limiter;
        this.rateLimits = config.rateLimits();
        this.sessions = sessions;
        this.users = users;
        this.accessTokens = accessTokens;
        this.revoked = revoked;
        this.events = events;
        this.config = config.refresh();
        this.clockSkewSeconds = config.jwt().clockSkewSeconds();
        this.successors = RefreshTokens.fromBase64(config.refresh().derivationKey());
        this.clock = clock;
    }

    /**
     * What a session hands out, before the access token is signed: signing is done with
     * {@link #sign} after the transaction, off the event loop.
     */
    public record Grant(UUID userId, Set<String> roles, UUID sessionId, Set<String> amr, String refreshToken) {
    }

    /**
     * Opens a session for a signed-in user, inside the caller's transaction. The user's row is
     * read again under a share lock and must be active: an admin lock either waits for this
     * session to commit (and then revokes it with the others) or commits first (and this
     * refuses), so no session opens past a lock.
     */
    public Uni<Grant> open(User user, Set<String> amr, ClientInfo client) {
        return users.statusForShare(user.id).chain(SessionService::requireActive)
                .chain(() -> persistSession(user, amr, client));
    }

    /** Fails with {@code AUTH_ACCOUNT_LOCKED} unless an account with this status may sign in. */
    public static Uni<Void> requireActive(String status) {
        return User.isActive(status) ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new ProblemException(ErrorCode.AUTH_ACCOUNT_LOCKED,
                        "This account is locked. Contact support."));
    }

    private Uni<Grant> persistSession(User user, Set<String> amr, ClientInfo client) {
        Instant now = clock.instant();
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.userId = user.id;
        session.userAgent = client.userAgent();
        session.device = client.device();
        session.network = client.network();
        session.amr = String.join(",", amr);
        session.createdAt = now;
        session.lastUsedAt = now;
        session.expiresAt = now.plus(config.lifetime());
        String refresh = OpaqueTokens.newToken();
        return sessions.persist(session)
                .chain(() -> newRefreshToken(session.id, refresh, now).persist())
                .map(ignored -> grant(user, session, refresh));
    }

    /** The signed tokens of a grant. */
    public Uni<TokenPair> sign(Grant grant) {
        return accessTokens.issueOffLoop(grant.userId(), grant.sessionId(), grant.roles(), grant.amr())
                .map(access -> new TokenPair(access, accessTokens.lifetime().toSeconds(), grant.refreshToken(),
                        grant.sessionId()));
    }

    /** The outcome of a refresh: new tokens, or why not (after any revocation was committed). */
    public sealed interface Refreshed {
        record Issued(TokenPair tokens) implements Refreshed { }
        /** @param revokedSession the session this refusal ended (reuse), or null */
        record Refused(String reason, UUID revokedSession) implements Refreshed {
            Refused(String reason) {
                this(reason, null);
            }
        }
    }

    public Uni<Refreshed> refresh(String refreshToken, ClientInfo client) {
        if (!OpaqueTokens.looksValid(refreshToken)) {
            return Uni.createFrom().item(new Refreshed.Refused("malformed"));
        }
        // The Redis mark follows the commit: the revocation is recorded even if Redis is down.
        return limiter.check("refresh:ip:" + client.ip(), rateLimits.perIp() * 4, rateLimits.window())
                .chain(() -> rotate(refreshToken, client))
                .chain(outcome -> {
                    if (outcome instanceof Rotation.Granted granted) {
                        return sign(granted.grant()).map(tokens -> (Refreshed) new Refreshed.Issued(tokens));
                    }
                    Refreshed.Refused refused = ((Rotation.Refused) outcome).refused();
                    if (REASON_REUSE.equals(refused.reason())) {
                        metrics.refreshReuse(); // rotate() has committed the revocation
                    }
                    return (refused.revokedSession() != null
                            ? markRevoked(List.of(refused.revokedSession()))
                            : Uni.createFrom().voidItem()).replaceWith((Refreshed) refused);
                });
    }

    /** What the rotation transaction decided; tokens are signed after it commits. */
    sealed interface Rotation {
        record Granted(Grant grant) implements Rotation { }
        record Refused(Refreshed.Refused refused) implements Rotation { }
    }

    private static Rotation refusal(String reason) {
        return new Rotation.Refused(new Refreshed.Refused(reason));
    }

    @WithTransaction
    Uni<Rotation> rotate(String refreshToken, ClientInfo client) {
        Instant now = clock.instant();
        return RefreshToken.<RefreshToken>findById(OpaqueTokens.hash(refreshToken), LockModeType.PESSIMISTIC_WRITE)
                .chain(token -> {
                    if (token == null) {
                        return Uni.createFrom().item(refusal("unknown"));
                    }
                    return sessions.findById(token.sessionId, LockModeType.PESSIMISTIC_WRITE)
                            .chain(session -> rotate(token, session, refreshToken, client, now));
                });
    }

    private Uni<Rotation> rotate(RefreshToken token, Session session, String raw, ClientInfo client, Instant now) {
        if (session == null || !session.isLive(now)) {
            return Uni.createFrom().item(refusal("session_ended"));
        }
        String subject = session.userId.toString();
        if (!session.device.equals(client.device()) || !session.network.equals(client.network())) {
            return events.emit(EventType.AUTH_LOGIN_FAILED, subject, subject, client, "failure",
                            Map.of("reason", "refresh_binding_mismatch", "sessionId", session.id.toString()))
                    .replaceWith(refusal("binding_mismatch"));
        }
        if (token.rotatedAt == null || !now.isAfter(token.rotatedAt.plus(config.graceWindow()))) {
            // A locked (or otherwise inactive) user gets no new tokens, whatever the session says.
            return users.findById(session.userId).chain(user -> user == null || !user.isActive()
                    ? Uni.createFrom().item(refusal("account_inactive"))
                    : successor(token, session, user, raw, now));
        }
        // An old token came back: it was stolen or leaked. End the whole family.
        session.revokedAt = now;
        session.revokeReason = REASON_REUSE;
        return events.emit(EventType.SESSION_REFRESH_REUSE_DETECTED, subject, subject, client, "failure",
                        Map.of("sessionId", session.id.toString()))
                .chain(() -> events.emit(EventType.SESSION_REVOKED, subject, subject, client, "success",
                        Map.of("sessionId", session.id.toString(), "reason", REASON_REUSE)))
                .replaceWith(new Rotation.Refused(new Refreshed.Refused(REASON_REUSE, session.id)));
    }

    private Uni<Rotation> successor(RefreshToken token, Session session, User user, String raw, Instant now) {
        String successor = successors.successorOf(raw);
        if (token.rotatedAt != null) {
            // A second tab with the same token, just now: the same successor, no revocation.
            return Uni.createFrom().item(new Rotation.Granted(grant(user, session, successor)));
        }
        token.rotatedAt = now;
        session.lastUsedAt = now;
        return newRefreshToken(session.id, successor, now).persist()
                .replaceWith(new Rotation.Granted(grant(user, session, successor)));
    }

    /** Ends one session of {@code userId} (logout, or from the sessions list). False if it is not theirs. */
    public Uni<Boolean> revoke(UUID userId, UUID sessionId, String reason, ClientInfo client) {
        return revokeInDatabase(userId, sessionId, reason, client)
                .call(done -> done ? revoked.revoke(sessionId.toString(), revocationTtl()) : Uni.createFrom().voidItem());
    }

    @WithTransaction
    Uni<Boolean> revokeInDatabase(UUID userId, UUID sessionId, String reason, ClientInfo client) {
        Instant now = clock.instant();
        return sessions.findOwned(sessionId, userId).chain(session -> {
            if (session == null) {
                return Uni.createFrom().item(false);
            }
            if (session.revokedAt != null) {
                return Uni.createFrom().item(true);
            }
            session.revokedAt = now;
            session.revokeReason = reason;
            return events.emit(EventType.SESSION_REVOKED, userId.toString(), userId.toString(), client, "success",
                    Map.of("sessionId", sessionId.toString(), "reason", reason)).replaceWith(true);
        });
    }

    /** Ends every live session of a user except {@code keep} (may be null). */
    public Uni<Integer> revokeAll(UUID userId, UUID keep, String reason, String actor, ClientInfo client) {
        return revokeAllInDatabase(userId, keep, reason, actor, client)
                .call(this::markRevoked)
                .map(List::size);
    }

    /**
     * Marks the sessions revoked in the caller's transaction (or its own); the Redis marks
     * follow with {@link #markRevoked} after commit.
     */
    @WithTransaction
    public Uni<List<UUID>> revokeAllInDatabase(UUID userId, UUID keep, String reason, String actor, ClientInfo client) {
        Instant now = clock.instant();
        return sessions.listLive(userId, now).chain(live -> {
            List<Session> ending = live.stream().filter(s -> !s.id.equals(keep)).toList();
            ending.forEach(s -> {
                s.revokedAt = now;
                s.revokeReason = reason;
            });
            if (ending.isEmpty()) {
                return Uni.createFrom().item(List.<UUID>of());
            }
            List<UUID> ids = ending.stream().map(s -> s.id).toList();
            return events.emit(EventType.SESSION_REVOKED, userId.toString(), actor, client, "success",
                    Map.of("sessionIds", ids.stream().map(UUID::toString).toList(), "reason", reason))
                    .replaceWith(ids);
        });
    }

    /** Marks sessions revoked in Redis, so every service refuses their access tokens now. */
    public Uni<Void> markRevoked(List<UUID> sessionIds) {
        if (sessionIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(sessionIds.stream().map(id -> revoked.revoke(id.toString(), revocationTtl())).toList())
                .andFailFast().replaceWithVoid();
    }

    @WithSession
    public Uni<List<Session>> list(UUID userId) {
        return sessions.listLive(userId, clock.instant());
    }

    private static Grant grant(User user, Session session, String refresh) {
        Set<String> amr = Arrays.stream(session.amr.split(",")).collect(Collectors.toUnmodifiableSet());
        return new Grant(user.id, Set.copyOf(user.roles), session.id, amr, refresh);
    }

    private static RefreshToken newRefreshToken(UUID sessionId, String raw, Instant now) {
        RefreshToken token = new RefreshToken();
        token.tokenHash = OpaqueTokens.hash(raw);
        token.sessionId = sessionId;
        token.createdAt = now;
        return token;
    }

    /** A revocation mark must outlive every access token of the session (lifetime plus skew). */
    private Duration revocationTtl() {
        return accessTokens.lifetime().plusSeconds(clockSkewSeconds);
    }
}
