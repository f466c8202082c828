package dev.sentinel.audit.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.LocalInfra;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

/** Publishes envelopes (and garbage) to the real security-events topic, as auth and account's relays do. */
public final class Events implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));

    public static String newSubject() {
        return UUID.randomUUID().toString();
    }

    /** A login of {@code subject} from a browser, with an email in data. */
    public static EventEnvelope login(String subject, String email) {
        return EventEnvelope.of(EventType.AUTH_LOGIN_SUCCEEDED, "auth-service").subject(subject).actor(subject)
                .client("203.0.113." + (1 + Math.floorMod(subject.hashCode(), 250)), "Mozilla/5.0 (audit test " + subject + ")")
                .traceId(UUID.randomUUID().toString().replace("-", ""))
                .data(JSON.createObjectNode().put("email", email).put("method", "password"))
                .build();
    }

    public void publish(EventEnvelope event) {
        await(send(event));
    }

    /** Sends without waiting for the broker (for bursts); {@link #flush()} then waits for all. */
    public Future<?> send(EventEnvelope event) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SECURITY_EVENTS, event.subject(),
                    JSON.writeValueAsString(event));
            record.headers().add(CloudEventHeaders.ID, event.id().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add(CloudEventHeaders.TYPE, event.type().wireName().getBytes(StandardCharsets.UTF_8));
            return producer.send(record);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes any value under {@code key} (records with one key share a partition, so keep their order). */
    public void publishRaw(String key, String value) {
        await(producer.send(new ProducerRecord<>(Topics.SECURITY_EVENTS, key, value)));
    }

    public void flush() {
        producer.flush();
    }

    private static void await(Future<?> sent) {
        try {
            sent.get();
        } catch (Exception e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
