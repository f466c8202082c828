package dev.sentinel.audit.admin;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * This service's SERVICE token from auth-service (client_credentials), kept until shortly
 * before it expires. Callers that find it stale at the same moment share one request for the
 * next one. The token and the secret are never logged.
 */
@ApplicationScoped
public class ServiceToken {

    private record Cached(String bearer, Instant renewAt) {
    }

    private final AuthTokenApi api;
    private final AdminClientConfig config;
    private final Clock clock;
    private final String basic;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    private final AtomicReference<Uni<String>> pending = new AtomicReference<>();

    public ServiceToken(@RestClient AuthTokenApi api, AdminClientConfig config, Clock clock) {
        this.api = api;
        this.config = config;
        this.clock = clock;
        this.basic = "Basic " + Base64.getEncoder().encodeToString(
                (config.clientId() + ":" + config.clientSecret()).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Bearer <token>}, from the cache or freshly fetched. */
    public Uni<String> bearer() {
        Cached now = cached.get();
        if (now != null && clock.instant().isBefore(now.renewAt())) {
            return Uni.createFrom().item(now.bearer());
        }
        Uni<String> inFlight = pending.get();
        if (inFlight != null) {
            return inFlight;
        }
        Uni<String> fetch = Uni.createFrom().deferred(() -> api.token(basic, "client_credentials"))
                .map(this::keep)
                .onTermination().invoke(() -> pending.set(null))
                .memoize().indefinitely();
        return pending.compareAndSet(null, fetch) ? fetch : bearer();
    }

    /** Forgets the cached token (auth refused it): the next call fetches another. */
    public void forget() {
        cached.set(null);
    }

    private String keep(AuthTokenApi.TokenResponse response) {
        if (response == null || response.accessToken() == null || response.expiresIn() <= 0) {
            throw new IllegalStateException("auth-service answered the token request without a usable token");
        }
        long margin = Math.min(config.tokenRefreshMargin().toSeconds(), response.expiresIn() / 2);
        String bearer = "Bearer " + response.accessToken();
        cached.set(new Cached(bearer, clock.instant().plusSeconds(response.expiresIn() - margin)));
        return bearer;
    }

    /**
     * Runs a call to {@code dependency} with this service's SERVICE token. If the dependency
     * refuses the token (401: expired early, or a key rotation), the token is fetched again and
     * the call made once more (the refused call changed nothing). An answer about the request
     * itself (400, 404, 409...) reaches the caller as the dependency's own problem.
     */
    public <T> Uni<T> call(String dependency, Function<String, Uni<T>> call) {
        return bearer().chain(bearer -> call.apply(bearer))
                .onFailure(failure -> failure instanceof AuthAnswered answered && answered.status() == 401
                        && dependency.equals(answered.dependency()))
                .recoverWithUni(refused -> {
                    forget();
                    return bearer().chain(bearer -> call.apply(bearer));
                })
                .onFailure().transform(ServiceToken::forCaller);
    }

    /** The dependency's own answer about the request, when there is one; the failure as it is otherwise. */
    static Throwable forCaller(Throwable failure) {
        return failure instanceof AuthAnswered answered && answered.forCaller() != null ? answered.forCaller() : failure;
    }
}
