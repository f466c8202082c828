package dev.sentinel.contracts.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready}: up when every dependency a request needs answered its last probe.
 * Answers from {@link Dependencies} at once, never waiting for a server; the ones whose work
 * waits in a table meanwhile (Kafka behind the outbox, SMTP behind the delivery table) are
 * not part of it but of {@link DependenciesCheck} (docs/decisions.md, "Readiness").
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements AsyncHealthCheck {

    private final Dependencies dependencies;

    public ReadinessCheck(Dependencies dependencies) {
        this.dependencies = dependencies;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("Dependencies needed to serve").up();
        for (Dependencies.State state : dependencies.states()) {
            if (state.probe().neededToServe()) {
                builder.withData(state.probe().name(), state.up() ? "UP" : "DOWN");
                if (!state.up()) {
                    builder.down();
                }
            }
        }
        return Uni.createFrom().item(builder.build());
    }
}
