package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sentinel.contracts.events.EmailRequest;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Whatever arrives on the topic is read into a request or a reason, never an exception. */
class RequestReaderTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void aWellFormedRequestIsValid() throws Exception {
        EventEnvelope event = envelope("verify-email", "alice@example.com", "ar-EG", Map.of("token", "t1"));
        IncomingRequest read = RequestReader.read(json, null, json.writeValueAsString(event), "t/0/1");
        IncomingRequest.Valid valid = assertInstanceOf(IncomingRequest.Valid.class, read);
        assertEquals(event.id(), valid.eventId());
        assertEquals(EmailTemplate.VERIFY_EMAIL, valid.template());
        assertEquals("ar-EG", valid.locale());
        assertEquals(Map.of("token", "t1"), valid.params());
    }

    @Test
    void aRequestWithoutALocaleIsStillValid() throws Exception {
        EventEnvelope event = envelope("verify-email", "alice@example.com", null, Map.of("token", "t1"));
        IncomingRequest.Valid valid = assertInstanceOf(IncomingRequest.Valid.class,
                RequestReader.read(json, null, json.writeValueAsString(event), "t/0/2"));
        assertNull(valid.locale(), "the renderer falls back to English (MailRendererTest)");
    }

    @Test
    void notJsonKeepsTheHeaderIdOrAStablePositionId() {
        UUID header = UUID.randomUUID();
        IncomingRequest.Invalid withHeader = invalid(RequestReader.read(json, header.toString(), "{oops", "t/0/7"));
        assertEquals(header, withHeader.eventId());
        assertEquals("not JSON", withHeader.reason());
        IncomingRequest.Invalid first = invalid(RequestReader.read(json, null, "plain text", "t/0/7"));
        IncomingRequest.Invalid again = invalid(RequestReader.read(json, "not-a-uuid", "plain text", "t/0/7"));
        assertEquals(first.eventId(), again.eventId(), "a redelivered record gets the same id");
    }

    @Test
    void everyKindOfBadRequestHasItsReason() throws Exception {
        assertEquals("unknown template 'nope'", reason(envelope("nope", "a@example.com", "en", Map.of())));
        assertEquals("missing recipient", reason(envelope("mfa-enabled", null, "en", Map.of())));
        assertEquals("missing recipient", reason(envelope("mfa-enabled", " ", "en", Map.of())));
        assertEquals("invalid recipient address", reason(envelope("mfa-enabled", "a@b", "en", Map.of())));
        assertEquals("missing parameter 'token' for template password-reset",
                reason(envelope("password-reset", "a@example.com", "en", Map.of())));
        assertEquals("empty record", invalid(RequestReader.read(json, null, "", "t/0/1")).reason());
        assertEquals("not a JSON object", invalid(RequestReader.read(json, null, "[1,2]", "t/0/1")).reason());
        String wrongType = json.writeValueAsString(EventEnvelope.of(EventType.USER_LOCKED, "auth").build());
        assertEquals("unexpected event type 'user.locked'", invalid(RequestReader.read(json, null, wrongType, "t/0/1")).reason());
        String unknownType = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"x.y\",\"data\":{}}";
        assertEquals("unexpected event type 'x.y'", invalid(RequestReader.read(json, null, unknownType, "t/0/1")).reason());
        String noData = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"email.requested\"}";
        assertEquals("missing data", invalid(RequestReader.read(json, null, noData, "t/0/1")).reason());
        String badParams = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"email.requested\",\"data\":"
                + "{\"template\":\"mfa-enabled\",\"recipient\":\"a@example.com\",\"params\":[1]}}";
        assertEquals("params must be an object", invalid(RequestReader.read(json, null, badParams, "t/0/1")).reason());
    }

    @Test
    void nulCharactersThatPostgresCannotStoreAreRefusedAndNeverEchoed() {
        String nulTemplate = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"email.requested\",\"data\":"
                + "{\"template\":\"mfa\\u0000enabled\",\"recipient\":\"a@example.com\"}}";
        IncomingRequest.Invalid invalid = invalid(RequestReader.read(json, null, nulTemplate, "t/0/1"));
        assertEquals("contains a NUL character", invalid.reason());
        assertEquals(null, invalid.template());
        String nulParam = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"email.requested\",\"data\":"
                + "{\"template\":\"mfa-enabled\",\"recipient\":\"a@example.com\",\"params\":{\"x\":[\"\\u0000\"]}}}";
        assertEquals("contains a NUL character", invalid(RequestReader.read(json, null, nulParam, "t/0/1")).reason());
        String nulRaw = "not json \0 at all";
        assertEquals("not json \uFFFD at all", invalid(RequestReader.read(json, null, nulRaw, "t/0/1")).raw());
    }

    @Test
    void aHugeRecordIsKeptTruncated() {
        String huge = "x".repeat(10_000);
        assertEquals(RequestReader.RAW_LIMIT, invalid(RequestReader.read(json, null, huge, "t/0/1")).raw().length());
    }

    private String reason(EventEnvelope event) throws Exception {
        return invalid(RequestReader.read(json, null, json.writeValueAsString(event), "t/0/1")).reason();
    }

    private static IncomingRequest.Invalid invalid(IncomingRequest request) {
        return assertInstanceOf(IncomingRequest.Invalid.class, request);
    }

    private EventEnvelope envelope(String template, String recipient, String locale, Map<String, String> params) {
        return EventEnvelope.of(EventType.EMAIL_REQUESTED, "test")
                .data(json.valueToTree(new EmailRequest(template, recipient, locale, params))).build();
    }
}
