package dev.sentinel.contracts.events;

/** Kafka topic names (DESIGN §2). */
public final class Topics {

    /** Security events, keyed by the subject user id; read by the audit log. */
    public static final String SECURITY_EVENTS = "security-events";
    /** Emails to send, keyed by recipient; short retention (links may hold one-time tokens). */
    public static final String EMAIL_REQUESTS = "email-requests";
    /** Email requests that could not be delivered, with the reason. */
    public static final String EMAIL_REQUESTS_DLQ = "email-requests.dlq";

    private Topics() {
    }
}
