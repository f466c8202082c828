package dev.sentinel.contracts.testing;

import io.restassured.RestAssured;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Clients that hang up in the middle of a request (a closed tab, a phone losing signal), and
 * what the service in the same JVM must not log when they do: Hibernate Reactive's warning
 * of a session touched from two threads (HR000069, "non-threadsafe") or any error. A test
 * opens a {@link Watch}, sends with {@link #hangUp}, and expects {@link Watch#problems()} empty.
 */
public final class HangingUpClients {

    private HangingUpClients() {
    }

    /**
     * Sends a whole POST to the service under test, then resets the connection after 0–25 ms,
     * often before the answer.
     */
    public static void hangUp(String path, Map<String, String> headers, String body) {
        hangUp(path, headers, body, 25);
    }

    /** The same, resetting after 0 to {@code withinMillis} ms (longer for requests that verify a token first). */
    public static void hangUp(String path, Map<String, String> headers, String body, int withinMillis) {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoLinger(true, 0); // a reset, as a vanished client looks
            send(socket, path, headers, body);
            Thread.sleep(ThreadLocalRandom.current().nextInt(withinMillis));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The same request, written the same way, by a client that waits for the answer: its
     * status line. A test shows with it that what it hangs up on is a request the service takes.
     */
    public static String statusLine(String path, Map<String, String> headers, String body) {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            send(socket, path, headers, body);
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(Socket socket, String path, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Starts collecting what the service must not log; checks first that it sees such a line. */
    public static Watch watch() {
        Watch watch = new Watch();
        Logger.getLogger("").addHandler(watch);
        org.jboss.logging.Logger.getLogger("org.hibernate.reactive").warn("HR000069: self-check");
        if (watch.problems.size() != 1) {
            watch.close();
            throw new IllegalStateException("the log watcher does not see Hibernate Reactive's warnings");
        }
        watch.problems.clear();
        return watch;
    }

    /** Warnings of a reactive session used across threads, and errors, logged while open. */
    public static final class Watch extends Handler implements AutoCloseable {

        private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

        private Watch() {
        }

        public List<String> problems() {
            return List.copyOf(problems);
        }

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
            Logger.getLogger("").removeHandler(this);
        }
    }
}
