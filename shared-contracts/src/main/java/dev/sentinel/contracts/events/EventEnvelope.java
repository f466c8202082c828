package dev.sentinel.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope of every event: the CloudEvents 1.0 attributes plus who did it, from
 * where, with what outcome, and the trace it belongs to. Security events carry no secrets
 * and no raw tokens in {@code data}.
 *
 * @param actor   the user id that caused it, or {@link #SYSTEM}
 * @param outcome {@code success} or {@code failure} (or a type-specific word)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        UUID id,
        String specversion,
        EventType type,
        String source,
        Instant time,
        String subject,
        String actor,
        String ip,
        String userAgent,
        String outcome,
        String traceId,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SYSTEM = "system";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        specversion = specversion == null ? SPEC_VERSION : specversion;
    }

    /** A new event with a fresh id and the current time; the rest is filled by the builder. */
    public static Builder of(EventType type, String source) {
        return new Builder(type, source);
    }

    /** Builds an envelope; kept tiny on purpose so producers read as one statement. */
    public static final class Builder {
        private final EventType type;
        private final String source;
        private String subject;
        private String actor = SYSTEM;
        private String ip;
        private String userAgent;
        private String outcome = "success";
        private String traceId;
        private JsonNode data;

        private Builder(EventType type, String source) {
            this.type = type;
            this.source = source;
        }

        public Builder subject(String subject) { this.subject = subject; return this; }
        public Builder actor(String actor) { this.actor = actor; return this; }
        public Builder client(String ip, String userAgent) { this.ip = ip; this.userAgent = userAgent; return this; }
        public Builder outcome(String outcome) { this.outcome = outcome; return this; }
        public Builder traceId(String traceId) { this.traceId = traceId; return this; }
        public Builder data(JsonNode data) { this.data = data; return this; }

        public EventEnvelope build() {
            return new EventEnvelope(UUID.randomUUID(), SPEC_VERSION, type, source, Instant.now(), subject, actor,
                    ip, userAgent, outcome, traceId, data);
        }
    }
}
