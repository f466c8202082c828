package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.health.DependencyProbe;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Whether the SMTP server answers a TCP connect, reported in {@code /q/health/group/dependencies}
 * and {@code sentinel_dependency_up{dependency="smtp"}}: mail waits in the delivery table and is
 * retried while the server is away, so its absence never takes the service out of rotation.
 */
@ApplicationScoped
public class SmtpProbe implements DependencyProbe {

    private final NetClient client;
    private final String host;
    private final int port;

    public SmtpProbe(Vertx vertx, @ConfigProperty(name = "quarkus.mailer.host") String host,
            @ConfigProperty(name = "quarkus.mailer.port") int port,
            @ConfigProperty(name = "sentinel.dependencies.probe-timeout", defaultValue = "PT1S") Duration timeout) {
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
        this.host = host;
        this.port = port;
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
        return client.connect(port, host).chain(socket -> socket.close());
    }
}
