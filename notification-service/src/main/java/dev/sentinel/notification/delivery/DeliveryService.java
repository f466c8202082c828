package dev.sentinel.notification.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.log.Redact;
import dev.sentinel.contracts.messaging.ProcessedEvents;
import dev.sentinel.contracts.outbox.OutboxWriter;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import dev.sentinel.contracts.transaction.AfterCommit;
import dev.sentinel.notification.config.NotificationConfig;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delivery table's use cases: accept a request exactly once (or refuse it to the
 * dead-letter topic, or suppress it over the limit), claim due mails for the sender,
 * record each attempt's outcome, and let an admin list and redrive dead letters. Nothing
 * here sends mail; the sender does that outside any transaction.
 */
@ApplicationScoped
public class DeliveryService {

    /** The consumer name under which accepted event ids are recorded in {@code processed_event}. */
    static final String CONSUMER = "notification-delivery";
    private static final String SOURCE = "notification-service";
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final DeliveryRepository deliveries;
    private final ProcessedEvents processed;
    private final OutboxWriter outbox;
    private final NotificationConfig config;
    private final DeliveryMetrics metrics;
    private final ObjectMapper json;
    private final RetryPolicy retry;
    private final RecipientLimit limit;
    private final Clock clock;

    public DeliveryService(DeliveryRepository deliveries, ProcessedEvents processed, OutboxWriter outbox,
            NotificationConfig config, DeliveryMetrics metrics, ObjectMapper json, Clock clock) {
        this.clock = clock;
        this.deliveries = deliveries;
        this.processed = processed;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.retry = new RetryPolicy(config.retry().maxAttempts(), config.retry().initialDelay(),
                config.retry().maxDelay(), config.retry().jitter());
        this.limit = new RecipientLimit(config.limit().perWindow(), config.limit().ownBucketTemplates());
    }

    /**
     * Records a request once per event id: a valid one as PENDING (or SUPPRESSED over the
     * recipient's limit), an invalid one as DEAD with a dead letter in the outbox. Emits
     * false for an event seen before (a redelivery), which then has no effect at all. The
     * suppressed and dead-lettered counters move only once the transaction committed.
     */
    public Uni<Boolean> accept(IncomingRequest request) {
        return AfterCommit.transaction(after -> {
            if (request instanceof IncomingRequest.Valid valid) {
                return acceptValid(valid, after);
            }
            IncomingRequest.Invalid invalid = (IncomingRequest.Invalid) request;
            return processed.once(CONSUMER, invalid.eventId(), () -> reject(invalid, after));
        });
    }

    private Uni<Boolean> acceptValid(IncomingRequest.Valid request, AfterCommit after) {
        String template = request.template().wireName();
        String key = RecipientLimit.key(request.recipient());
        String bucket = limit.bucket(template);
        OffsetDateTime now = now();
        return deliveries.lockRecipient(key, bucket)
                .chain(() -> processed.once(CONSUMER, request.eventId(), () -> deliveries
                        .countCounted(key, bucket, now.minus(config.limit().window()))
                        .chain(counted -> {
                            Delivery d = new Delivery();
                            d.eventId = request.eventId();
                            d.template = template;
                            d.recipient = request.recipient();
                            d.recipientKey = key;
                            d.limitBucket = bucket;
                            d.locale = request.locale();
                            d.receivedAt = now;
                            d.nextAttemptAt = now;
                            d.redrivable = true;
                            if (limit.allows(counted)) {
                                d.status = DeliveryStatus.PENDING;
                                d.params = write(request.params());
                            } else {
                                d.status = DeliveryStatus.SUPPRESSED;
                                d.params = "{}";
                                d.lastError = "over the limit of " + config.limit().perWindow() + " mails per "
                                        + config.limit().window() + " for bucket " + bucket;
                                after.add(() -> metrics.suppressed(template));
                                LOG.infof("Suppressed %s for %s: over the per-recipient limit", template,
                                        Redact.email(request.recipient()));
                            }
                            return deliveries.persist(d);
                        })));
    }

    private Uni<Void> reject(IncomingRequest.Invalid request, AfterCommit after) {
        OffsetDateTime now = now();
        Delivery d = new Delivery();
        d.eventId = request.eventId();
        d.template = request.template();
        d.recipient = request.recipient();
        d.recipientKey = request.recipient() == null ? null : RecipientLimit.key(request.recipient());
        d.params = "{}";
        d.status = DeliveryStatus.DEAD;
        d.redrivable = false;
        d.lastError = request.reason();
        d.raw = request.raw();
        d.receivedAt = now;
        d.nextAttemptAt = now;
        d.deadAt = now;
        LOG.warnf("Email request %s refused to the dead-letter topic: %s", request.eventId(), request.reason());
        after.add(() -> metrics.deadLettered(request.template()));
        ObjectNode data = deadLetterData(d, Map.of());
        data.put("raw", request.raw());
        return deliveries.persist(d).chain(() -> publishDeadLetter(d, data));
    }

    /** Takes up to a batch of due mails and leases them to this sender. */
    @WithTransaction
    public Uni<List<ClaimedMail>> claimDue() {
        OffsetDateTime leaseEnd = now().plus(lease(config.sender()));
        return deliveries.lockDue(config.sender().batchSize()).map(due -> due.stream().map(d -> {
            d.claimedUntil = leaseEnd;
            return new ClaimedMail(d.eventId, EmailTemplate.fromWireName(d.template), d.recipient, d.locale,
                    read(d.params), d.attempts);
        }).toList());
    }

