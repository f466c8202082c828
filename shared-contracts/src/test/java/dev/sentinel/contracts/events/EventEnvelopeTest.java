package dev.sentinel.contracts.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventEnvelopeTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void roundTripsWithWireNamesAndCloudEventsAttributes() throws Exception {
        EventEnvelope event = EventEnvelope.of(EventType.USER_LOCKED, "auth-service")
                .subject("u-1").actor("admin-1").client("203.0.113.9", "curl/8").outcome("success")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .data(json.createObjectNode().put("reason", "too_many_failures")).build();

        String text = json.writeValueAsString(event);
        assertTrue(text.contains("\"type\":\"user.locked\""), text);
        assertTrue(text.contains("\"specversion\":\"1.0\""), text);

        EventEnvelope back = json.readValue(text, EventEnvelope.class);
        assertEquals(event, back);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void wireNamesArePastTenseDottedAndUnique(EventType type) {
        assertTrue(type.wireName().matches("[a-z]+\\.[a-z_]+"), type.wireName());
        assertEquals(type, EventType.fromWireName(type.wireName()));
    }

    @Test
    void unknownTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EventType.fromWireName("user.exploded"));
    }
}
