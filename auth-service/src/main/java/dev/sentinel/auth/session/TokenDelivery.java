package dev.sentinel.auth.session;

import dev.sentinel.auth.token.OpaqueTokens;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * How tokens reach the client. Body mode (native apps): both tokens in the JSON. Cookie
 * mode (browsers): the refresh token only in an HttpOnly, Secure, SameSite=Strict cookie on
 * {@code /v1/auth}, plus a readable CSRF cookie whose value must come back in the
 * {@code X-CSRF-Token} header on refresh (double submit). The CSRF cookie is on {@code /}:
 * the SPA's pages live outside {@code /v1/auth} and must read it after a reload, when the
 * token from the login answer is gone from memory. It is no credential on its own.
 */
public final class TokenDelivery {

    public static final String REFRESH_COOKIE = "sentinel_refresh";
    public static final String CSRF_COOKIE = "sentinel_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String COOKIE_MODE = "cookie";
    static final String COOKIE_PATH = "/v1/auth";
    static final String CSRF_COOKIE_PATH = "/";

    private TokenDelivery() {
    }

    public static Response ok(TokenPair tokens, boolean cookieMode, int refreshMaxAgeSeconds) {
        return ok(tokens, cookieMode, refreshMaxAgeSeconds, Function.identity());
    }

    /** The tokens in {@code entity}'s answer (the body {@link Tokens}, or what it makes of them), with the cookies in cookie mode. */
    public static Response ok(TokenPair tokens, boolean cookieMode, int refreshMaxAgeSeconds,
            Function<Tokens, ?> entity) {
        if (!cookieMode) {
            return Response.ok(entity.apply(new Tokens(tokens.accessToken(), Tokens.BEARER, tokens.expiresIn(),
                    tokens.refreshToken(), null))).build();
        }
        String csrf = OpaqueTokens.newToken();
        return Response.ok(entity.apply(new Tokens(tokens.accessToken(), Tokens.BEARER, tokens.expiresIn(), null, csrf)))
                .cookie(cookie(REFRESH_COOKIE, tokens.refreshToken(), true, COOKIE_PATH, refreshMaxAgeSeconds),
                        cookie(CSRF_COOKIE, csrf, false, CSRF_COOKIE_PATH, refreshMaxAgeSeconds))
                .build();
    }

    /** Cookies that remove the session's cookies from the browser. */
    public static NewCookie[] cleared() {
        return new NewCookie[] {cookie(REFRESH_COOKIE, "", true, COOKIE_PATH, 0),
            cookie(CSRF_COOKIE, "", false, CSRF_COOKIE_PATH, 0)};
    }

    /** The double-submit check: the header equals the CSRF cookie (compared in constant time). */
    public static boolean csrfMatches(String header, String cookie) {
        if (header == null || cookie == null || header.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8));
    }

    private static NewCookie cookie(String name, String value, boolean httpOnly, String path, int maxAge) {
        return new NewCookie.Builder(name).value(value).path(path).maxAge(maxAge).secure(true)
                .httpOnly(httpOnly).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
