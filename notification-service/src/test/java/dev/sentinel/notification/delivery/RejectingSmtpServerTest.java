package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.KafkaTopics;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.EmailRequests;
import dev.sentinel.notification.support.LoopbackServer;
import dev.sentinel.notification.support.NotificationTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SMTP server that refuses every recipient with 550: a permanent failure, so the mail
 * is dead-lettered after its first attempt, with the server's answer as the reason — no
 * retries.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
@TestProfile(RejectingSmtpServerTest.Rejecting.class)
class RejectingSmtpServerTest {

    /** Points the mailer at a server that answers 550 to RCPT TO. */
    public static class Rejecting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", Integer.toString(RejectingServer.port()));
        }
    }

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @ConfigProperty(name = NotificationTopics.INPUT)
    String inputTopic;
    @ConfigProperty(name = NotificationTopics.DLQ)
    String dlqTopic;

    @Test
    void a5xxAnswerDeadLettersTheMailAtOnceWithTheServersReason() throws Exception {
        Deliveries deliveries = new Deliveries(pool);
        String recipient = EmailRequests.recipient("rejected");
        UUID id;
        try (EmailRequests requests = new EmailRequests(inputTopic, json)) {
            id = requests.publish("password-changed", recipient, "en", Map.of()).id();
        }
        Deliveries.waitUntil(Duration.ofSeconds(30), () -> "DEAD".equals(deliveries.row(id).get("status")),
                "dead after a permanent failure");
        Map<String, Object> row = deliveries.row(id);
        assertEquals(1, row.get("attempts"), "a permanent failure is not retried");
        assertTrue(((String) row.get("last_error")).contains("550 5.1.1 mailbox unavailable"), row.toString());

        JsonNode letter = null;
        for (ConsumerRecord<String, String> record : KafkaTopics.read(dlqTopic, 1, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
            JsonNode envelope = json.readTree(record.value());
            JsonNode data = envelope.get("data");
            if (data.get("eventId").asText().equals(id.toString())) {
                assertEquals(EventType.EMAIL_DEAD_LETTERED.wireName(), envelope.get("type").asText());
                assertEquals(EventType.EMAIL_DEAD_LETTERED.wireName(),
                        new String(record.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8));
                letter = data;
            }
        }
        assertTrue(letter != null, "a dead letter was published");
        assertEquals(1, letter.get("attempts").asInt());
        assertTrue(letter.get("reason").asText().contains("550"), letter.toString());
        assertEquals(recipient, letter.get("recipient").asText());
    }

    /** A minimal SMTP dialogue on a free loopback port: everything is fine except every recipient. */
    static final class RejectingServer {
        private static ServerSocket socket;

        static synchronized int port() {
            if (socket == null) {
                socket = LoopbackServer.start("rejecting-smtp",
                        client -> LoopbackServer.daemon("rejecting-smtp-session", () -> converse(client)));
            }
            return socket.getLocalPort();
        }

        private static void converse(Socket client) {
            try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.US_ASCII)); OutputStream out = client.getOutputStream()) {
                say(out, "220 rejecting.test ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                    switch (verb) {
                        case "EHLO", "HELO" -> say(out, "250 rejecting.test");
                        case "MAIL", "RSET", "NOOP" -> say(out, "250 OK");
                        case "RCPT" -> say(out, "550 5.1.1 mailbox unavailable");
                        case "QUIT" -> {
                            say(out, "221 bye");
                            return;
                        }
                        default -> say(out, "503 bad sequence of commands");
                    }
                }
            } catch (IOException ignored) {
                // the client went away
            }
        }

        private static void say(OutputStream out, String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
