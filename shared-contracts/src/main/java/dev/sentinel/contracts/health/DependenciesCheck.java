package dev.sentinel.contracts.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code /q/health/group/dependencies}: every server this service talks to, from the last
 * background probe (DOWN, 503, as soon as one is away). For people and dashboards: no probe
 * of Kubernetes may point here, or a broker blip takes every pod out of rotation.
 */
@HealthGroup(DependenciesCheck.GROUP)
@ApplicationScoped
public class DependenciesCheck implements AsyncHealthCheck {

    public static final String GROUP = "dependencies";

    private final Dependencies dependencies;

    public DependenciesCheck(Dependencies dependencies) {
        this.dependencies = dependencies;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("Dependencies").up();
        for (Dependencies.State state : dependencies.states()) {
            builder.withData(state.probe().name(), state.up() ? "UP" : "DOWN");
            if (!state.up()) {
                builder.down().withData(state.probe().name() + ".reason", state.reason());
            }
        }
        return Uni.createFrom().item(builder.build());
    }
}
