package dev.sentinel.contracts.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.stream.LongStream;

/**
 * Histogram buckets on every service's request timer ({@code http_server_requests_seconds_bucket}),
 * so latency SLOs and p99 panels can be computed by Prometheus across pods: a timer's max and
 * mean cannot be aggregated into a percentile. The bounds bracket the SLO thresholds of
 * {@code deploy/prometheus} (e.g. 250 ms for token-checked requests, 1 s for a sign-in that
 * runs Argon2) and stay few, since each one is a series per route and status.
 */
public final class LatencyBuckets {

    /** The bucket bounds, in milliseconds. */
    public static final long[] BOUNDS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

    /** The request timer Quarkus records for every HTTP request a service answers. */
    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    @Produces
    @Singleton
    MeterFilter httpServerRequestBuckets() {
        double[] nanos = LongStream.of(BOUNDS_MS).mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
