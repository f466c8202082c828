package dev.sentinel.contracts.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the outbox relay, the same in every producing service. */
@ConfigMapping(prefix = "sentinel.outbox")
public interface OutboxConfig {

    /** Whether this instance runs a relay at all (every replica may; claims keep them apart). */
    @WithDefault("true")
    boolean relayEnabled();

    /** How long the relay sleeps when it found nothing to publish. */
    @WithDefault("PT0.2S")
    Duration pollInterval();

    /** Rows claimed and published per round. */
    @WithDefault("200")
    int batchSize();

    /** How long a claim keeps other relay instances off a row; a crashed instance's rows come back after it. */
    @WithDefault("PT30S")
    Duration lease();

    /** First delay after a failed publish; doubles per attempt up to {@link #backoffMax()}. */
    @WithDefault("PT0.5S")
    Duration backoffInitial();

    @WithDefault("PT10S")
    Duration backoffMax();

    /** Sent rows are deleted after this long (kept for inspection meanwhile). */
    @WithDefault("P7D")
    Duration retention();

    /** How often the backlog gauges are refreshed. */
    @WithDefault("PT5S")
    Duration metricsInterval();

    /** Kafka producer: how long a send may wait for metadata or buffer space before it fails. */
    @WithDefault("PT5S")
    Duration maxBlock();

    /** Kafka producer: upper bound for one record's delivery, retries included. */
    @WithDefault("PT15S")
    Duration deliveryTimeout();
}
