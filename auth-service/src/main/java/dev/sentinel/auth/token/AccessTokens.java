package dev.sentinel.auth.token;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.contracts.security.Claims;
import dev.sentinel.contracts.security.Roles;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import dev.sentinel.auth.web.OffEventLoop;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Mints ES256 access tokens with the claims of DESIGN §3. */
@ApplicationScoped
public class AccessTokens {

    private final SigningKeys keys;
    private final AuthConfig.Jwt config;

    public AccessTokens(SigningKeys keys, AuthConfig config) {
        this.keys = keys;
        this.config = config.jwt();
    }

    /** A token for a user's session. */
    public String issue(UUID userId, UUID sessionId, Set<String> roles, Set<String> amr) {
        Instant now = Instant.now();
        return Jwt.issuer(config.issuer()).audience(config.audience())
                .subject(userId.toString())
                .claim(Claims.SESSION_ID, sessionId.toString())
                .claim(Claims.TOKEN_ID, UUID.randomUUID().toString())
                .claim(Claims.AMR, amr)
                .groups(roles)
                .issuedAt(now).expiresAt(now.plus(config.accessTokenLifetime()))
                .jws().keyId(keys.currentKeyId()).algorithm(SignatureAlgorithm.ES256)
                .sign(keys.currentPrivateKey());
    }

    /** A token for a machine client: role SERVICE, no session (it cannot be logged out, only expire). */
    public String issueForService(String clientId) {
        Instant now = Instant.now();
        return Jwt.issuer(config.issuer()).audience(config.audience())
                .subject(clientId)
                .claim(Claims.TOKEN_ID, UUID.randomUUID().toString())
                .groups(Set.of(Roles.SERVICE))
                .issuedAt(now).expiresAt(now.plus(config.accessTokenLifetime()))
                .jws().keyId(keys.currentKeyId()).algorithm(SignatureAlgorithm.ES256)
                .sign(keys.currentPrivateKey());
    }

    /** {@link #issue} on a worker thread (ES256 signing is ~1 ms of CPU), resuming on the caller's context. */
    public Uni<String> issueOffLoop(UUID userId, UUID sessionId, Set<String> roles, Set<String> amr) {
        return OffEventLoop.run(Infrastructure.getDefaultWorkerPool(), () -> issue(userId, sessionId, roles, amr));
    }

    public Duration lifetime() {
        return config.accessTokenLifetime();
    }
}
