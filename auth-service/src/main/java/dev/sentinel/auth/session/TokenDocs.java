package dev.sentinel.auth.session;

/**
 * What the OpenAPI document says about the answers that hand out or clear tokens, shared by
 * login, 2FA verify, recovery login, refresh and logout (annotation values must be constants).
 * The examples are made up: no real key or token.
 */
public final class TokenDocs {

    public static final String SET_COOKIE = "Cookie mode only (`tokenDelivery: cookie`, or a cookie refresh): `"
            + TokenDelivery.REFRESH_COOKIE + "` holds the refresh token (HttpOnly; Secure; SameSite=Strict; Path="
            + TokenDelivery.COOKIE_PATH + ") and `" + TokenDelivery.CSRF_COOKIE + "` the CSRF token (readable; Secure;"
            + " SameSite=Strict; Path=" + TokenDelivery.CSRF_COOKIE_PATH + "), both with Max-Age the refresh lifetime."
            + " One Set-Cookie header per cookie.";

    public static final String CLEARED = "`" + TokenDelivery.REFRESH_COOKIE + "` and `" + TokenDelivery.CSRF_COOKIE
            + "` cleared (empty, Max-Age=0), whichever mode signed in. One Set-Cookie header per cookie.";

    public static final String BODY_MODE = "{\"accessToken\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiI5ZjBlIn0.c2lnbmF0dXJl\","
            + " \"tokenType\": \"Bearer\", \"expiresIn\": 900, \"refreshToken\": \"rt_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789\"}";

    public static final String COOKIE_MODE = "{\"accessToken\": \"eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiI5ZjBlIn0.c2lnbmF0dXJl\","
            + " \"tokenType\": \"Bearer\", \"expiresIn\": 900, \"csrfToken\": \"Xy9-pQ8rStUvWxYz0123456789AbCdEfGhIjKlMn\"}";

    private TokenDocs() {
    }
}
