package dev.sentinel.audit.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/** A security event read from the topic and checked, as it arrived (personal fields still plain). */
public record SecurityEvent(UUID id, String type, Instant time, String source, String subject, String actor,
        String outcome, String ip, String userAgent, String traceId, ObjectNode data) {

    /** Whether the event has anything to encrypt (then its owner needs a data key). */
    boolean hasPersonalFields(boolean dataHasEmail) {
        return ip != null || userAgent != null || dataHasEmail;
    }
}
