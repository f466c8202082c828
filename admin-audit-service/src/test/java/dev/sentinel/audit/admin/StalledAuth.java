package dev.sentinel.audit.admin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-owned stand-in where admin-audit expects auth-service: it accepts connections and
 * never answers (auth hung), until {@link #cut()} closes the port (auth gone). Never the real
 * auth of 'sentinel up', and nothing else on the machine is touched.
 */
public class StalledAuth implements QuarkusTestResourceLifecycleManager {

    private static ServerSocket server;
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();
    private static final AtomicInteger ACCEPTED = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accepter = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    HELD.add(server.accept());
                    ACCEPTED.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "stalled-auth");
        accepter.setDaemon(true);
        accepter.start();
        // account-service too: the user detail reads it, and no test may reach a real one on 8082.
        return Map.of("quarkus.rest-client.auth-service.url", "http://127.0.0.1:" + server.getLocalPort(),
                "quarkus.rest-client.account-service.url", "http://127.0.0.1:" + server.getLocalPort());
    }

    /** Connections admin-audit opened to the stand-in so far. */
    static int accepted() {
        return ACCEPTED.get();
    }

    /** Closes the port and every held connection: from now on a connection is refused. */
    static void cut() {
        try {
            server.close();
            for (Socket socket : HELD) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null && !server.isClosed()) {
            cut();
        }
    }
}
