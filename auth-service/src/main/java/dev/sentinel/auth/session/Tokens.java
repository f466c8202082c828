package dev.sentinel.auth.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a sign-in or refresh that hands out tokens (login, 2FA verify, refresh). Body mode:
 * {@code refreshToken} is here and {@code csrfToken} absent; cookie mode: the refresh token is only
 * in the HttpOnly cookie and {@code csrfToken} is the value to echo in {@code X-CSRF-Token}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Tokens", requiredProperties = {"accessToken", "tokenType", "expiresIn"},
        description = "An access token, and in body mode the refresh token; in cookie mode the CSRF token instead")
public record Tokens(
        @Schema(description = "The JWT to send as `Authorization: Bearer`") String accessToken,
        @Schema(enumeration = "Bearer") String tokenType,
        @Schema(description = "Seconds the access token lives", minimum = "1") long expiresIn,
        @Schema(description = "Body mode only: shown once, send it to /v1/auth/refresh") String refreshToken,
        @Schema(description = "Cookie mode only: echo it in X-CSRF-Token on refresh") String csrfToken) {

    static final String BEARER = "Bearer";
}
