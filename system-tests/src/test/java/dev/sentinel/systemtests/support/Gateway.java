package dev.sentinel.systemtests.support;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The nginx gateway of {@code deploy/gateway/} in front of the suite: rendered and run by
 * {@code deploy/gateway/gateway.sh} (the same script {@code sentinel up} uses) on a free port of
 * 127.0.0.1, its config, pid, temp files and logs in a folder under {@code target/e2e-logs/}.
 * nginx runs in the foreground as a child of this JVM and is stopped with SIGTERM.
 */
public final class Gateway implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final Process process;

    private Gateway(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Renders the gateway for {@code upstreams} (every service, as {@code host:port}) into
     * {@code dir}, starts nginx on {@code 127.0.0.1:port} and waits until it accepts connections.
     * {@code upstreamTimeout}: how long an upstream may take to answer (null: the config's 30 s).
     */
    static Gateway start(Path root, Path dir, int port, Map<Service, String> upstreams, Duration upstreamTimeout) {
        Path script = root.resolve("deploy/gateway/gateway.sh");
        List<String> render = new ArrayList<>(List.of("bash", script.toString(), "render", dir.toString(),
                "127.0.0.1:" + port));
        for (Service service : Service.values()) {
            String upstream = upstreams.get(service);
            if (upstream == null) {
                throw new IllegalArgumentException("no upstream for " + service);
            }
            render.add(upstream);
        }
        try {
            Files.createDirectories(dir.resolve("logs"));
            Path renderLog = dir.resolve("logs/render.out");
            ProcessBuilder renderer = new ProcessBuilder(render).redirectErrorStream(true)
                    .redirectOutput(renderLog.toFile());
            if (upstreamTimeout != null) {
                renderer.environment().put("GATEWAY_UPSTREAM_TIMEOUT", Long.toString(upstreamTimeout.toSeconds()));
            }
            Process rendering = renderer.start();
            if (!rendering.waitFor(30, TimeUnit.SECONDS) || rendering.exitValue() != 0) {
                rendering.destroyForcibly();
                throw new IllegalStateException("gateway.sh render failed:\n"
                        + Files.readString(renderLog, StandardCharsets.UTF_8));
            }
            Path out = dir.resolve("logs/nginx.out");
            Process nginx = new ProcessBuilder("bash", script.toString(), "run", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            Gateway gateway = new Gateway(port, dir, nginx);
            gateway.awaitListening();
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A rest-assured request to the gateway, JSON in and out. */
    public RequestSpecification given() {
        return RestAssured.given().baseUri(url()).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** nginx's access log: one line per request with its request id and upstream. */
    public Path accessLog() {
        return dir.resolve("logs/access.log");
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + logs());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("nginx not listening on " + port + " within " + START_TIMEOUT
                            + ":\n" + logs());
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("nginx.out", "error.log")) {
            Path file = dir.resolve("logs").resolve(name);
            try {
                text.append("--- ").append(file).append(" ---\n").append(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.append("(no ").append(file).append(")\n");
            }
        }
        return text.toString();
    }

    /** SIGTERM (nginx's fast shutdown), SIGKILL if it is still there after 10 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                // SIGKILL leaves the workers behind (they do not watch their master): kill them too.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** For the JVM's shutdown hook: no waiting. SIGTERM, as SIGKILL would leave nginx's workers running. */
    void kill() {
        process.destroy();
    }
}
