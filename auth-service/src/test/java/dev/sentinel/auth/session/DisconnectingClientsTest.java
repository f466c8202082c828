package dev.sentinel.auth.session;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.Concurrently;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that hang up in the middle of a sign-in or refresh (a closed tab, a mobile network
 * gone) must not leave a reactive database session used from two threads: the service logs
 * no Hibernate Reactive thread warning and no error, and keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class DisconnectingClientsTest {

    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final Handler watcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String text = String.valueOf(record.getMessage());
            if (record.getLevel().intValue() >= Level.WARNING.intValue()
                    && (text.contains("HR000069") || text.contains("non-threadsafe")
                            || record.getLevel().intValue() >= Level.SEVERE.intValue())) {
                problems.add(record.getLoggerName() + ": " + text);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    Pool pool;

    @BeforeEach
    void watchLogs() {
        Logger.getLogger("").addHandler(watcher);
    }

    @AfterEach
    void stopWatching() {
        Logger.getLogger("").removeHandler(watcher);
    }

    @Test
    void clientsHangingUpMidRequestLeaveNoSessionBehind() throws Exception {
        Accounts accounts = new Accounts(pool);
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        List<String> refreshTokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            refreshTokens.add(Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract()
                    .path("refreshToken"));
        }

        // The watcher sees what Hibernate Reactive would log (so this test can fail).
        org.jboss.logging.Logger.getLogger("org.hibernate.reactive").warn("HR000069: self-check");
        assertEquals(1, problems.size(), "the log watcher does not see warnings");
        problems.clear();
        long tokensBefore = refreshTokenRows(email);

        // Hosts of the same /24 (the sessions' network), so per-IP limits do not turn most
        // requests away before they reach the database.
        String network = ip.substring(0, ip.lastIndexOf('.') + 1);
        Concurrently.run(16, worker -> {
            for (int i = 0; i < 20; i++) {
                String host = network + (1 + ThreadLocalRandom.current().nextInt(254));
                if (i == 0) {
                    hangUp("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + Accounts.PASSWORD
                            + "\"}", host);
                } else {
                    hangUp("/v1/auth/refresh", "{\"refreshToken\":\""
                            + refreshTokens.get((worker + i) % refreshTokens.size()) + "\"}", host);
                }
            }
            return null;
        });
        Thread.sleep(2000); // let the abandoned requests finish on the server

        // Still serving, and nothing logged about a session used across threads.
        String fresh = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().path("refreshToken");
        given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).header("User-Agent", Accounts.BROWSER)
                .body(Map.of("refreshToken", fresh)).post("/v1/auth/refresh").then().statusCode(200);
        assertEquals(List.of(), List.copyOf(problems));
        assertTrue(refreshTokenRows(email) > tokensBefore, "no abandoned refresh reached the database");
    }

    private long refreshTokenRows(String email) {
        return pool.preparedQuery("""
                select count(*) from refresh_token t join auth_session s on s.id = t.session_id
                  join app_user u on u.id = s.user_id where lower(u.email) = lower($1)""")
                .execute(Tuple.of(email)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    /** Sends a whole request, then resets the connection after 0–25 ms, often before the answer. */
    private static void hangUp(String path, String body, String ip) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "User-Agent: " + Accounts.BROWSER + "\r\nX-Forwarded-For: " + ip + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoLinger(true, 0); // a reset, as a vanished client looks
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            Thread.sleep(ThreadLocalRandom.current().nextInt(25));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
