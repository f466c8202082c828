package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.messaging.ParkedRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;

/**
 * Transport side of {@code email-requests}: reads a record, hands it to
 * {@link DeliveryService#accept}, and lets the connector acknowledge it only once that
 * transaction committed. Sending happens later, in {@link MailSender}, so this never waits
 * on SMTP. A record that is no usable request goes to the dead-letter topic (that is its
 * handling, see {@link DeliveryService#accept}); a record whose recording fails for good is
 * parked by {@link ParkedRecords}. The consumer itself never stops: if the database is away
 * it waits and tries the same record again.
 * Built at start, so its parked series exists (at 0) before the first record arrives.
 */
@Startup
@ApplicationScoped
public class EmailRequestConsumer {

    public static final String CHANNEL = "email-requests";

    /** Our name in parked_record and sentinel_consumer_parked_total. */
    static final String CONSUMER = "notification-service.email-requests";

    private final DeliveryService deliveries;
    private final ObjectMapper json;
    private final Counter duplicates;
    private final ParkedRecords.Guard guard;

    public EmailRequestConsumer(DeliveryService deliveries, ObjectMapper json, MeterRegistry registry,
            ParkedRecords parked) {
        this.deliveries = deliveries;
        this.json = json;
        this.guard = parked.guard(CONSUMER);
        this.duplicates = Counter.builder("sentinel.mail.requests.duplicate")
                .description("Email requests delivered again (redelivery, duplicate publish) and ignored")
                .register(registry);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingRequest request = RequestReader.read(json, header(record, CloudEventHeaders.ID), record.value(),
                record.topic() + "/" + record.partition() + "/" + record.offset());
        return guard.handle(record, () -> deliveries.accept(request).invoke(accepted -> {
            if (!accepted) {
                duplicates.increment();
            }
        }));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