    /** The SMTP server took the mail: it is sent, and its parameters (tokens) are forgotten. */
    @WithTransaction
    public Uni<Void> markSent(UUID eventId) {
        return deliveries.findById(eventId).invoke(d -> {
            if (d != null && d.status == DeliveryStatus.PENDING) {
                d.status = DeliveryStatus.SENT;
                d.sentAt = now();
                d.attempts = d.attempts + 1;
                d.claimedUntil = null;
                d.lastError = null;
                d.params = "{}";
            }
        }).replaceWithVoid();
    }

    /**
     * An attempt failed: schedule the next one with backoff, or — when the failure is
     * permanent or the attempts are used up — mark the mail dead and publish the dead letter
     * in the same transaction. The counters move once that transaction committed.
     */
    public Uni<Void> recordFailure(UUID eventId, SmtpFailure failure) {
        return AfterCommit.transaction(after -> deliveries.findById(eventId).chain(d -> {
            if (d == null || d.status != DeliveryStatus.PENDING) {
                return Uni.createFrom().voidItem();
            }
            d.attempts = d.attempts + 1;
            d.claimedUntil = null;
            String template = d.template;
            after.add(() -> metrics.failed(template, failure.permanent()));
            if (!failure.permanent() && !retry.exhausted(d.attempts)) {
                d.lastError = failure.reason();
                d.nextAttemptAt = now().plus(retry.delayAfter(d.attempts, ThreadLocalRandom.current().nextDouble()));
                after.add(() -> metrics.retried(template));
                return Uni.createFrom().voidItem();
            }
            d.lastError = failure.permanent() ? failure.reason()
                    : "attempts exhausted (" + d.attempts + "): " + failure.reason();
            d.status = DeliveryStatus.DEAD;
            d.deadAt = now();
            Map<String, String> params = withoutOneTimeToken(d);
            after.add(() -> metrics.deadLettered(template));
            LOG.warnf("Mail %s (%s to %s) dead-lettered after %d attempts: %s", d.eventId, d.template,
                    Redact.email(d.recipient), d.attempts, d.lastError);
            return publishDeadLetter(d, deadLetterData(d, params));
        }));
    }

    @WithSession
    public Uni<List<DeadLetter>> deadLetters(int max) {
        return deliveries.deadLetters(max).map(rows -> rows.stream().map(DeadLetter::of).toList());
    }

    /**
     * Puts a dead letter back in the queue with a fresh attempt budget. It was never sent
     * (only unsent mails die), and the row moves DEAD → PENDING once, so a redrive sends it
     * at most once however often it is asked for.
     */
    @WithTransaction
    public Uni<Void> redrive(UUID eventId) {
        return deliveries.redrive(eventId, now()).chain(updated -> {
            if (updated == 1) {
                return Uni.createFrom().voidItem();
            }
            return deliveries.findById(eventId).chain(d -> Uni.createFrom().failure(
                    d == null || d.status != DeliveryStatus.DEAD
                            ? new ProblemException(ErrorCode.BIZ_DEAD_LETTER_NOT_FOUND, "No such dead letter.")
                            : new ProblemException(ErrorCode.BIZ_CONFLICT, oneTimeLinkOf(d) != null
                                    ? "Its one-time link was removed when it died; the user can ask for a new link."
                                    : "This dead letter was never a usable request and cannot be redriven.")));
        });
    }

    /** Redrives every dead letter that can be; answers how many. */
    @WithTransaction
    public Uni<Integer> redriveAll() {
        return deliveries.redriveAll(now());
    }

    /**
     * The claim lease: the configured one, but never shorter than twice the longest a round
     * can take ({@link MailSender#longestRound}), so no other replica can take a mail while
     * this one may still be sending it.
     */
    static Duration lease(NotificationConfig.Sender sender) {
        Duration twoRounds = MailSender.longestRound(sender).multipliedBy(2);
        return twoRounds.compareTo(sender.lease()) > 0 ? twoRounds : sender.lease();
    }

    /**
     * The parameters of a mail that died, without its one-time token: a dead letter (the row
     * and the record on the dead-letter topic) keeps no usable link in plain text. Such a
     * letter cannot be redriven; the user asks for a new link instead.
     */
    private Map<String, String> withoutOneTimeToken(Delivery d) {
        Map<String, String> params = new HashMap<>(read(d.params));
        String tokenParam = oneTimeLinkOf(d);
        if (tokenParam != null && params.remove(tokenParam) != null) {
            d.params = write(params);
            d.redrivable = false;
        }
        return params;
    }

    /** The parameter holding the mail's one-time token, or null when its template has none. */
    private static String oneTimeLinkOf(Delivery d) {
        return EmailTemplate.find(d.template).map(EmailTemplate::tokenParam).orElse(null);
    }

    private ObjectNode deadLetterData(Delivery d, Map<String, String> params) {
        ObjectNode data = json.createObjectNode();
        data.put("eventId", d.eventId.toString());
        data.put("reason", d.lastError);
        data.put("attempts", d.attempts);
        data.put("template", d.template);
        data.put("recipient", d.recipient);
        data.put("locale", d.locale);
        data.set("params", json.valueToTree(params));
        return data;
    }

    private Uni<Void> publishDeadLetter(Delivery d, ObjectNode data) {
        EventEnvelope letter = EventEnvelope.of(EventType.EMAIL_DEAD_LETTERED, SOURCE)
                .outcome("failure").data(data).build();
        String key = d.recipient == null ? d.eventId.toString() : d.recipient;
        return outbox.append(config.dlqTopic(), key, letter);
    }

    private String write(Map<String, String> params) {
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("parameters cannot be written", e);
        }
    }

    private Map<String, String> read(String params) {
        try {
            return params == null ? Map.of() : json.readValue(params, new TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored parameters cannot be read", e);
        }
    }

    /** The service's one clock (shared-contracts' ClockProducer), in UTC. */
    private OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
    }
}
