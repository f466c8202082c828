package dev.sentinel.contracts.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of every server this service talks to, probed in the background every
 * {@code sentinel.dependencies.probe-interval} with a {@code sentinel.dependencies.probe-timeout}
 * cut-off, so health endpoints answer at once from the last result and never wait for a
 * server that is slow or away (issue 13). Each dependency is exported as
 * {@code sentinel_dependency_up{dependency}} (1 up, 0 down or not yet known).
 */
@ApplicationScoped
public class Dependencies {

    private static final Logger LOG = Logger.getLogger(Dependencies.class);

    /** The last result of one probe. */
    public record State(DependencyProbe probe, boolean up, String reason) {
    }

    private final List<DependencyProbe> probes;
    private final Map<String, State> states = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, AtomicBoolean> running = new LinkedHashMap<>();
    private final Vertx vertx;
    private final Duration interval;
    private final Duration timeout;
    private volatile long timer = -1;

    public Dependencies(Instance<DependencyProbe> probes, Vertx vertx, MeterRegistry registry,
            @ConfigProperty(name = "sentinel.dependencies.probe-interval", defaultValue = "PT2S") Duration interval,
            @ConfigProperty(name = "sentinel.dependencies.probe-timeout", defaultValue = "PT1S") Duration timeout) {
        this.probes = probes.stream().toList();
        this.vertx = vertx;
        this.interval = interval;
        this.timeout = timeout;
        for (DependencyProbe probe : this.probes) {
            states.put(probe.name(), new State(probe, false, "not probed yet"));
            running.put(probe.name(), new AtomicBoolean());
            Gauge.builder("sentinel.dependency.up", this, d -> d.isUp(probe.name()) ? 1 : 0)
                    .description("Whether the dependency answered its last probe (1) or not (0)")
                    .tag("dependency", probe.name()).register(registry);
        }
    }

    void onStart(@Observes StartupEvent event) {
        // The first round before the HTTP port opens, so a fresh pod reports real states;
        // bounded by the probe timeout (plus a margin), never longer.
        try {
            probeAll().await().atMost(timeout.plusMillis(500));
        } catch (RuntimeException e) {
            LOG.debugf("First dependency probe round incomplete: %s", e.getMessage());
        }
        timer = vertx.setPeriodic(interval.toMillis(), id -> probeAll().subscribe().with(ignored -> {
        }, failure -> LOG.debugf("Dependency probe round failed: %s", failure.getMessage())));
    }

    void onStop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /** Every dependency's last state, in a stable order. */
    public List<State> states() {
        synchronized (states) {
            return new ArrayList<>(states.values());
        }
    }

    public boolean isUp(String name) {
        State state = states.get(name);
        return state != null && state.up();
    }

    private Uni<Void> probeAll() {
        List<Uni<Void>> rounds = probes.stream().map(this::probeOnce).toList();
        return rounds.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(rounds).andCollectFailures().replaceWithVoid();
    }

    private Uni<Void> probeOnce(DependencyProbe probe) {
        AtomicBoolean busy = running.get(probe.name());
        if (!busy.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem(); // the previous probe is still within its timeout
        }
        return Uni.createFrom().deferred(probe::probe)
                .ifNoItem().after(timeout).failWith(() -> new IllegalStateException("no answer within " + timeout))
                .onItemOrFailure().invoke((ignored, failure) -> {
                    busy.set(false);
                    State before = states.get(probe.name());
                    State now = failure == null ? new State(probe, true, null)
                            : new State(probe, false, reason(failure));
                    states.put(probe.name(), now);
                    if (before != null && before.up() != now.up()) {
                        if (now.up()) {
                            LOG.infof("Dependency %s is back", probe.name());
                        } else {
                            LOG.warnf("Dependency %s is down: %s", probe.name(), now.reason());
                        }
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
