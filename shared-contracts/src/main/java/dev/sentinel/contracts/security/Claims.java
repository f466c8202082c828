package dev.sentinel.contracts.security;

/** JWT claim names and fixed values of Sentinel access tokens (DESIGN §3). */
public final class Claims {

    public static final String ISSUER = "iss";
    public static final String AUDIENCE = "aud";
    public static final String SUBJECT = "sub";
    /** The session id: what logout and refresh-reuse detection revoke. */
    public static final String SESSION_ID = "sid";
    public static final String TOKEN_ID = "jti";
    public static final String GROUPS = "groups";
    /** Authentication methods: {@link #AMR_PASSWORD}, {@link #AMR_OTP}. */
    public static final String AMR = "amr";
    public static final String ISSUED_AT = "iat";
    public static final String EXPIRES_AT = "exp";

    public static final String AMR_PASSWORD = "pwd";
    public static final String AMR_OTP = "otp";

    /** Only ES256 is accepted; everything else, including {@code none}, is refused. */
    public static final String ALGORITHM = "ES256";

    private Claims() {
    }
}
