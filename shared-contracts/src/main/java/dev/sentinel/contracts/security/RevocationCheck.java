package dev.sentinel.contracts.security;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Refuses every token whose session was revoked (logout, password change, admin lock,
 * refresh reuse), on every service, on every authenticated request. Runs after the
 * signature, issuer, audience and expiry checks of smallrye-jwt.
 *
 * <p>If Redis does not answer, the owning service's {@link RevocationFallback} decides; a
 * service without one fails closed with 503 rather than let a revoked token through.
 */
@ApplicationScoped
public class RevocationCheck implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(RevocationCheck.class);

    private final RevokedSessions revoked;
    private final Instance<RevocationFallback> fallback;

    public RevocationCheck(RevokedSessions revoked, Instance<RevocationFallback> fallback) {
        this.revoked = revoked;
        this.fallback = fallback;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String sessionId = jwt.getClaim(Claims.SESSION_ID);
        if (sessionId == null) {
            // Service tokens (client_credentials) have no session to revoke.
            return Uni.createFrom().item(identity);
        }
        return revoked.isRevoked(sessionId)
                .onFailure().recoverWithUni(redisDown -> whenRedisIsDown(sessionId, redisDown))
                .map(isRevoked -> {
                    if (isRevoked) {
                        throw new AuthenticationFailedException(
                                new ProblemException(ErrorCode.AUTH_SESSION_REVOKED, "This session was revoked."));
                    }
                    return identity;
                });
    }

    private Uni<Boolean> whenRedisIsDown(String sessionId, Throwable cause) {
        if (fallback.isResolvable()) {
            LOG.warnf("Revocation store unreachable (%s); checking the session store instead", cause.toString());
            return fallback.get().isRevoked(sessionId);
        }
        LOG.errorf("Revocation store unreachable (%s); refusing the request", cause.toString());
        return Uni.createFrom().failure(new AuthenticationFailedException(ProblemException.retryLater(
                ErrorCode.SYS_UNAVAILABLE, "The session could not be checked.", 5)));
    }
}
