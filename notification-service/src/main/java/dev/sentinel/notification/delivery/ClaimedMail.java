package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.events.EmailTemplate;

import java.util.Map;
import java.util.UUID;

/** A due mail this sender holds the lease on, with what it needs to render and send it. */
public record ClaimedMail(UUID eventId, EmailTemplate template, String recipient, String locale,
        Map<String, String> params, int attemptsBefore) {
}
