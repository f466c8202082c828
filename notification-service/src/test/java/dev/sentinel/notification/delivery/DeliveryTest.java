package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.KafkaTopics;
import dev.sentinel.contracts.testing.Mailbox;
import dev.sentinel.notification.support.Deliveries;
import dev.sentinel.notification.support.EmailRequests;
import dev.sentinel.notification.support.NotificationTopics;
import dev.sentinel.notification.templates.Locales;
import dev.sentinel.notification.templates.MailRenderer;
import dev.sentinel.notification.templates.TemplateSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Email requests end to end against the real Kafka, PostgreSQL and SMTP server: published
 * to the input topic, read back over IMAP. Every test uses recipients of its own.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(NotificationTopics.class)
class DeliveryTest {

    private static final String[] LOCALES = {"en", "ar", "fr", "ar-EG"};

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @Inject
    MailRenderer renderer;
    @Inject
    MeterRegistry registry;
    @Inject
    KafkaClientService kafkaClients;
    @ConfigProperty(name = NotificationTopics.INPUT)
    String inputTopic;
    @ConfigProperty(name = NotificationTopics.DLQ)
    String dlqTopic;

    EmailRequests requests;
    Deliveries deliveries;

    @BeforeEach
    void open() {
        requests = new EmailRequests(inputTopic, json);
        deliveries = new Deliveries(pool);
    }

    @AfterEach
    void close() {
        requests.close();
    }

