package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.events.EmailTemplate;

import java.util.Map;
import java.util.UUID;

/** One record of {@code email-requests}, as read: a request we can send, or one we never can and why. */
public sealed interface IncomingRequest {

    UUID eventId();

    /** Recipient as given (may be null or unusable for an {@link Invalid} one). */
    String recipient();

    record Valid(UUID eventId, EmailTemplate template, String recipient, String locale, Map<String, String> params)
            implements IncomingRequest {
    }

    /**
     * @param template the template name as given, or null
     * @param raw      what arrived (truncated), kept for the dead letter
     */
    record Invalid(UUID eventId, String reason, String template, String recipient, String raw)
            implements IncomingRequest {
    }
}
