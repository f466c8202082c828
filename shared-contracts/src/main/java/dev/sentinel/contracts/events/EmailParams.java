package dev.sentinel.contracts.events;

/**
 * Names of the parameters an {@link EmailRequest} carries, shared by the producers that fill
 * them and the notification templates that show them. Values are plain strings; which
 * template reads which is declared on {@link EmailTemplate}.
 */
public final class EmailParams {

    /** A one-time token; the notification service puts it in the mail's link, never in text. */
    public static final String TOKEN = "token";
    /** Lifetime of a verification link, in hours. */
    public static final String EXPIRES_IN_HOURS = "expiresInHours";
    /** Lifetime of a password-reset link, in minutes. */
    public static final String EXPIRES_IN_MINUTES = "expiresInMinutes";
    /** When it happened, ISO-8601. */
    public static final String TIME = "time";
    /** How long a lockout lasts, in minutes. */
    public static final String LOCKED_MINUTES = "lockedMinutes";
    /** When a lockout ends, ISO-8601. */
    public static final String UNTIL = "until";
    /** Device family of a new sign-in (e.g. "Firefox on Linux"). */
    public static final String DEVICE = "device";
    /** Network of a new sign-in, as a /24 or /64 prefix. */
    public static final String NETWORK = "network";
    /** Recovery codes left. */
    public static final String REMAINING = "remaining";
    /** Spend warning threshold, in percent of the cap. */
    public static final String PERCENT = "percent";
    /** Spend so far this period, for display (e.g. "$9.50"). */
    public static final String SPENT = "spent";
    /** The monthly cap, for display. */
    public static final String CAP = "cap";
    /** When the spend period resets, for display. */
    public static final String RESETS_AT = "resetsAt";

    private EmailParams() {
    }
}
