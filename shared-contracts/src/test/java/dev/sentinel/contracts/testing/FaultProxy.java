package dev.sentinel.contracts.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-owned TCP proxy on a free loopback port in front of one server (issue 17): a service
 * under test is pointed at {@link #address()} instead of the shared server, and the test
 * cuts the path instead of stopping the server everyone else uses. Modes:
 * <ul>
 * <li>{@link Mode#FORWARD}: bytes flow both ways;</li>
 * <li>{@link Mode#REFUSE}: every open connection is closed and new ones are closed at once
 *     (a server that is down);</li>
 * <li>{@link Mode#BLACK_HOLE}: connections are accepted and never answered (a server that
 *     hangs, or a network that drops packets) — the case that makes a client wait longest.</li>
 * </ul>
 * Kafka: the broker's metadata hands clients its advertised address, after which they
 * connect to it directly, so a proxy only stands between a client and Kafka while it never
 * forwarded; start it in {@code BLACK_HOLE} or {@code REFUSE} to keep a service away from
 * the broker for the whole test.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Mode { FORWARD, REFUSE, BLACK_HOLE }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode;

    private FaultProxy(String targetHost, int targetPort, Mode mode) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code host:port}, starting in {@code mode}. */
    public static FaultProxy start(String host, int port, Mode mode) {
        try {
            return new FaultProxy(host, port, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}: what the service under test connects to. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Switches the mode and drops every connection made under the old one, so clients
     * reconnect under the new one (a black-holed connection would otherwise hang for ever).
     */
    public void mode(Mode mode) {
        this.mode = mode;
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
    }

    /**
     * Lets a test in another class loader switch this proxy: a daemon thread follows the
     * system property {@code property} (a {@link Mode} name) and, once switched, sets
     * {@code property + ".applied"} to it. A {@code @QuarkusTest}'s profile and the test
     * itself may see different copies of a static field, never different system properties.
     */
    public FaultProxy controlledBy(String property) {
        Thread watcher = new Thread(() -> {
            // What this proxy applied last, kept here: several proxies may follow one property
            // (one per class loader that started one), and each must switch, not just the first.
            String applied = null;
            while (!server.isClosed()) {
                String wanted = System.getProperty(property);
                if (wanted != null && !wanted.equals(applied)) {
                    mode(Mode.valueOf(wanted));
                    applied = wanted;
                    System.setProperty(property + ".applied", wanted);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fault-proxy-control-" + server.getLocalPort());
        watcher.setDaemon(true);
        watcher.start();
        return this;
    }

    /** Switches the proxy that follows {@code property} (see {@link #controlledBy}) and waits until it did. */
    public static void switchTo(String property, Mode mode) {
        System.setProperty(property, mode.name());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!mode.name().equals(System.getProperty(property + ".applied"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no proxy follows " + property);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            switch (mode) {
                case REFUSE -> closeQuietly(client);
                case BLACK_HOLE -> open.add(client); // held, never read from or answered
                case FORWARD -> forward(client);
            }
        }
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // cut by mode() or close(), or one side hung up
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already gone
        }
    }
}
