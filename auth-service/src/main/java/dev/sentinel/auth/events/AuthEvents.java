package dev.sentinel.auth.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.auth.user.User;
import dev.sentinel.auth.web.ClientInfo;
import dev.sentinel.contracts.events.EmailRequest;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.outbox.OutboxWriter;
import dev.sentinel.contracts.web.TraceIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * The security events and email requests auth-service emits, always through the outbox in
 * the caller's transaction. Events carry no password, token or secret.
 */
@ApplicationScoped
public class AuthEvents {

    public static final String SOURCE = "auth-service";
    /** Kafka key of events about an address that has no account. */
    static final String NO_ACCOUNT = "anonymous";

    private final OutboxWriter outbox;
    private final ObjectMapper json;

    public AuthEvents(OutboxWriter outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /** A security event about {@code subject} (a user id, or null when there is no account). */
    public Uni<Void> emit(EventType type, String subject, String actor, ClientInfo client, String outcome,
            Map<String, ?> data) {
        ObjectNode node = json.valueToTree(data);
        EventEnvelope event = EventEnvelope.of(type, SOURCE).subject(subject).actor(actor)
                .client(client == null ? null : client.ip(), client == null ? null : client.userAgent())
                .outcome(outcome).traceId(TraceIds.current()).data(node).build();
        return outbox.append(Topics.SECURITY_EVENTS, subject == null ? NO_ACCOUNT : subject, event);
    }

    /**
     * An email to {@code user}, in the user's preferred language: address, subject and locale
     * all come from the user, so no caller can send one in the caller's language by mistake.
     */
    public Uni<Void> email(EmailTemplate template, User user, Map<String, String> params) {
        EmailRequest request = new EmailRequest(template.wireName(), user.email, user.language, params);
        EventEnvelope event = EventEnvelope.of(EventType.EMAIL_REQUESTED, SOURCE).subject(user.id.toString())
                .traceId(TraceIds.current()).data(json.valueToTree(request)).build();
        return outbox.append(Topics.EMAIL_REQUESTS, user.email, event);
    }
}
