package dev.sentinel.audit.ingest;

import dev.sentinel.audit.checkpoint.Checkpoints;
import dev.sentinel.contracts.events.CloudEventHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads {@code security-events} a polled batch at a time and hands it to {@link AuditIngest}:
 * one transaction per batch. The batch is acknowledged only after it committed, so a crash
 * before means a redelivery, which the event-id check turns into no new rows. A record that
 * cannot be read is parked with its reason in the same transaction and never stops the
 * partition; a database that fails is retried with backoff (the batch is never dropped).
 */
@ApplicationScoped
public class SecurityEventsConsumer {

    private static final Logger LOG = Logger.getLogger(SecurityEventsConsumer.class);

    private final EnvelopeParser parser = new EnvelopeParser();
    private final AuditIngest ingest;
    private final AuditMetrics metrics;
    private final Checkpoints checkpoints;

    public SecurityEventsConsumer(AuditIngest ingest, AuditMetrics metrics, Checkpoints checkpoints) {
        this.ingest = ingest;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
    }

    /** The event id the record's {@code ce_id} header names, when it is a UUID. */
    static UUID headerId(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(CloudEventHeaders.ID);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return UUID.fromString(new String(header.value(), StandardCharsets.UTF_8).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Incoming("security-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        List<SecurityEvent> events = new ArrayList<>(records.count());
        List<AuditIngest.Park> parks = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            EnvelopeParser.Result result = parser.parse(record.value());
            if (result instanceof EnvelopeParser.Parsed parsed) {
                events.add(parsed.event());
            } else if (result instanceof EnvelopeParser.Rejected rejected) {
                LOG.warnf("Parking security-events record %d/%d: %s", record.partition(), record.offset(),
                        rejected.reason());
                parks.add(new AuditIngest.Park(record.topic(), record.partition(), record.offset(), record.key(),
                        headerId(record), rejected.reason(), record.value()));
            }
        }
        if (events.isEmpty() && parks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ingest.append(events, parks)
                .onFailure().invoke(e -> LOG.errorf("Appending a batch of %d records failed, retrying: %s",
                        records.count(), e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(30)
                .invoke(done -> {
                    metrics.batchCommitted(done.rows(), done.parked(), done.newestEventTime());
                    LOG.debugf("Audit batch: %d rows appended, %d parked, tree size %d", done.rows(), done.parked(),
                            done.treeSize());
                })
                .chain(done -> checkpoints.signIfDue(done.treeSize()))
                .replaceWithVoid();
    }
}
