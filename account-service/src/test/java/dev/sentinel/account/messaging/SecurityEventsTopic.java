package dev.sentinel.account.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.LocalInfra;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishes events onto the real security-events topic the way auth-service's relay does, for tests. */
final class SecurityEventsTopic implements AutoCloseable {

    private final ObjectMapper json;
    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));

    SecurityEventsTopic(ObjectMapper json) {
        this.json = json;
    }

    void publish(EventEnvelope event) throws Exception {
        publish(event, event.subject());
    }

    /** Publishes under {@code key}: records with one key share a partition, so they are consumed in order. */
    void publish(EventEnvelope event, String key) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SECURITY_EVENTS, key,
                json.writeValueAsString(event));
        record.headers().add(CloudEventHeaders.ID, event.id().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, event.type().wireName().getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not seen within 30 s");
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
