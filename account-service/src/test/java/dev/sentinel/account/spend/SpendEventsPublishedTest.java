package dev.sentinel.account.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.Topics;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.KafkaTopics;
import dev.sentinel.contracts.testing.LocalInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The notices leave through the outbox onto the real topics: security events keyed by the
 * user with CloudEvents headers and the caller as actor, email requests keyed by recipient
 * with the parameters the notification templates read.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class SpendEventsPublishedTest {

    @Inject
    OutboxRows db;
    @Inject
    ObjectMapper json;

    @Test
    void reachingTheCapPublishesTheEventsAndTheEmails() throws Exception {
        String user = newUser();
        String email = "published-" + user + "@example.test";
        as(userToken(user)).get("/v1/account/limits");
        db.count("with u as (update account set email = $1 where user_id = $2 returning 1) select count(*) from u",
                email, user);

        try (KafkaConsumer<String, String> security = fromNow(Topics.SECURITY_EVENTS);
             KafkaConsumer<String, String> emails = fromNow(Topics.EMAIL_REQUESTS)) {
            as(userToken(user)).body(charge(1000, key())).post("/v1/account/spend").then().statusCode(200);

            List<ConsumerRecord<String, String>> events = poll(security, user, 2);
            assertEquals(List.of("spend.cap_reached", "spend.threshold_crossed"), events.stream()
                    .map(r -> KafkaTopics.header(r, CloudEventHeaders.TYPE)).sorted().toList());
            for (ConsumerRecord<String, String> record : events) {
                JsonNode envelope = json.readTree(record.value());
                assertEquals(user, envelope.get("subject").asText());
                assertEquals(user, envelope.get("actor").asText());
                assertEquals("account-service", envelope.get("source").asText());
                assertEquals(1000, envelope.get("data").get("spentCents").asLong());
                assertEquals(envelope.get("id").asText(), KafkaTopics.header(record, CloudEventHeaders.ID));
            }

            List<ConsumerRecord<String, String>> mails = poll(emails, email, 2);
            Map<String, JsonNode> byTemplate = new java.util.HashMap<>();
            for (ConsumerRecord<String, String> record : mails) {
                JsonNode data = json.readTree(record.value()).get("data");
                byTemplate.put(data.get("template").asText(), data);
            }
            assertEquals(2, byTemplate.size(), "one spend-warning and one spend-cap-reached");
            JsonNode capReached = byTemplate.get("spend-cap-reached");
            assertEquals(email, capReached.get("recipient").asText());
            assertEquals("en", capReached.get("locale").asText());
            assertEquals("10.00 USD", capReached.get("params").get("cap").asText());
            assertEquals("1000", capReached.get("params").get("capCents").asText());
            JsonNode warning = byTemplate.get("spend-warning");
            assertEquals("80", warning.get("params").get("percent").asText());
            assertEquals("10.00 USD", warning.get("params").get("spent").asText());
        }
    }

    /** A consumer positioned at the current end of every partition of {@code topic}. */
    private static KafkaConsumer<String, String> fromNow(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Records with this key, until {@code expected} arrived (30 s at most) and 1 s more for extras. */
    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, String key,
            int expected) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (found.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (key.equals(r.key())) {
                    found.add(r);
                }
            });
        }
        long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < settle) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (key.equals(r.key())) {
                    found.add(r);
                }
            });
        }
        return found;
    }
}
