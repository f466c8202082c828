package dev.sentinel.contracts.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The relay reaches the broker the way the service's consumers do: a cluster that wants SASL
 * over TLS (Strimzi's SCRAM-SHA-512 users in deploy/k8s) gets it from the service's
 * {@code kafka.*} settings, while the settings that make publishing safe stay the relay's own.
 */
class OutboxRelayProducerConfigTest {

    private static final Duration MAX_BLOCK = Duration.ofSeconds(2);
    private static final Duration DELIVERY = Duration.ofSeconds(10);

    @Test
    void securitySettingsOfTheServiceReachTheProducer() {
        Map<String, Object> producer = OutboxRelay.producerConfig(Map.of(
                "bootstrap.servers", "kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/etc/kafka-ca/ca.crt"), MAX_BLOCK, DELIVERY);

        assertEquals("kafka-bootstrap:9093", producer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", producer.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required;", producer.get("sasl.jaas.config"));
        assertEquals("PEM", producer.get("ssl.truststore.type"));
        assertEquals("/etc/kafka-ca/ca.crt", producer.get("ssl.truststore.location"));
    }

    @Test
    void theRelaysSafetySettingsCannotBeOverriddenAndConsumerSettingsStayOut() {
        Map<String, Object> producer = OutboxRelay.producerConfig(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "acks", "0",
                "enable.idempotence", "false",
                "auto.offset.reset", "earliest",
                "group.id", "someone"), MAX_BLOCK, DELIVERY);

        assertEquals("all", producer.get("acks"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals(2000, producer.get("max.block.ms"));
        assertEquals(10000, producer.get("delivery.timeout.ms"));
        assertFalse(producer.containsKey("auto.offset.reset"));
        assertFalse(producer.containsKey("group.id"));
    }

    @Test
    void noBrokerAddressIsAClearStartupError() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> OutboxRelay.producerConfig(Map.of("security.protocol", "SSL"), MAX_BLOCK, DELIVERY));
        assertEquals("kafka.bootstrap.servers is not set", error.getMessage());
    }
}
