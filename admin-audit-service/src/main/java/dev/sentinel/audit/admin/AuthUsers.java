package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The admin console's calls to auth-service, guarded: each call (token fetch included) has a
 * timeout, reads are retried once, and a circuit breaker per call stops hammering an auth
 * that is down. Answers auth gives about the request (404, 409, 400, 422) come back as the
 * same problem ({@link ProblemException}, which neither retries nor trips the breaker); every
 * other failure — refused connection, timeout, 5xx, open breaker — is a 503 problem naming
 * auth-service ({@link #unavailable}). Values here are defaults; MicroProfile config
 * ({@code dev.sentinel.audit.admin.AuthUsers/Timeout/value}, ...) overrides them.
 */
@ApplicationScoped
@Timeout(value = 2, unit = ChronoUnit.SECONDS)
@CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
        skipOn = ProblemException.class)
public class AuthUsers {

    /** A user search's filters and sort as the console passes them to auth (checked at the edge first). */
    public record Search(String query, String status, String role, String mfa, String verified, String createdFrom,
            String createdTo, String sort) {

        /** What a cursor is sealed to: every filter and the sort, so a cursor only serves its own search. */
        String fingerprint() {
            return String.join("\u001f", nz(query), nz(status), nz(role), nz(sort), nz(mfa), nz(verified),
                    nz(createdFrom), nz(createdTo));
        }

        private static String nz(String value) {
            return value == null ? "" : value;
        }
    }

    /** The dependency's name, as 503 problems and the README give it. */
    public static final String DEPENDENCY = "auth-service";

    private final AuthUsersApi api;
    private final ServiceToken token;

    public AuthUsers(@RestClient AuthUsersApi api, ServiceToken token) {
        this.api = api;
        this.token = token;
    }

    @Retry(maxRetries = 1, delay = 100, abortOn = ProblemException.class)
    /** One page; auth counts the matches ({@code count(*)}) only when {@code withTotal}. */
    public Uni<AuthUsersApi.Page> search(String actor, Search search, int limit, String cursor, boolean withTotal) {
        return asService(bearer -> api.search(bearer, actor, search.query(), search.status(), search.role(),
                search.mfa(), search.verified(), search.createdFrom(), search.createdTo(), search.sort(), limit, cursor,
                withTotal));
    }

    @Retry(maxRetries = 1, delay = 100, abortOn = ProblemException.class)
    public Uni<AuthUsersApi.Detail> get(String actor, UUID id) {
        return asService(bearer -> api.get(bearer, actor, id));
    }

    public Uni<Void> lock(String actor, UUID id, String reason) {
        return asService(bearer -> api.lock(bearer, actor, id, new AuthUsersApi.LockBody(reason)));
    }

    @Retry(maxRetries = 1, delay = 100, abortOn = ProblemException.class)
    public Uni<List<AuthUsersApi.Session>> sessions(String actor, UUID id) {
        return asService(bearer -> api.sessions(bearer, actor, id));
    }

    /** Ends the user's live sessions (all, or the one {@code sessionId} names); not retried: it is a write. */
    public Uni<AuthUsersApi.Revoked> revokeSessions(String actor, UUID id, UUID sessionId) {
        return asService(bearer -> api.revokeSessions(bearer, actor, id, new AuthUsersApi.RevokeBody(sessionId)));
    }

    public Uni<Void> unlock(String actor, UUID id) {
        return asService(bearer -> api.unlock(bearer, actor, id));
    }

    public Uni<AuthUsersApi.Roles> roles(String actor, UUID id, Set<String> roles) {
        return asService(bearer -> api.roles(bearer, actor, id, new AuthUsersApi.RolesBody(roles)));
    }

    /** With the administrator's own token: auth does not let a machine turn someone's 2FA off. */
    public Uni<Void> resetMfa(String adminBearer, UUID id) {
        return Uni.createFrom().deferred(() -> api.resetMfa(adminBearer, id)).onFailure().transform(ServiceToken::forCaller);
    }

    public Uni<Map<String, Object>> resendVerification(String actor, UUID id) {
        return asService(bearer -> api.resendVerification(bearer, actor, id));
    }

    /** The 503 problem for any failure that is not an answer about the request itself. */
    public static Throwable unavailable(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        return down(DEPENDENCY);
    }

    /** The 503 problem naming a dependency of the console that is down or too slow ({@code Retry-After: 5}). */
    static ProblemException down(String dependency) {
        return new ProblemException(ErrorCode.SYS_UNAVAILABLE, dependency + " is unavailable or too slow.",
                List.of(), Map.of("dependency", dependency), 5L);
    }

    private <T> Uni<T> asService(Function<String, Uni<T>> call) {
        return token.call(DEPENDENCY, call);
    }
}
