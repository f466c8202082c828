package dev.sentinel.auth.token;

import dev.sentinel.auth.config.AuthConfig;
import dev.sentinel.contracts.security.Claims;
import dev.sentinel.contracts.security.Roles;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import dev.sentinel.auth.web.OffEventLoop;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Mints ES256 access tokens with the claims of DESIGN §3. */
@ApplicationScoped
public class AccessTokens {

    private final SigningKeys keys;
    private final AuthConfig.Jwt config;
    private final Clock clock;

    public AccessTokens(SigningKeys keys, AuthConfig config, Clock clock) {
        this.keys = keys;
        this.config = config.jwt();
        this.clock = clock;
    }

    /** A token for a user's session. */
    public String issue(UUID userId, UUID sessionId, Set<String> roles, Set<String> amr) {
        return sign(base(userId.toString(), roles)
                .claim(Claims.SESSION_ID, sessionId.toString())
                .claim(Claims.AMR, amr));
    }

    /** A token for a machine client: role SERVICE, no session (it cannot be logged out, only expire). */
    public String issueForService(String clientId) {
        return sign(base(clientId, Set.of(Roles.SERVICE)));
    }

    /** The claims every access token has: issuer, audience, subject, id, roles, issued and expiry. */
    private JwtClaimsBuilder base(String subject, Set<String> roles) {
        Instant now = clock.instant();
        return Jwt.issuer(config.issuer()).audience(config.audience())
                .subject(subject)
                .claim(Claims.TOKEN_ID, UUID.randomUUID().toString())
                .groups(roles)
                .issuedAt(now).expiresAt(now.plus(config.accessTokenLifetime()));
    }

    private String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(keys.currentKeyId()).algorithm(SignatureAlgorithm.ES256)
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
