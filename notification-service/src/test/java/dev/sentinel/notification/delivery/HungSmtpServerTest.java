package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.Mailbox;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An SMTP server that accepts connections and then never says a word: every send is cut
 * off by the send timeout and retried later, and the consumer keeps taking new requests
 * meanwhile — a hung server never stalls consumption.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
@TestProfile(HungSmtpServerTest.Hung.class)
class HungSmtpServerTest {

    private static final int SMTP_PORT = 3025;

    /** Points the mailer at a socket that accepts and stays silent. */
    public static class Hung implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", Integer.toString(SilentServer.port()),
                    "notification.sender.send-timeout", "PT1S");
        }
    }

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @ConfigProperty(name = NotificationTopics.INPUT)
    String inputTopic;

    @Test
    void sendsTimeOutAndAreRetriedWhileTheConsumerGoesOn() {
        SilentServer.answering(false);
        Deliveries deliveries = new Deliveries(pool);
        try (EmailRequests requests = new EmailRequests(inputTopic, json)) {
            UUID first = requests.publish("mfa-enabled", EmailRequests.recipient("hung"), "en", Map.of()).id();
            Deliveries.waitUntil(Duration.ofSeconds(30), () -> deliveries.retrying(Set.of(first)) == 1,
                    "the first send timed out and waits for a retry");
            Map<String, Object> row = deliveries.row(first);
            assertEquals("PENDING", row.get("status"));
            assertEquals("SMTP send timed out", row.get("last_error"));

            Set<UUID> more = new HashSet<>();
            List<String> recipients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                recipients.add(EmailRequests.recipient("hung" + i));
                more.add(requests.publish("mfa-disabled", recipients.get(i), "en", Map.of()).id());
            }
            Deliveries.waitUntil(Duration.ofSeconds(10), () -> deliveries.recorded(more) == 20,
                    "the consumer took 20 more requests while every send hangs");
            assertEquals(0, deliveries.count(more, "SENT"));
        }
    }

    @Test
    void connectionsLeftHangingDoNotKeepMailFromGoingOutOnceTheServerAnswers() {
        SilentServer.answering(false);
        Deliveries deliveries = new Deliveries(pool);
        List<String> recipients = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        try (EmailRequests requests = new EmailRequests(inputTopic, json)) {
            for (int i = 0; i < 15; i++) {
                recipients.add(EmailRequests.recipient("recovering" + i));
                ids.add(requests.publish("password-changed", recipients.get(i), "en", Map.of()).id());
            }
            Deliveries.waitUntil(Duration.ofSeconds(60), () -> deliveries.retrying(ids) == 15,
                    "every mail tried once against the hung server");
        }
        assertEquals(0, deliveries.count(ids, "SENT"));
        System.out.printf("FIGURE hung connections held open by the silent server: %d%n", SilentServer.held());

        SilentServer.answering(true);
        try {
            Deliveries.waitUntil(Duration.ofSeconds(90), () -> deliveries.count(ids, "SENT") == 15,
                    "all 15 sent once the server answers, although the hung connections stay open ("
                            + SilentServer.held() + " held; " + deliveries.count(ids, "SENT") + " sent)");
        } finally {
            SilentServer.answering(false);
        }
        for (String recipient : recipients) {
            assertEquals(1, Mailbox.await(recipient, 1, Duration.ofSeconds(30), Duration.ZERO).size(), recipient);
        }
    }

    /**
     * A TCP server on a free loopback port. While silent, it accepts connections and never
     * answers (and keeps them open, like a hung server); once answering, each new connection
     * is relayed to the local SMTP server, while the hung ones stay hung.
     */
    static final class SilentServer {
        // The test profile starts the server from another class loader than the test's, so
        // the two copies of this class talk through system properties, which are JVM-wide.
        private static final String ANSWERING = "sentinel.test.silent-smtp.answering";
        private static final String HELD_COUNT = "sentinel.test.silent-smtp.held";
        private static ServerSocket socket;
        private static final List<Socket> HELD = new ArrayList<>();

        static void answering(boolean answer) {
            System.setProperty(ANSWERING, Boolean.toString(answer));
        }

        static int held() {
            return Integer.getInteger(HELD_COUNT, 0);
        }

        static synchronized int port() {
            if (socket == null) {
                socket = LoopbackServer.start("silent-smtp", accepted -> {
                    if (Boolean.getBoolean(ANSWERING)) {
                        relay(accepted);
                    } else {
                        synchronized (HELD) {
                            HELD.add(accepted);
                            System.setProperty(HELD_COUNT, Integer.toString(HELD.size()));
                        }
                    }
                });
            }
            return socket.getLocalPort();
        }

        /** Pipes a connection to the local SMTP server; if that is away, the client sees a closed connection. */
        private static void relay(Socket client) throws IOException {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), SMTP_PORT);
            pipe(client, server);
            pipe(server, client);
        }

        private static void pipe(Socket from, Socket to) {
            LoopbackServer.daemon("smtp-relay", () -> {
                try (from; to) {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                    // one side closed: the try closes both
                }
            });
        }
    }
}
