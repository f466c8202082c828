package dev.sentinel.auth.mfa;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.auth.token.OpaqueTokens;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The mfaToken between the password step and the second factor: 256 random bits, kept in
 * Redis only as a hash, single use, short-lived, and bound to the device and network that
 * passed the password step.
 */
@ApplicationScoped
public class MfaChallenges {

    private static final String PREFIX = "auth:mfa:challenge:";

    private final ReactiveRedisDataSource redis;
    private final AuthConfig.Mfa config;

    public MfaChallenges(ReactiveRedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.config = config.mfa();
    }

    /** Who passed the password step, and from where. */
    public record Challenge(String key, UUID userId, String email) {
    }

    public Uni<String> create(UUID userId, String email, ClientInfo client) {
        String token = OpaqueTokens.newToken();
        String value = userId + "|" + client.device() + "|" + client.network() + "|" + email;
        return redis.value(String.class).setex(PREFIX + OpaqueTokens.hash(token), config.challengeLifetime().toSeconds(),
                value).replaceWith(token);
    }

    /** The live challenge for a token presented from the same device and network, else 400. */
    public Uni<Challenge> find(String token, ClientInfo client) {
        if (!OpaqueTokens.looksValid(token)) {
            return Uni.createFrom().failure(invalid());
        }
        String key = PREFIX + OpaqueTokens.hash(token);
        return redis.value(String.class).get(key).map(value -> {
            String[] parts = value == null ? new String[0] : value.split("\\|", 4);
            if (parts.length != 4 || !parts[1].equals(client.device()) || !parts[2].equals(client.network())) {
                throw invalid();
            }
            return new Challenge(key, UUID.fromString(parts[0]), parts[3]);
        });
    }

    /** Ends a challenge; true only for the one caller that ended it (single use under races). */
    public Uni<Boolean> consume(Challenge challenge) {
        return redis.key().del(challenge.key()).map(deleted -> deleted == 1);
    }

    static ProblemException invalid() {
        return new ProblemException(ErrorCode.AUTH_TOKEN_INVALID, "Sign in again: this step has expired.");
    }
}
