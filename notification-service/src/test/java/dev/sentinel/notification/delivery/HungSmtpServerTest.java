package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.EmailRequests;
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
import java.io.UncheckedIOException;
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

    /** A TCP server on a free loopback port that accepts connections and never answers. */
    static final class SilentServer {
        private static ServerSocket socket;
        private static final List<Socket> HELD = new ArrayList<>();

        static synchronized int port() {
            if (socket == null) {
                try {
                    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Thread acceptor = new Thread(() -> {
                    while (!socket.isClosed()) {
                        try {
                            Socket accepted = socket.accept();
                            synchronized (HELD) {
                                HELD.add(accepted);
                            }
                        } catch (IOException e) {
                            return;
                        }
                    }
                }, "silent-smtp");
                acceptor.setDaemon(true);
                acceptor.start();
            }
            return socket.getLocalPort();
        }
    }
}
