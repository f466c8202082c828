package dev.sentinel.contracts.problem;

/**
 * The stable error-code catalog shared by every Sentinel service. Clients switch on
 * {@code code}, never on the human text, so a code is never renamed or reused: new
 * codes are added, old ones stay. Prefixes: {@code AUTH_} authentication and
 * authorisation, {@code VAL_} malformed or invalid input, {@code BIZ_} a business rule,
 * {@code SYS_} the platform itself.
 *
 * <p>The English and Arabic titles live in {@code ProblemMessages*.properties} under the
 * code's name.
 */
public enum ErrorCode {
    AUTH_UNAUTHENTICATED(401),
    AUTH_FORBIDDEN(403),
    AUTH_INVALID_CREDENTIALS(401),
    AUTH_CAPTCHA_REQUIRED(401),
    AUTH_EMAIL_NOT_VERIFIED(403),
    AUTH_ACCOUNT_LOCKED(423),
    AUTH_SESSION_REVOKED(401),
    /** A one-time token (email verification, password reset, mfa) that is unknown, used or expired. */
    AUTH_TOKEN_INVALID(400),
    AUTH_REFRESH_INVALID(401),
    AUTH_MFA_INVALID_CODE(401),
    AUTH_MFA_LOCKED(423),
    AUTH_CLIENT_INVALID(401),

    VAL_MALFORMED_BODY(400),
    VAL_INVALID_TYPE(400),
    VAL_INVALID_FIELDS(400),
    VAL_BODY_TOO_LARGE(413),
    /** The request line (method, path and query) is longer than the server reads. */
    VAL_URI_TOO_LONG(414),
    /** The request headers together are larger than the server reads. */
    VAL_HEADERS_TOO_LARGE(431),
    /** Not an HTTP request the server can parse (request line, version or header syntax). */
    VAL_MALFORMED_REQUEST(400),
    VAL_UNSUPPORTED_MEDIA_TYPE(415),
    VAL_NOT_ACCEPTABLE(406),
    VAL_RULE_VIOLATION(422),

    BIZ_CONFLICT(409),
    BIZ_SPEND_CAP_REACHED(402),
    /** The same idempotency key was sent again with a different request. */
    BIZ_IDEMPOTENCY_KEY_REUSED(422),
    BIZ_LIMIT_ABOVE_PLAN_MAXIMUM(422),
    BIZ_RESERVATION_NOT_FOUND(404),
    BIZ_RESERVATION_EXPIRED(409),
    BIZ_RESERVATION_CLOSED(409),
    BIZ_COMMIT_EXCEEDS_HOLD(422),
    BIZ_LAST_ADMIN(409),
    BIZ_MFA_ALREADY_ENABLED(409),
    BIZ_MFA_NOT_ENABLED(409),
    BIZ_DEAD_LETTER_NOT_FOUND(404),
    BIZ_USER_NOT_FOUND(404),
    /** A four-eyes approval (admin console) that does not exist. */
    BIZ_APPROVAL_NOT_FOUND(404),
    /** A four-eyes approval past its time to live: it can no longer be approved or rejected. */
    BIZ_APPROVAL_EXPIRED(409),
    /** A four-eyes approval that was already approved or rejected (or is being approved right now). */
    BIZ_APPROVAL_CLOSED(409),
    /** The administrator who asked for a four-eyes action cannot approve or reject it (any session of theirs). */
    BIZ_SELF_APPROVAL(403),

    SYS_NOT_FOUND(404),
    SYS_METHOD_NOT_ALLOWED(405),
    SYS_RATE_LIMITED(429),
    SYS_BUSY(503),
    SYS_UNAVAILABLE(503),
    SYS_INTERNAL(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this code is always answered with. */
    public int status() {
        return status;
    }

    /** The {@code type} URI of the problem: stable, one per code. */
    public String typeUri() {
        return "https://sentinel.dev/problems/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
