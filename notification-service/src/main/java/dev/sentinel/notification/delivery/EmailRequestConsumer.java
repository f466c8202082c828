package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.CloudEventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Transport side of {@code email-requests}: reads a record, hands it to
 * {@link DeliveryService#accept}, and lets the connector acknowledge it only once that
 * transaction committed. Sending happens later, in {@link MailSender}, so this never waits
 * on SMTP. A record that cannot be read goes to the dead-letter topic; the consumer itself
 * never stops: if the database is away it retries the same record with backoff.
 */
@ApplicationScoped
public class EmailRequestConsumer {

    public static final String CHANNEL = "email-requests";
    private static final Logger LOG = Logger.getLogger(EmailRequestConsumer.class);

    private final DeliveryService deliveries;
    private final ObjectMapper json;
    private final Counter duplicates;

    public EmailRequestConsumer(DeliveryService deliveries, ObjectMapper json, MeterRegistry registry) {
        this.deliveries = deliveries;
        this.json = json;
        this.duplicates = Counter.builder("sentinel.mail.requests.duplicate")
                .description("Email requests delivered again (redelivery, duplicate publish) and ignored")
                .register(registry);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingRequest request = RequestReader.read(json, header(record, CloudEventHeaders.ID), record.value(),
                record.topic() + "/" + record.partition() + "/" + record.offset());
        return Uni.createFrom().deferred(() -> deliveries.accept(request))
                .onFailure().invoke(e -> LOG.warnf("Email request %s not recorded yet, retrying: %s",
                        request.eventId(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(accepted -> {
                    if (!accepted) {
                        duplicates.increment();
                    }
                })
                .replaceWithVoid();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
