package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.health.DependencyProbe;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.NetClient;
import io.vertx.mutiny.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Whether the SMTP server greets a new connection with {@code 220} within the probe timeout,
 * reported in {@code /q/health/group/dependencies} and
 * {@code sentinel_dependency_up{dependency="smtp"}}. A bare TCP connect is not enough: a server
 * (or a proxy or load balancer in front of it) that accepts and then hangs up or stays silent
 * cannot take mail either. Mail waits in the delivery table and is retried while the server is
 * away, so its absence never takes the service out of rotation.
 */
@ApplicationScoped
public class SmtpProbe implements DependencyProbe {

    private static final String GREETING = "220";

    private final NetClient client;
    private final String host;
    private final int port;
    private final Duration timeout;

    public SmtpProbe(Vertx vertx, @ConfigProperty(name = "quarkus.mailer.host") String host,
            @ConfigProperty(name = "quarkus.mailer.port") int port,
            @ConfigProperty(name = "sentinel.dependencies.probe-timeout", defaultValue = "PT1S") Duration timeout) {
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public boolean neededToServe() {
        return false;
    }

    @Override
    public Uni<Void> probe() {
        return client.connect(port, host).chain(socket -> greeting(socket)
                .ifNoItem().after(timeout).failWith(() -> new IllegalStateException("no SMTP greeting"))
                .eventually(socket::close));
    }

    /** Completes once the first three bytes the server sent are {@code 220}; fails on anything else. */
    private static Uni<Void> greeting(NetSocket socket) {
        return Uni.createFrom().emitter(emitter -> {
            Buffer received = Buffer.buffer();
            socket.handler(chunk -> {
                received.appendBuffer(chunk);
                if (received.length() >= GREETING.length()) {
                    String code = received.getString(0, GREETING.length(), StandardCharsets.US_ASCII.name());
                    if (code.equals(GREETING)) {
                        emitter.complete(null);
                    } else {
                        emitter.fail(new IllegalStateException("SMTP server greeted with " + code));
                    }
                }
            });
            socket.closeHandler(() -> emitter.fail(new IllegalStateException("SMTP server hung up before its greeting")));
        });
    }
}
