package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventType;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads a record of {@code email-requests} into an {@link IncomingRequest}. Whatever
 * arrives, it answers: a record that is not a usable {@code email.requested} envelope
 * becomes {@link IncomingRequest.Invalid} with the reason, never an exception. The event id
 * comes from the envelope, else the {@code ce_id} header, else the record's position, so a
 * redelivered record always gets the same id.
 */
public final class RequestReader {

    static final int RAW_LIMIT = 2000;

    private RequestReader() {
    }

    /**
     * @param headerId the {@code ce_id} header, or null
     * @param position {@code topic/partition/offset}, the id of last resort
     */
    public static IncomingRequest read(ObjectMapper json, String headerId, String value, String position) {
        UUID fallbackId = uuid(headerId).orElseGet(
                () -> UUID.nameUUIDFromBytes(position.getBytes(StandardCharsets.UTF_8)));
        String raw = value == null ? null : storable(value.length() > RAW_LIMIT ? value.substring(0, RAW_LIMIT) : value);
        if (value == null || value.isBlank()) {
            return new IncomingRequest.Invalid(fallbackId, "empty record", null, null, raw);
        }
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (JsonProcessingException e) {
            return new IncomingRequest.Invalid(fallbackId, "not JSON", null, null, raw);
        }
        if (root == null || !root.isObject()) {
            return new IncomingRequest.Invalid(fallbackId, "not a JSON object", null, null, raw);
        }
        UUID eventId = uuid(text(root, "id")).orElse(fallbackId);
        String type = storable(text(root, "type"));
        JsonNode data = root.get("data");
        if (data != null && containsNul(data)) {
            // PostgreSQL stores no NUL character in text or jsonb: such a record could never be recorded.
            return new IncomingRequest.Invalid(eventId, "contains a NUL character", null, null, raw);
        }
        String template = data != null && data.isObject() ? text(data, "template") : null;
        String recipient = data != null && data.isObject() ? text(data, "recipient") : null;
        if (!EventType.EMAIL_REQUESTED.wireName().equals(type)) {
            return new IncomingRequest.Invalid(eventId, "unexpected event type '" + type + "'", template, recipient, raw);
        }
        if (data == null || !data.isObject()) {
            return new IncomingRequest.Invalid(eventId, "missing data", null, null, raw);
        }
        Optional<EmailTemplate> known = EmailTemplate.find(template);
        if (known.isEmpty()) {
            return new IncomingRequest.Invalid(eventId,
                    template == null ? "missing template" : "unknown template '" + template + "'", template, recipient, raw);
        }
        if (recipient == null || recipient.isBlank()) {
            return new IncomingRequest.Invalid(eventId, "missing recipient", template, recipient, raw);
        }
        if (!Recipients.isValid(recipient)) {
            return new IncomingRequest.Invalid(eventId, "invalid recipient address", template, recipient, raw);
        }
        JsonNode paramsNode = data.get("params");
        if (paramsNode != null && !paramsNode.isNull() && !paramsNode.isObject()) {
            return new IncomingRequest.Invalid(eventId, "params must be an object", template, recipient, raw);
        }
        Map<String, String> params = new HashMap<>();
        if (paramsNode != null && paramsNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = paramsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode v = field.getValue();
                if (!v.isNull()) {
                    params.put(field.getKey(), v.isValueNode() ? v.asText() : v.toString());
                }
            }
        }
        for (String name : known.get().requiredParams()) {
            String given = params.get(name);
            if (given == null || given.isBlank()) {
                return new IncomingRequest.Invalid(eventId,
                        "missing parameter '" + name + "' for template " + template, template, recipient, raw);
            }
        }
        return new IncomingRequest.Valid(eventId, known.get(), recipient.trim(), text(data, "locale"), Map.copyOf(params));
    }

    /** Text as PostgreSQL can store it: NUL characters replaced. */
    static String storable(String text) {
        return text == null ? null : text.replace('\0', '\uFFFD');
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue())) {
                return true;
            }
        }
        for (JsonNode element : node) {
            if (node.isArray() && containsNul(element)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static Optional<UUID> uuid(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
