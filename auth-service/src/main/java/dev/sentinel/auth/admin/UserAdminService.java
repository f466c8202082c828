package dev.sentinel.auth.admin;

import dev.sentinel.auth.events.AuthEvents;
import dev.sentinel.auth.login.LoginThrottle;
import dev.sentinel.auth.mfa.RecoveryCode;
import dev.sentinel.auth.registration.RegistrationService;
import dev.sentinel.auth.session.Session;
import dev.sentinel.auth.session.SessionRepository;
import dev.sentinel.auth.session.SessionService;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.user.UserRepository;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What admin-audit-service asks of auth on an admin's behalf: search users, lock and unlock,
 * set roles (never taking ADMIN from the last administrator), resend a verification link.
 * Every change is an event with the acting admin as actor.
 */
@ApplicationScoped
public class UserAdminService {

    /** Roles an admin may hand out; SERVICE belongs to machine clients only. */
    static final Set<String> ASSIGNABLE = Set.of(Roles.ADMIN, Roles.USER, Roles.BILLING_ADMIN, Roles.SUPPORT);
    /** {@code auth_session.revoke_reason} of sessions an administrator ended from the console. */
    static final String REASON_ADMIN_REVOKE = "admin_revoke";

    private final UserRepository users;
    private final SessionService sessions;
    private final SessionRepository sessionRows;
    private final LoginThrottle throttle;
    private final RegistrationService registration;
    private final AuthEvents events;
    private final Clock clock;

    public UserAdminService(UserRepository users, SessionService sessions, SessionRepository sessionRows,
            LoginThrottle throttle, RegistrationService registration, AuthEvents events, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.sessionRows = sessionRows;
        this.throttle = throttle;
        this.registration = registration;
        this.events = events;
        this.clock = clock;
    }

    /** @param total every user matching the filters, or null when it was not asked for */
    public record Page(List<User> users, Long total, String nextCursor) {
    }

    public Uni<Page> search(UserSearch search) {
        return search(search, true);
    }