    @Test
    void twoHundredRequestsBecomeTwoHundredMailsEachExactlyOnce() {
        Map<UUID, Expected> expected = new LinkedHashMap<>();
        List<String> recipients = new ArrayList<>();
        for (int r = 0; r < 50; r++) {
            recipients.add(EmailRequests.recipient("bulk" + r));
        }
        EmailTemplate[] templates = EmailTemplate.values();
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            String recipient = recipients.get(i % 50);
            EmailTemplate template = templates[i % templates.length];
            String locale = LOCALES[(i / templates.length) % LOCALES.length];
            Map<String, String> params = Map.of("token", "tok" + i, "device", "device-" + i);
            EventEnvelope event = requests.publishNoWait(template.wireName(), recipient, locale, params);
            expected.put(event.id(), new Expected(recipient, template, locale, "tok" + i));
        }
        requests.flush();
        double published = (System.nanoTime() - started) / 1e9;
        Deliveries.waitUntil(Duration.ofSeconds(120), () -> deliveries.recorded(expected.keySet()) == 200,
                "all 200 recorded");
        double recorded = (System.nanoTime() - started) / 1e9;
        Deliveries.waitUntil(Duration.ofSeconds(120), () -> deliveries.count(expected.keySet(), "SENT") == 200,
                "all 200 sent");
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FIGURE 200 mails: published in %.2f s, all recorded by the consumer at %.2f s, "
                + "all sent at %.2f s = %.1f mails/s end to end%n", published, recorded, seconds, 200 / seconds);

        Set<String> seen = new HashSet<>();
        for (String recipient : recipients) {
            List<Mailbox.Received> mails = Mailbox.await(recipient, 4, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(4, mails.size(), recipient);
            for (Mailbox.Received mail : mails) {
                assertNotNull(mail.eventId());
                assertTrue(seen.add(mail.eventId()), "delivered twice: " + mail.eventId());
                Expected want = expected.get(UUID.fromString(mail.eventId()));
                assertNotNull(want, "a mail nobody asked for");
                assertEquals(want.recipient(), recipient);
                assertEquals(renderer.render(want.template(), want.locale(), Map.of("token", "x")).subject(),
                        mail.subject(), want.toString());
                String link = "https://app.sentinel.test" + TemplateSpec.of(want.template()).path();
                if (TemplateSpec.of(want.template()).tokenParam() != null) {
                    link += "?token=" + want.token();
                }
                assertTrue(mail.html().contains("href=\"" + link + "\""), want + " link in " + mail.html());
                assertTrue(mail.text().contains(link), want + " link in text");
                assertTrue(mail.html().contains("dir=\"" + Locales.direction(Locales.resolve(want.locale())) + "\""));
            }
        }
        assertEquals(200, seen.size());
    }

    @Test
    void theSameEventPublishedTwiceIsOneMail() {
        String recipient = EmailRequests.recipient("dup");
        EventEnvelope event = EmailRequests.envelope(json, "password-changed", recipient, "en", Map.of());
        double before = duplicates();
        requests.publish(event, recipient);
        requests.publish(event, recipient);

        List<Mailbox.Received> mails = Mailbox.await(recipient, 1, Duration.ofSeconds(30), Duration.ofSeconds(3));
        assertEquals(1, mails.size());
        assertEquals(event.id().toString(), mails.get(0).eventId());
        Deliveries.waitUntil(Duration.ofSeconds(10), () -> duplicates() >= before + 1, "the duplicate was seen and dropped");
    }

    @Test
    void aConsumerRewoundInTheMiddleOfABatchLosesNothingAndDuplicatesNothing() {
        // One Kafka consumer per concurrent copy of the channel (email-requests$1, $2, …).
        List<KafkaConsumer<Object, Object>> consumers = new ArrayList<>();
        for (String channel : kafkaClients.getConsumerChannels()) {
            if (channel.startsWith(EmailRequestConsumer.CHANNEL)) {
                consumers.addAll(kafkaClients.<Object, Object>getConsumers(channel));
            }
        }
        assertFalse(consumers.isEmpty(), "the channel has consumers");
        List<Map<TopicPartition, Long>> starts = new ArrayList<>();
        for (KafkaConsumer<Object, Object> consumer : consumers) {
            starts.add(consumer.runOnPollingThread(c -> (Map<TopicPartition, Long>) new HashMap<>(
                    c.endOffsets(c.assignment()))).await().atMost(Duration.ofSeconds(10)));
        }
        assertEquals(3, starts.stream().mapToInt(Map::size).sum(), "the three partitions are assigned");

        List<String> recipients = new ArrayList<>();
        for (int r = 0; r < 25; r++) {
            recipients.add(EmailRequests.recipient("rewind" + r));
        }
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(requests.publish("mfa-enabled", recipients.get(i % 25), "en", Map.of()).id());
        }
        Deliveries.waitUntil(Duration.ofSeconds(60),
                () -> deliveries.count(ids, "SENT") + deliveries.count(ids, "PENDING") >= 30, "a part of the batch taken");
        double before = duplicates();
        // What a restart does: the consumer starts again from the last committed offset, which
        // is behind what it already processed. Seek it back to where this batch began.
        for (int i = 0; i < consumers.size(); i++) {
            Map<TopicPartition, Long> start = starts.get(i);
            consumers.get(i).runOnPollingThread(c -> {
                start.forEach(c::seek);
                return null;
            }).await().atMost(Duration.ofSeconds(10));
        }

        Deliveries.waitUntil(Duration.ofSeconds(90), () -> deliveries.count(ids, "SENT") == 100, "all 100 sent");
        Deliveries.waitUntil(Duration.ofSeconds(30), () -> duplicates() >= before + 30,
                "the records taken before the rewind came again and were dropped");
        Set<String> seen = new HashSet<>();
        for (String recipient : recipients) {
            List<Mailbox.Received> mails = Mailbox.await(recipient, 4, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(4, mails.size(), recipient);
            mails.forEach(m -> assertTrue(seen.add(m.eventId()), "twice: " + m.eventId()));
        }
        assertEquals(ids.stream().map(UUID::toString).collect(Collectors.toSet()), seen);
    }

    @Test
    void arabicRendersArabicAndRightToLeftWhileFrenchFallsBackToEnglish() {
        String arabic = EmailRequests.recipient("ar");
        String french = EmailRequests.recipient("fr");
        requests.publish("verify-email", arabic, "ar-EG", Map.of("token", "ar-token"));
        requests.publish("verify-email", french, "fr", Map.of("token", "fr-token"));

        Mailbox.Received ar = Mailbox.await(arabic, 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
        assertEquals("تأكيد عنوان بريدك الإلكتروني", ar.subject());
        assertTrue(ar.html().contains("<html lang=\"ar\" dir=\"rtl\">"), ar.html());
        assertTrue(ar.html().contains("https://app.sentinel.test/v1/auth/verify-email?token=ar-token"));
        Mailbox.Received fr = Mailbox.await(french, 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
        assertEquals("Verify your email address", fr.subject());
        assertTrue(fr.html().contains("<html lang=\"en\" dir=\"ltr\">"));
    }

    @Test
    void aScriptInAParameterArrivesEscaped() {
        String recipient = EmailRequests.recipient("xss");
        requests.publish("new-sign-in", recipient, "en", Map.of("device", "<script>alert('x')</script>"));

        Mailbox.Received mail = Mailbox.await(recipient, 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
        assertFalse(mail.html().contains("<script>"), mail.html());
        assertTrue(mail.html().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                || mail.html().contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"), mail.html());
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicAndTheConsumerGoesOn() throws Exception {
        UUID notJson = UUID.randomUUID();
        requests.publishRaw("k", "this is not JSON", notJson.toString());
        requests.publishRaw("k", "this is not JSON", notJson.toString());
        String victim = EmailRequests.recipient("unknown");
        EventEnvelope unknown = requests.publish("no-such-template", victim, "en", Map.of());
        EventEnvelope noRecipient = EmailRequests.envelope(json, "mfa-enabled", null, "en", Map.of());
        requests.publish(noRecipient, "nobody");
        EventEnvelope noToken = requests.publish("verify-email", EmailRequests.recipient("notoken"), "en", Map.of());
        UUID nul = UUID.randomUUID();
        requests.publishRaw("k", "{\"id\":\"" + nul + "\",\"type\":\"email.requested\",\"data\":{\"template\":"
                + "\"mfa\\u0000enabled\",\"recipient\":\"x\\u0000@example.com\"}}", nul.toString());
        String after = EmailRequests.recipient("after");
        requests.publish("mfa-disabled", after, "en", Map.of());

        assertEquals(1, Mailbox.await(after, 1, Duration.ofSeconds(30), Duration.ZERO).size(),
                "the consumer went on after the bad records");
        Map<String, String> reasons = new HashMap<>();
        Map<String, Integer> letters = new HashMap<>();
        Set<String> ours = Set.of(notJson.toString(), unknown.id().toString(), noRecipient.id().toString(),
                noToken.id().toString(), nul.toString());
        for (ConsumerRecord<String, String> record : KafkaTopics.read(dlqTopic, 1, Duration.ofSeconds(30),
                Duration.ofSeconds(3))) {
            JsonNode data = json.readTree(record.value()).get("data");
            String id = data.get("eventId").asText();
            if (ours.contains(id)) {
                reasons.put(id, data.get("reason").asText());
                letters.merge(id, 1, Integer::sum);
                assertEquals(0, data.get("attempts").asInt());
            }
        }
        assertEquals("not JSON", reasons.get(notJson.toString()));
        assertEquals("unknown template 'no-such-template'", reasons.get(unknown.id().toString()));
        assertEquals("missing recipient", reasons.get(noRecipient.id().toString()));
        assertEquals("missing parameter 'token' for template verify-email", reasons.get(noToken.id().toString()));
        assertEquals("contains a NUL character", reasons.get(nul.toString()));
        assertEquals(Map.of(notJson.toString(), 1, unknown.id().toString(), 1, noRecipient.id().toString(), 1,
                noToken.id().toString(), 1, nul.toString(), 1), letters, "one dead letter each, the repeated record included");
        assertEquals(0, Mailbox.read(victim).size());
        assertEquals("DEAD", deliveries.row(unknown.id()).get("status"));
    }

    @Test
    void overThePerRecipientLimitMailsAreSuppressedButVerificationStillArrives() {
        String recipient = EmailRequests.recipient("limit");
        double before = suppressed("account-locked");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(requests.publish("account-locked", recipient, "en", Map.of()).id());
        }
        EventEnvelope verify = requests.publish("verify-email", recipient, "en", Map.of("token", "still"));

        List<Mailbox.Received> mails = Mailbox.await(recipient, 11, Duration.ofSeconds(30), Duration.ofSeconds(3));
        assertEquals(11, mails.size(), "10 notices + the verification");
        assertTrue(mails.stream().anyMatch(m -> m.eventId().equals(verify.id().toString())));
        assertEquals(2, deliveries.count(ids, "SUPPRESSED"));
        assertEquals(10, deliveries.count(ids, "SENT"));
        assertEquals(before + 2, suppressed("account-locked"));
    }

    @Test
    void aSentMailForgetsItsParameters() {
        String recipient = EmailRequests.recipient("forget");
        EventEnvelope event = requests.publish("password-reset", recipient, "en", Map.of("token", "secret-token"));
        Mailbox.await(recipient, 1, Duration.ofSeconds(30), Duration.ZERO);
        Deliveries.waitUntil(Duration.ofSeconds(10), () -> "SENT".equals(deliveries.row(event.id()).get("status")), "sent");
        assertEquals("{}", deliveries.row(event.id()).get("params"));
    }

    private double duplicates() {
        var counter = registry.find("sentinel.mail.requests.duplicate").counter();
        return counter == null ? 0 : counter.count();
    }

    private double suppressed(String template) {
        var counter = registry.find("sentinel.mail.suppressed").tag("template", template).counter();
        return counter == null ? 0 : counter.count();
    }

    private record Expected(String recipient, EmailTemplate template, String locale, String token) {
    }
}
