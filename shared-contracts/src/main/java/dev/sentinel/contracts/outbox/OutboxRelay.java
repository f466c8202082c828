package dev.sentinel.contracts.outbox;

import dev.sentinel.contracts.events.CloudEventHeaders;
import dev.sentinel.contracts.events.EmailParams;
import dev.sentinel.contracts.retention.RetentionPurge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.smallrye.common.annotation.Identifier;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka, at least once, in a loop:
 * <ol>
 * <li>claim a batch with {@code FOR UPDATE SKIP LOCKED} by setting a short lease (so any
 * number of replicas share the work and a crashed one's rows come back when the lease ends);</li>
 * <li>publish each row outside any transaction (key = subject or recipient; CloudEvents
 * headers, {@code traceparent}), waiting for the broker's acknowledgement;</li>
 * <li>stamp the acknowledged rows sent; give the failed ones an exponential backoff.</li>
 * </ol>
 * A crash between 2 and 3 republishes those rows: consumers dedupe by event id.
 * Backlog size and the age of the oldest pending row are exposed as gauges.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private static final String CLAIM = """
            with next as (
                select id from outbox
                 where sent_at is null and next_attempt_at <= now()
                   and (claimed_until is null or claimed_until < now())
                 order by created_at
                 limit $1
                 for update skip locked)
            update outbox o set claimed_until = now() + make_interval(secs => $2)
              from next where o.id = next.id
            returning o.id, o.topic, o.message_key, o.event_type, o.payload::text as payload,
                      o.traceparent, o.created_at""";
    /**
     * Marks rows sent, and forgets the one-time token of a mail request there: once Kafka has
     * it, nothing outside auth's own hashed store keeps a usable link (DESIGN §7, decisions).
     */
    private static final String MARK_SENT = """
            update outbox set sent_at = now(), claimed_until = null, last_error = null,
                   payload = payload #- '{data,params,%s}'
             where id = any($1)""".formatted(EmailParams.TOKEN);
    private static final String MARK_FAILED = """
            update outbox set attempts = attempts + 1, claimed_until = null, last_error = $2,
                   next_attempt_at = now() + make_interval(secs => least($3::float8, $4::float8 * power(2, attempts)))
             where id = any($1)""";
    private static final String BACKLOG = """
            select count(*) as backlog,
                   coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest
              from outbox where sent_at is null""";

    private final Pool pool;
    private final Vertx vertx;
    private final OutboxConfig config;
    /** Every {@code kafka.*} setting of the service (env {@code KAFKA_*} included), prefix removed. */
    private final Map<String, Object> broker;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();
    private final Counter published;
    private final Counter failed;
    /** Sent rows past the retention, one batch per gauge refresh (it runs every few seconds). */
    private final RetentionPurge purgeSent;
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile long loopTimer = -1;
    private volatile long metricsTimer = -1;

    public OutboxRelay(Pool pool, Vertx vertx, OutboxConfig config, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> broker) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.broker = broker;
        Gauge.builder("sentinel.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet published").register(registry);
        Gauge.builder("sentinel.outbox.oldest.pending.age", oldestPendingSeconds, AtomicLong::get)
                .baseUnit("seconds").description("Age of the oldest unpublished outbox row").register(registry);
        this.published = Counter.builder("sentinel.outbox.published").description("Outbox rows published")
                .register(registry);
        this.failed = Counter.builder("sentinel.outbox.publish.failures")
                .description("Outbox publish attempts the broker did not acknowledge").register(registry);
        this.purgeSent = RetentionPurge.of(registry, "outbox", "sent_at", config.retention()).pickedBy("id")
                .atMostBatches(1);
    }

    void onStart(@Observes StartupEvent event) {
        metricsTimer = vertx.setPeriodic(config.metricsInterval().toMillis(), id -> refreshGauges());
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
        vertx.cancelTimer(metricsTimer);
    }

    /** Starts the publishing loop (idempotent). */
    public synchronized void start() {
        if (running.compareAndSet(false, true)) {
            producer = new KafkaProducer<>(producerConfig());
            schedule(Duration.ZERO);
            LOG.info("Outbox relay started");
        }
    }

    /** Stops the loop and closes the producer; rows in flight keep their lease and come back after it. */
    public synchronized void stop() {
        if (running.compareAndSet(true, false)) {
            vertx.cancelTimer(loopTimer);
            KafkaProducer<String, byte[]> closing = producer;
            producer = null;
            if (closing != null) {
                closing.close(Duration.ofSeconds(5));
            }
            LOG.info("Outbox relay stopped");
        }
    }

    public boolean isRunning() {
        return running.get();
    }

    private void schedule(Duration delay) {
        if (!running.get()) {
            return;
        }
        loopTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> round()
                .subscribe().with(this::schedule, e -> {
                    LOG.warnf("Outbox relay round failed: %s", e.toString());
                    schedule(config.backoffMax());
                }));
    }

    /** One round: claim, publish, record. Returns how long to wait before the next round. */
    Uni<Duration> round() {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize(), (double) config.lease().toMillis() / 1000))
                .chain(rows -> {
                    List<Claimed> batch = new ArrayList<>();
                    for (Row row : rows) {
                        batch.add(Claimed.from(row));
                    }
                    if (batch.isEmpty()) {
                        return Uni.createFrom().item(config.pollInterval());
                    }
                    batch.sort(Comparator.comparing(Claimed::createdAt));
                    return publish(batch).chain(outcome -> record(outcome).replaceWith(
                            outcome.failures().isEmpty() && batch.size() == config.batchSize()
                                    ? Duration.ZERO
                                    : outcome.failures().isEmpty() ? config.pollInterval() : config.backoffInitial()));
                });
    }

    private Uni<Outcome> publish(List<Claimed> batch) {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            return Uni.createFrom().item(new Outcome(List.of(), batch.stream().map(Claimed::id).toList(), "relay stopped"));
        }
        // send() may block for metadata while the broker is away: keep it off the event loop.
        return Uni.createFrom().<Outcome>emitter(emitter -> new BatchSend(batch, emitter::complete).run(current))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Sends one claimed batch and reports once every record is acknowledged or failed. When
     * a send fails before reaching the network (no metadata: the broker is away), the rest
     * of the batch is not tried, so a round never blocks for max.block.ms once per row.
     */
    private static final class BatchSend {
        private final List<Claimed> batch;
        private final java.util.function.Consumer<Outcome> done;
        private final List<UUID> sent = new ArrayList<>();
        private final List<UUID> failures = new ArrayList<>();
        private final AtomicLong pending;
        private volatile String error;

        BatchSend(List<Claimed> batch, java.util.function.Consumer<Outcome> done) {
            this.batch = batch;
            this.done = done;
            this.pending = new AtomicLong(batch.size());
        }

        void run(KafkaProducer<String, byte[]> producer) {
            for (Claimed row : batch) {
                if (error != null) {
                    settle(row.id(), error);
                    continue;
                }
                try {
                    producer.send(row.toRecord(), (metadata, failure) ->
                            settle(row.id(), failure == null ? null : failure.toString()));
                } catch (RuntimeException refused) {
                    settle(row.id(), refused.toString());
                }
            }
        }

        private void settle(UUID id, String failure) {
            synchronized (this) {
                if (failure == null) {
                    sent.add(id);
                } else {
                    failures.add(id);
                    error = failure;
                }
            }
            if (pending.decrementAndGet() == 0) {
                synchronized (this) {
                    done.accept(new Outcome(List.copyOf(sent), List.copyOf(failures), error));
                }
            }
        }
    }

    private Uni<Void> record(Outcome outcome) {
        Uni<Void> marked = Uni.createFrom().voidItem();
        if (!outcome.sent().isEmpty()) {
            published.increment(outcome.sent().size());
            marked = pool.preparedQuery(MARK_SENT).execute(Tuple.of(outcome.sent().toArray(UUID[]::new)))
                    .replaceWithVoid();
        }
        if (!outcome.failures().isEmpty()) {
            failed.increment(outcome.failures().size());
            LOG.warnf("Outbox: %d rows not acknowledged by Kafka, backing off: %s", outcome.failures().size(),
                    outcome.error());
            marked = marked.chain(() -> pool.preparedQuery(MARK_FAILED).execute(Tuple.of(
                    outcome.failures().toArray(UUID[]::new), truncate(outcome.error()),
                    (double) config.backoffMax().toMillis() / 1000,
                    (double) config.backoffInitial().toMillis() / 1000)).replaceWithVoid());
        }
        return marked;
    }

    private void refreshGauges() {
        pool.query(BACKLOG).execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    backlog.set(row.getLong("backlog"));
                    oldestPendingSeconds.set((long) Math.floor(row.getDouble("oldest")));
                })
                .chain(() -> purgeSent.run(pool))
                .subscribe().with(ok -> { }, e -> LOG.debugf("Outbox gauges not refreshed: %s", e.toString()));
    }

    /** Current backlog as last measured (also exported as a gauge). */
    public long backlog() {
        return backlog.get();
    }

    private Map<String, Object> producerConfig() {
        return producerConfig(broker, config.maxBlock(), config.deliveryTimeout());
    }

    /**
     * The relay's producer: the broker address and how to reach it securely come from the
     * service's {@code kafka.*} settings, as for its consumers (in Kubernetes:
     * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
     * {@code KAFKA_SSL_*}); what makes publishing safe (acks, idempotence, timeouts,
     * serializers) is the relay's own and cannot be overridden.
     */
    static Map<String, Object> producerConfig(Map<String, Object> broker, Duration maxBlock, Duration deliveryTimeout) {
        Map<String, Object> producer = new HashMap<>();
        broker.forEach((key, value) -> {
            if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                    || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                producer.put(key, value);
            }
        });
        producer.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(deliveryTimeout.toMillis() - 5, 5000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + UUID.randomUUID(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        if (!producer.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalStateException("kafka.bootstrap.servers is not set");
        }
        return producer;
    }

    private static String truncate(String error) {
        return error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
    }

    private record Outcome(List<UUID> sent, List<UUID> failures, String error) {
    }

    private record Claimed(UUID id, String topic, String key, String type, String payload, String traceparent,
            OffsetDateTime createdAt) {

        static Claimed from(Row row) {
            return new Claimed(row.getUUID("id"), row.getString("topic"), row.getString("message_key"),
                    row.getString("event_type"), row.getString("payload"), row.getString("traceparent"),
                    row.getOffsetDateTime("created_at"));
        }

        ProducerRecord<String, byte[]> toRecord() {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, payload.getBytes(StandardCharsets.UTF_8));
            CloudEventHeaders.stamp(record.headers(), id.toString(), type, traceparent);
            return record;
        }
    }
}
