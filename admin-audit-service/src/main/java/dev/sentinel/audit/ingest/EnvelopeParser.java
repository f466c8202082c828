package dev.sentinel.audit.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads one {@code security-events} record strictly: JSON with no duplicate keys or trailing
 * text, envelope version 1.0, a canonical UUID id, a type of the shared vocabulary, an
 * RFC 3339 time, bounded text fields without NUL characters, {@code data} an object. Anything
 * else is a {@link Rejected} with the reason, to be parked, never thrown.
 */
public final class EnvelopeParser {

    /** Records above this size are parked unread. */
    public static final int MAX_RECORD_CHARS = 256 * 1024;
    static final int MAX_ID = 128;
    static final int MAX_OUTCOME = 64;
    static final int MAX_IP = 64;
    /** A longer user agent is cut here (clients send what they like; the row keeps the start). */
    static final int MAX_USER_AGENT = 1024;
    static final int MAX_TRACE_ID = 64;

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final ObjectMapper json;

    public EnvelopeParser() {
        this.json = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The outcome of reading one record. */
    public sealed interface Result permits Parsed, Rejected {
    }

    public record Parsed(SecurityEvent event) implements Result {
    }

    public record Rejected(String reason) implements Result {
    }

    public Result parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new Rejected("empty record");
        }
        if (raw.length() > MAX_RECORD_CHARS) {
            return new Rejected("record larger than " + MAX_RECORD_CHARS + " characters");
        }
        if (raw.indexOf('\u0000') >= 0) {
            return new Rejected("NUL byte in the record");
        }
        JsonNode root;
        try {
            root = json.readTree(raw);
        } catch (Exception e) {
            return new Rejected("not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Rejected("not a JSON object");
        }
        try {
            return new Parsed(event((ObjectNode) root));
        } catch (Invalid e) {
            return new Rejected(e.getMessage());
        }
    }

    private SecurityEvent event(ObjectNode root) {
        String version = text(root, "specversion", 16, true);
        if (!EventEnvelope.SPEC_VERSION.equals(version)) {
            throw new Invalid("unknown envelope version: " + version);
        }
        String idText = text(root, "id", 36, true);
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw new Invalid("id is not a UUID");
        }
        if (!id.toString().equalsIgnoreCase(idText)) {
            throw new Invalid("id is not a UUID in canonical form");
        }
        String type = text(root, "type", 64, true);
        try {
            EventType.fromWireName(type);
        } catch (IllegalArgumentException e) {
            throw new Invalid("unknown event type: " + type);
        }
        Instant time;
        try {
            time = Instant.parse(text(root, "time", 40, true));
        } catch (DateTimeParseException e) {
            throw new Invalid("time is not an RFC 3339 timestamp");
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new Invalid("time out of range");
        }
        String userAgent = text(root, "userAgent", Integer.MAX_VALUE, false);
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        JsonNode data = root.get("data");
        if (data != null && !data.isNull() && !data.isObject()) {
            throw new Invalid("data is not an object");
        }
        if (data != null && data.toString().indexOf('\u0000') >= 0) {
            throw new Invalid("NUL character in data");
        }
        return new SecurityEvent(id, type, time,
                text(root, "source", MAX_ID, true),
                text(root, "subject", MAX_ID, false),
                text(root, "actor", MAX_ID, false),
                text(root, "outcome", MAX_OUTCOME, false),
                text(root, "ip", MAX_IP, false),
                userAgent,
                text(root, "traceId", MAX_TRACE_ID, false),
                data == null || data.isNull() ? null : (ObjectNode) data);
    }

    /** A text member: null when absent, null or blank (then an error if required); never NUL. */
    private static String text(ObjectNode root, String name, int max, boolean required) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Invalid(name + " is missing");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid(name + " is not a string");
        }
        String value = node.textValue();
        if (value.indexOf('\u0000') >= 0) {
            throw new Invalid("NUL character in " + name);
        }
        if (value.isBlank()) {
            if (required) {
                throw new Invalid(name + " is blank");
            }
            return null;
        }
        if (value.length() > max) {
            throw new Invalid(name + " is longer than " + max + " characters");
        }
        return value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
