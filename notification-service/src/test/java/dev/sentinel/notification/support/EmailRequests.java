package dev.sentinel.notification.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EmailRequest;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.testing.LocalInfra;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes email requests to the service's input topic the way the outbox relay does (key, ce_* headers). */
public final class EmailRequests implements AutoCloseable {

    private final String topic;
    private final ObjectMapper json;
    private final KafkaProducer<String, String> producer;
    private final java.util.List<java.util.concurrent.Future<?>> inFlight = new java.util.ArrayList<>();

    public EmailRequests(String topic, ObjectMapper json) {
        this.topic = topic;
        this.json = json;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** A unique recipient address for one test. */
    public static String recipient(String label) {
        return label + "-" + UUID.randomUUID().toString().substring(0, 12) + "@mail.sentinel.test";
    }

    public static EventEnvelope envelope(ObjectMapper json, String template, String recipient, String locale,
            Map<String, String> params) {
        return EventEnvelope.of(EventType.EMAIL_REQUESTED, "test")
                .data(json.valueToTree(new EmailRequest(template, recipient, locale, params))).build();
    }

    /** Publishes a new request; returns its event envelope. */
    public EventEnvelope publish(String template, String recipient, String locale, Map<String, String> params) {
        EventEnvelope event = envelope(json, template, recipient, locale, params);
        publish(event, recipient);
        return event;
    }

    public void publish(EventEnvelope event, String key) {
        try {
            publishRaw(key, json.writeValueAsString(event), event.id().toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes a new request without waiting for the broker; call {@link #flush()} after a burst. */
    public EventEnvelope publishNoWait(String template, String recipient, String locale, Map<String, String> params) {
        EventEnvelope event = envelope(json, template, recipient, locale, params);
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, recipient, json.writeValueAsString(event));
            CloudEventHeaders.stamp(record.headers(), event.id().toString(), EventType.EMAIL_REQUESTED.wireName(), null);
            inFlight.add(producer.send(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return event;
    }

    /** Waits until every record published without waiting is acknowledged. */
    public void flush() {
        producer.flush();
        for (var sent : inFlight) {
            try {
                sent.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("publish failed", e);
            }
        }
        inFlight.clear();
    }

    /** Publishes any value (malformed ones included), with a ce_id header when {@code ceId} is not null. */
    public void publishRaw(String key, String value, String ceId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        if (ceId != null) {
            CloudEventHeaders.stamp(record.headers(), ceId, EventType.EMAIL_REQUESTED.wireName(), null);
        }
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
