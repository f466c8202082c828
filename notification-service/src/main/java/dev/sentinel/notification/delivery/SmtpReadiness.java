package dev.sentinel.notification.delivery;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Whether the SMTP server answers a TCP connect, reported on {@code /q/health/ready} as
 * data of a check that stays UP: mail waits in the delivery table and is retried while the
 * server is away, so its absence must not take the service out of rotation.
 */
@Readiness
@ApplicationScoped
public class SmtpReadiness implements AsyncHealthCheck {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final NetClient client;
    private final String host;
    private final int port;

    public SmtpReadiness(Vertx vertx, @ConfigProperty(name = "quarkus.mailer.host") String host,
            @ConfigProperty(name = "quarkus.mailer.port") int port) {
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()));
        this.host = host;
        this.port = port;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return client.connect(port, host)
                .chain(socket -> socket.close().replaceWith(true))
                .onFailure().recoverWithItem(false)
                .map(reachable -> HealthCheckResponse.named("SMTP server (non-fatal)").up()
                        .withData("reachable", reachable).withData("server", host + ":" + port).build());
    }
}
