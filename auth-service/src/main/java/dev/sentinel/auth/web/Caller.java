package dev.sentinel.auth.web;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.security.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/** The signed-in user behind a verified token; a machine (service) token is refused with 403. */
public final class Caller {

    private Caller() {
    }

    public static UUID userId(JsonWebToken jwt) {
        return uuid(jwt.getSubject());
    }

    /** The session of the token, or 403 for a token without one. */
    public static UUID sessionId(JsonWebToken jwt) {
        return uuid(jwt.getClaim(Claims.SESSION_ID));
    }

    private static UUID uuid(Object value) {
        try {
            return UUID.fromString(String.valueOf(value));
        } catch (IllegalArgumentException notAUser) {
            throw new ProblemException(ErrorCode.AUTH_FORBIDDEN, "This needs a signed-in user's token.");
        }
    }
}
