package dev.sentinel.notification.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The socket side of the tests' fake SMTP servers: a server socket on a free loopback port
 * whose accepted connections go to a handler on a daemon thread, until the socket is
 * closed. What the server says (nothing, a refusal, a relay) is the handler's business.
 */
public final class LoopbackServer {

    /** Handles one accepted connection; an I/O failure ends that connection only. */
    @FunctionalInterface
    public interface Handler {
        void accept(Socket client) throws IOException;
    }

    private LoopbackServer() {
    }

    /** Listens on a free loopback port; each accepted connection is passed to {@code handler} in turn. */
    public static ServerSocket start(String name, Handler handler) {
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(name, () -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException closed) {
                    return;
                }
                try {
                    handler.accept(client);
                } catch (IOException e) {
                    close(client);
                }
            }
        });
        return server;
    }

    /** Runs {@code task} on a daemon thread of its own. */
    public static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
