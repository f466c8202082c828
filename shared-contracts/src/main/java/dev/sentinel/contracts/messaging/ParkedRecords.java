package dev.sentinel.contracts.messaging;

import dev.sentinel.contracts.events.CloudEventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The transport rule of every Kafka consumer: a consumer never stops and never blocks its
 * partition on a bad record. A consumer takes a {@link Guard} for its name and runs each
 * record's handling through {@link Guard#handle}: a failure is judged by
 * {@link ConsumerFailures} — the database being away is waited out with backoff, a record
 * that can never succeed is parked at once, anything else is retried a bounded number of
 * times ({@code sentinel.consumer.attempts}) and then parked. Parking writes the record's
 * position, key, event id, reason and (bounded) value to {@code parked_record} and counts it
 * in {@code sentinel_consumer_parked_total{consumer}} after that insert committed; then the
 * record is acknowledged and the consumer goes on with the next one. A redelivered record is
 * parked and counted once (the position is the key of the table).
 */
@ApplicationScoped
public class ParkedRecords {

    public static final int RAW_LIMIT = 4000;
    public static final int KEY_LIMIT = 256;
    public static final int REASON_LIMIT = 1000;
    private static final String PARK = """
            insert into parked_record (consumer, topic, kafka_partition, kafka_offset, message_key, event_id, reason,
                                       raw_value, value_length)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict do nothing""";
    private static final Logger LOG = Logger.getLogger(ParkedRecords.class);

    private final Pool pool;
    private final MeterRegistry registry;
    private final int attempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public ParkedRecords(Pool pool, MeterRegistry registry,
            @ConfigProperty(name = "sentinel.consumer.attempts", defaultValue = "3") int attempts,
            @ConfigProperty(name = "sentinel.consumer.backoff.initial", defaultValue = "PT0.2S") Duration initialBackoff,
            @ConfigProperty(name = "sentinel.consumer.backoff.max", defaultValue = "PT10S") Duration maxBackoff) {
        this.pool = pool;
        this.registry = registry;
        this.attempts = Math.max(1, attempts);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * The guard of one consumer; its {@code sentinel_consumer_parked_total{consumer}} series
     * exists (at 0) from this call on, so take it when the consumer is built.
     */
    public Guard guard(String consumer) {
        Counter parked = Counter.builder("sentinel.consumer.parked").tag("consumer", consumer)
                .description("Records a consumer parked (unusable or failing for good) before going on with the next")
                .register(registry);
        return new Guard(consumer, parked);
    }

    /** Runs one consumer's records through the retry-or-park rule. */
    public final class Guard {

        private final String consumer;
        private final Counter parked;

        private Guard(String consumer, Counter parked) {
            this.consumer = consumer;
            this.parked = parked;
        }

        public String consumer() {
            return consumer;
        }

        /**
         * Handles {@code record} with {@code handler} (called again for every attempt, so each
         * attempt is a new transaction). Completes when the record was handled or parked —
         * acknowledge it then — and never fails.
         */
        public Uni<Void> handle(ConsumerRecord<String, String> record, Supplier<Uni<?>> handler) {
            Context context = Vertx.currentContext();
            return attempt(record, handler, context, 0, 0);
        }

        private Uni<Void> attempt(ConsumerRecord<String, String> record, Supplier<Uni<?>> handler, Context context,
                int failures, int waits) {
            return Uni.createFrom().deferred(handler).replaceWithVoid().onFailure().recoverWithUni(failure -> {
                ConsumerFailures.Kind kind = ConsumerFailures.classify(failure);
                if (kind == ConsumerFailures.Kind.UNAVAILABLE) {
                    LOG.warnf("%s: database unavailable at %s, waiting: %s", consumer, position(record),
                            failure.toString());
                    return pause(context, backoff(waits)).chain(() -> attempt(record, handler, context, failures,
                            waits + 1));
                }
                int failed = failures + 1;
                if (kind == ConsumerFailures.Kind.PERMANENT || failed >= attempts) {
                    return park(record, failure, failed, context, 0);
                }
                LOG.infof("%s: attempt %d at %s failed, retrying: %s", consumer, failed, position(record),
                        failure.toString());
                return pause(context, backoff(failed - 1)).chain(() -> attempt(record, handler, context, failed, 0));
            });
        }

        private Uni<Void> park(ConsumerRecord<String, String> record, Throwable failure, int failed, Context context,
                int waits) {
            String reason = reason(failure, failed);
            UUID eventId = failure instanceof UnusableRecord unusable && unusable.eventId() != null
                    ? unusable.eventId() : headerId(record);
            String value = record.value();
            Tuple row = Tuple.tuple()
                    .addString(consumer)
                    .addString(record.topic())
                    .addInteger(record.partition())
                    .addLong(record.offset())
                    .addString(bounded(record.key(), KEY_LIMIT))
                    .addUUID(eventId)
                    .addString(bounded(reason, REASON_LIMIT))
                    .addString(bounded(value, RAW_LIMIT))
                    .addInteger(value == null ? null : value.length());
            return pool.preparedQuery(PARK).execute(row).invoke(rows -> {
                if (rows.rowCount() == 1) {
                    parked.increment();
                    LOG.warnf("%s: parked %s: %s", consumer, position(record), reason);
                } else {
                    LOG.infof("%s: %s was parked before", consumer, position(record));
                }
            }).replaceWithVoid().onFailure().recoverWithUni(e -> {
                if (ConsumerFailures.classify(e) == ConsumerFailures.Kind.UNAVAILABLE) {
                    LOG.warnf("%s: database unavailable while parking %s, waiting: %s", consumer, position(record),
                            e.toString());
                    return pause(context, backoff(waits)).chain(() -> park(record, failure, failed, context,
                            waits + 1));
                }
                LOG.errorf("%s: could not park %s (%s), skipped: %s", consumer, position(record), reason, e.toString());
                return Uni.createFrom().voidItem();
            });
        }
    }

    /** Exponential backoff: the initial delay doubled per earlier wait, at most the maximum. */
    Duration backoff(int earlier) {
        Duration delay = initialBackoff.multipliedBy(1L << Math.min(earlier, 20));
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    /** Waits, then goes on in the consumer's Vert.x context (where the handler's session must run). */
    private static Uni<Void> pause(Context context, Duration delay) {
        long millis = Math.max(1, delay.toMillis());
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis));
        }
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(millis,
                id -> context.runOnContext(ignored -> emitter.complete(null))));
    }

    static String reason(Throwable failure, int failed) {
        if (ConsumerFailures.classify(failure) == ConsumerFailures.Kind.PERMANENT) {
            return ConsumerFailures.describe(failure);
        }
        return "failed " + failed + " times: " + ConsumerFailures.describe(failure);
    }

    private static UUID headerId(ConsumerRecord<?, ?> record) {
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

    /**
     * At most {@code limit} characters, with the NUL characters PostgreSQL cannot store replaced
     * (public for a consumer that parks inside its own batch transaction: admin-audit's ingest).
     */
    public static String bounded(String text, int limit) {
        if (text == null) {
            return null;
        }
        String cut = text.length() > limit ? text.substring(0, limit) : text;
        return cut.replace('\0', '\uFFFD');
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }
}