    /**
     * One page; the total ({@code count(*)} over the filters, a second query) only when {@code withTotal}.
     *
     * <p>In a transaction (the setting below ends with it) that plans its queries for the values at hand: the pool's
     * prepared statements would otherwise switch to a generic plan after five runs, which
     * cannot tell a rare email substring (the trigram index) from a common one (walking the
     * creation-time index), and picks the walk: 0.7 s instead of 1 ms at a million users
     * (auth-service/bench/USER-SEARCH.md).
     */
    @WithTransaction
    public Uni<Page> search(UserSearch search, boolean withTotal) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "select set_config('plan_cache_mode', 'force_custom_plan', true)").getSingleResult().chain(planned -> {
            Mutiny.SelectionQuery<User> page = bind(session.createNativeQuery(search.pageSql(), User.class), search);
            if (search.after() != null) {
                page.setParameter("cv", search.after().value()).setParameter("cid", search.after().id());
            }
            Mutiny.SelectionQuery<Long> count = bind(session.createNativeQuery(
                    "select count(*) from app_user where " + search.filterSql(), Long.class), search);
            Uni<Long> counted = withTotal ? count.getSingleResult() : Uni.createFrom().nullItem();
            return page.getResultList().chain(rows -> counted.map(total -> {
                boolean more = rows.size() > search.limit();
                List<User> shown = more ? rows.subList(0, search.limit()) : rows;
                User last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
                String next = more ? UserSearch.encode(UserSearch.sortValue(search.sort(), last.email, last.createdAt),
                        last.id) : null;
                return new Page(List.copyOf(shown), total, next);
            }));
        }));
    }

    private static <T> Mutiny.SelectionQuery<T> bind(Mutiny.SelectionQuery<T> query, UserSearch search) {
        if (search.emailContains() != null) {
            query.setParameter("q", search.likePattern());
        }
        if (search.status() != null) {
            query.setParameter("status", search.status());
        }
        if (search.role() != null) {
            query.setParameter("role", "%," + search.role() + ",%");
        }
        if (search.mfa() != null) {
            query.setParameter("mfa", search.mfa());
        }
        if (search.verified() != null) {
            query.setParameter("verified", search.verified());
        }
        if (search.createdFrom() != null) {
            query.setParameter("createdFrom", search.createdFrom());
        }
        if (search.createdTo() != null) {
            query.setParameter("createdTo", search.createdTo());
        }
        return query;
    }

    /**
     * Locks an account: no sign-in, every session ended at once. The status change and the
     * sessions' revocation commit together (a session cannot outlive the lock between two
     * transactions); every service refuses their access tokens once Redis has the marks.
     */
    public Uni<Void> lock(UUID userId, String note, String actor, ClientInfo client) {
        return lockAndRevoke(userId, note, actor, client).call(sessions::markRevoked).replaceWithVoid();
    }

    /** One user as the admin console shows it; 404 if there is none. */
    @WithSession
    public Uni<User> find(UUID userId) {
        return users.findById(userId).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.BIZ_USER_NOT_FOUND, "No such user."));
    }

    /** One user with what only the detail page shows: the sign-in lockout and the recovery codes left (null when 2FA is off). */
    public record Detail(User user, LoginThrottle.Lockout lockout, Long recoveryCodesLeft) {
    }

    @WithSession
    public Uni<Detail> detail(UUID userId) {
        return find(userId).chain(user -> (user.mfaEnabled ? RecoveryCode.remaining(user.id) : Uni.createFrom().item((Long) null))
                .chain(codes -> throttle.lockout(user.email).map(lockout -> new Detail(user, lockout, codes))));
    }

    /** A user's live sessions, newest use first; 404 if there is no such user. */
    @WithSession
    public Uni<List<Session>> sessions(UUID userId) {
        return find(userId).chain(user -> sessionRows.listLive(user.id, clock.instant()));
    }

    /**
     * An administrator ends a user's sessions: all of them, or the one {@code sessionId} names
     * (404 {@code SYS_NOT_FOUND} if it is not a live session of this user). The revocation and
     * its {@code session.revoked_by_admin} event (actor: the administrator) commit together;
     * the Redis marks follow, so every service refuses the sessions' access tokens at once and
     * auth refuses their refresh tokens. Returns how many sessions ended (0 emits nothing).
     */
    public Uni<Integer> revokeSessions(UUID userId, UUID sessionId, String actor, ClientInfo client) {
        return revokeSessionsInDatabase(userId, sessionId, actor, client).call(sessions::markRevoked).map(List::size);
    }

    @WithTransaction
    Uni<List<UUID>> revokeSessionsInDatabase(UUID userId, UUID sessionId, String actor, ClientInfo client) {
        Instant now = clock.instant();
        // The user's row is locked first, like a lock does: a sign-in committing meanwhile is either
        // seen here (and ended) or opens after this commit.
        return existing(userId).chain(user -> sessionRows.listLive(user.id, now)).chain(live -> {
            List<Session> ending = sessionId == null ? live
                    : live.stream().filter(s -> s.id.equals(sessionId)).toList();
            if (sessionId != null && ending.isEmpty()) {
                return Uni.createFrom().failure(new ProblemException(ErrorCode.SYS_NOT_FOUND,
                        "The user has no such live session."));
            }
            if (ending.isEmpty()) {
                return Uni.createFrom().item(List.<UUID>of());
            }
            ending.forEach(s -> {
                s.revokedAt = now;
                s.revokeReason = REASON_ADMIN_REVOKE;
            });
            List<UUID> ids = ending.stream().map(s -> s.id).toList();
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("sessionIds", ids.stream().map(UUID::toString).toList());
            data.put("scope", sessionId == null ? "all" : "one");
            data.put("before", Map.of("liveSessions", live.size()));
            data.put("after", Map.of("liveSessions", live.size() - ending.size()));
            return events.emit(EventType.SESSION_REVOKED_BY_ADMIN, userId.toString(), actor, client, "success", data)
                    .replaceWith(ids);
        });
    }

    @WithTransaction
    Uni<List<UUID>> lockAndRevoke(UUID userId, String note, String actor, ClientInfo client) {
        return setStatus(userId, User.LOCKED, note, actor, client)
                .chain(user -> sessions.revokeAllInDatabase(user.id, null, SessionService.REASON_ADMIN_LOCK, actor, client));
    }

    /** Unlocks an account, including a login lockout of its address. */
    public Uni<Void> unlock(UUID userId, String actor, ClientInfo client) {
        return setStatus(userId, User.ACTIVE, null, actor, client).call(user -> throttle.clear(user.email)).replaceWithVoid();
    }

    @WithTransaction
    Uni<User> setStatus(UUID userId, String status, String note, String actor, ClientInfo client) {
        return existing(userId).call(user -> {
            if (status.equals(user.status)) {
                return Uni.createFrom().voidItem();
            }
            String before = user.status;
            user.status = status;
            user.updatedAt = clock.instant();
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("reason", "admin");
            if (note != null) {
                data.put("note", note);
            }
            data.put("before", Map.of("status", before));
            data.put("after", Map.of("status", status));
            return events.emit(User.LOCKED.equals(status) ? EventType.USER_LOCKED : EventType.USER_UNLOCKED,
                    user.id.toString(), actor, client, "success", data);
        });
    }

    /** Replaces a user's roles; 409 if it would leave no administrator. */
    @WithTransaction
    public Uni<Set<String>> setRoles(UUID userId, Set<String> roles, String actor, ClientInfo client) {
        if (roles.isEmpty() || !ASSIGNABLE.containsAll(roles)) {
            return Uni.createFrom().failure(new ProblemException(ErrorCode.VAL_RULE_VIOLATION,
                    "Roles must be a non-empty subset of " + new TreeSet<>(ASSIGNABLE) + "."));
        }
        // Lock every administrator row first: two admins demoting each other at once cannot both win.
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select id from app_user where (',' || roles || ',') like '%,ADMIN,%' and status = 'ACTIVE' "
                                + "order by id for update", UUID.class).getResultList())
                .chain(admins -> existing(userId).chain(user -> {
                    boolean losesAdmin = user.roles.contains(Roles.ADMIN) && !roles.contains(Roles.ADMIN);
                    if (losesAdmin && admins.stream().filter(id -> !id.equals(userId)).count() == 0) {
                        return Uni.createFrom().failure(new ProblemException(ErrorCode.BIZ_LAST_ADMIN,
                                "This is the last administrator."));
                    }
                    Set<String> granted = new HashSet<>(roles);
                    granted.removeAll(user.roles);
                    Set<String> revoked = new HashSet<>(user.roles);
                    revoked.removeAll(roles);
                    // Every event of the change carries the whole role set before and after it.
                    Map<String, Object> before = Map.of("roles", List.copyOf(new TreeSet<>(user.roles)));
                    Map<String, Object> after = Map.of("roles", List.copyOf(new TreeSet<>(roles)));
                    user.roles = Set.copyOf(roles);
                    user.updatedAt = clock.instant();
                    String subject = user.id.toString();
                    Uni<Void> emitted = Uni.createFrom().voidItem();
                    for (String role : new TreeSet<>(granted)) {
                        emitted = emitted.chain(() -> events.emit(EventType.ROLE_GRANTED, subject, actor, client,
                                "success", Map.of("role", role, "before", before, "after", after)));
                    }
                    for (String role : new TreeSet<>(revoked)) {
                        emitted = emitted.chain(() -> events.emit(EventType.ROLE_REVOKED, subject, actor, client,
                                "success", Map.of("role", role, "before", before, "after", after)));
                    }
                    return emitted.replaceWith(user.roles);
                }));
    }

    /** Sends a new verification link to an unverified account (a verified one is left alone). */
    @WithTransaction
    public Uni<Boolean> resendVerification(UUID userId) {
        return existing(userId).chain(user -> user.emailVerified
                ? Uni.createFrom().item(false)
                : registration.sendVerification(user).replaceWith(true));
    }

    private Uni<User> existing(UUID userId) {
        return users.findById(userId, LockModeType.PESSIMISTIC_WRITE).onItem().ifNull().failWith(
                () -> new ProblemException(ErrorCode.BIZ_USER_NOT_FOUND, "No such user."));
    }
}
