package dev.sentinel.contracts.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;

/** The probes every service has: its database, Redis and the Kafka broker. */
public final class Probes {

    private Probes() {
    }

    /** {@code SELECT 1} on the reactive pool: every request reads or writes the database. */
    @ApplicationScoped
    public static class Postgres implements DependencyProbe {
        private final Pool pool;

        public Postgres(Pool pool) {
            this.pool = pool;
        }

        @Override
        public String name() {
            return "postgresql";
        }

        @Override
        public boolean neededToServe() {
            return true;
        }

        @Override
        public Uni<Void> probe() {
            return pool.query("SELECT 1").execute().replaceWithVoid();
        }
    }

    /** {@code PING}: rate limits and the session-revocation check live in Redis. */
    @ApplicationScoped
    public static class Redis implements DependencyProbe {
        private final ReactiveRedisDataSource redis;

        public Redis(ReactiveRedisDataSource redis) {
            this.redis = redis;
        }

        @Override
        public String name() {
            return "redis";
        }

        @Override
        public boolean neededToServe() {
            return true;
        }

        @Override
        public Uni<Void> probe() {
            return redis.execute("PING").replaceWithVoid();
        }
    }

    /**
     * A metadata request to the broker on a client of its own with short timeouts. Producers
     * write to their outbox and consumers catch up later, so the broker is only reported.
     */
    @ApplicationScoped
    public static class Kafka implements DependencyProbe {
        private final Admin admin;
        private final int timeoutMs;

        public Kafka(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                @ConfigProperty(name = "sentinel.dependencies.probe-timeout", defaultValue = "PT1S") Duration timeout) {
            this.timeoutMs = (int) timeout.toMillis();
            // Creating the client connects nothing: it looks the broker up on first use.
            this.admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "sentinel-dependency-probe",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        }

        @Override
        public String name() {
            return "kafka";
        }

        @Override
        public boolean neededToServe() {
            return false;
        }

        @Override
        public Uni<Void> probe() {
            return Uni.createFrom().completionStage(() -> admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs(timeoutMs)).nodes().toCompletionStage()).replaceWithVoid();
        }

        @PreDestroy
        void close() {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
