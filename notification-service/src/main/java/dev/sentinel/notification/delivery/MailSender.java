package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.log.Redact;
import dev.sentinel.notification.config.NotificationConfig;
import dev.sentinel.notification.templates.MailRenderer;
import dev.sentinel.notification.templates.RenderedMail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loop that sends due mails, apart from the Kafka consumer so that a slow or failing
 * SMTP server never holds up consumption. Each round claims a batch from the delivery
 * table (a lease, so replicas share the work), renders and sends the mails a few at a time
 * outside any transaction, each bounded by the send timeout, then records every outcome.
 * A mail whose outcome could not be recorded (crash, database away) comes back when its
 * lease ends: that window is the only way a mail can go out twice.
 *
 * <p>Shutdown is graceful: on {@link ShutdownEvent} (SIGTERM, e.g. a rollout) no new round
 * starts, and the round in flight, if any, is waited for until it has recorded the outcome
 * of every mail it claimed — before Quarkus closes the database pool and the mailer, which
 * would otherwise leave mails sent but unmarked, to be sent again by the next process once
 * their lease ends. The wait is bounded by the longest a round can take,
 * {@code ceil(batch-size / concurrency) × send-timeout}, plus {@link #RECORDING_GRACE} to
 * record the outcomes (3 min 25 s with the defaults; a round against a healthy server takes
 * a second or two). {@code quarkus.shutdown.timeout} does not bound it (that setting only
 * drains HTTP requests); a supervisor that kills sooner (Kubernetes'
 * {@code terminationGracePeriodSeconds}) cuts the wait short, and then the lease window
 * above applies. The wait blocks the thread that fires the event (the main or shutdown-hook
 * thread), never an event loop. {@code ConsumerRestartIT} stops the packaged service with
 * SIGTERM and with SIGKILL in the middle of a batch.
 */
@ApplicationScoped
public class MailSender {

    /** Header carrying the event id, so a receiver (or a test) can tell one request's mail. */
    public static final String EVENT_ID_HEADER = "X-Sentinel-Event-Id";
    /** Time allowed on shutdown, beyond the longest possible round, for recording the round's outcomes. */
    static final Duration RECORDING_GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(MailSender.class);

    private final DeliveryService deliveries;
    private final MailRenderer renderer;
    private final SmtpClient smtp;
    private final DeliveryMetrics metrics;
    private final NotificationConfig.Sender config;
    private final Vertx vertx;
    /** Guards {@link #running}, {@link #timer} and {@link #roundInFlight}; held only for a few field writes. */
    private final Object lifecycle = new Object();
    private boolean running;
    private long timer = -1;
    /** Completes when the current round has recorded its outcomes (or failed); done when no round runs. */
    private CompletableFuture<Void> roundInFlight = CompletableFuture.completedFuture(null);

    public MailSender(DeliveryService deliveries, MailRenderer renderer, SmtpClient smtp, DeliveryMetrics metrics,
            NotificationConfig config, Vertx vertx) {
        this.deliveries = deliveries;
        this.renderer = renderer;
        this.smtp = smtp;
        this.metrics = metrics;
        this.config = config.sender();
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        synchronized (lifecycle) {
            if (running) {
                return;
            }
            running = true;
        }
        schedule(Duration.ZERO);
    }

    /** Starts no further round and waits, bounded, for the one in flight to record its outcomes. */
    void onStop(@Observes ShutdownEvent event) {
        CompletableFuture<Void> inFlight;
        synchronized (lifecycle) {
            running = false;
            vertx.cancelTimer(timer);
            inFlight = roundInFlight;
        }
        if (inFlight.isDone()) {
            return;
        }
        if (Context.isOnEventLoopThread()) {
            // The round needs this very thread to finish; blocking here would only stall it.
            LOG.warn("Mail sender stopped on an event loop: not waiting for the round in flight");
            return;
        }
        Duration bound = shutdownWait(config);
        LOG.infof("Mail sender stopping: waiting up to %s for the round in flight to record its outcomes", bound);
        try {
            inFlight.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Mail sender stopped: the round in flight recorded its outcomes");
        } catch (TimeoutException e) {
            LOG.warnf("Mail sender stopped with a round still in flight after %s: its unrecorded mails come back "
                    + "after their lease", bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a round never completes exceptionally", e);
        }
    }

    /** What shutdown waits for: the longest a round can take, plus time to record its outcomes. */
    static Duration shutdownWait(NotificationConfig.Sender sender) {
        return longestRound(sender).plus(RECORDING_GRACE);
    }

    /**
     * The longest a round can take: every send of a full batch timing out, {@code concurrency}
     * at a time, so {@code ceil(batch-size / concurrency) × send-timeout}. The claim lease and
     * the shutdown wait are both built on it.
     */
    static Duration longestRound(NotificationConfig.Sender sender) {
        long sendsInARow = (sender.batchSize() + sender.concurrency() - 1) / sender.concurrency();
        return sender.sendTimeout().multipliedBy(sendsInARow);
    }

    private void schedule(Duration delay) {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> startRound());
        }
    }

    private void startRound() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            roundInFlight = done;
        }
        // Each round gets a fresh duplicated context of its own, marked safe for Hibernate Reactive.
        Context round = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(round, true);
        round.runOnContext(ignored -> round().onTermination().invoke(() -> done.complete(null))
                .subscribe().with(this::schedule, failure -> {
                    LOG.warnf("Mail sender round failed: %s", failure.toString());
                    schedule(config.pollInterval().multipliedBy(10));
                }));
    }

    /** One round; emits how long to wait before the next. */
    Uni<Duration> round() {
        return deliveries.claimDue().chain(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().item(config.pollInterval());
            }
            Duration next = batch.size() >= config.batchSize() ? Duration.ZERO : config.pollInterval();
            return Multi.createFrom().iterable(batch)
                    .onItem().transformToUni(this::send).merge(config.concurrency())
                    .collect().asList()
                    .chain(this::record)
                    .replaceWith(next);
        });
    }

    private Uni<Outcome> send(ClaimedMail mail) {
        RenderedMail rendered;
        try {
            rendered = renderer.render(mail.template(), mail.locale(), mail.params());
        } catch (RuntimeException e) {
            return Uni.createFrom().item(new Outcome(mail, new SmtpFailure(true, "cannot render: " + e.getMessage())));
        }
        long started = System.nanoTime();
        return smtp.send(mail.recipient(), rendered.subject(), rendered.html(), rendered.text(), EVENT_ID_HEADER,
                        mail.eventId().toString())
                .ifNoItem().after(config.sendTimeout()).fail()
                .onItemOrFailure().transform((ok, failure) -> {
                    if (failure == null) {
                        metrics.sent(mail.template().wireName(), Duration.ofNanos(System.nanoTime() - started));
                        return new Outcome(mail, null);
                    }
                    SmtpFailure classified = SmtpFailure.classify(failure);
                    LOG.infof("Mail %s (%s to %s) attempt %d failed: %s", mail.eventId(), mail.template().wireName(),
                            Redact.email(mail.recipient()), mail.attemptsBefore() + 1, classified.reason());
                    return new Outcome(mail, classified);
                });
    }

    /** Records outcomes one after another (one reactive session per context is never shared concurrently). */
    private Uni<Void> record(List<Outcome> outcomes) {
        return Multi.createFrom().iterable(outcomes)
                .onItem().transformToUniAndConcatenate(outcome -> {
                    UUID id = outcome.mail().eventId();
                    Uni<Void> recorded = outcome.failure() == null
                            ? deliveries.markSent(id)
                            : deliveries.recordFailure(id, outcome.failure());
                    return recorded.onFailure().recoverWithItem(e -> {
                        LOG.warnf("Outcome of mail %s not recorded (it comes back after its lease): %s", id, e.toString());
                        return null;
                    });
                })
                .collect().last().replaceWithVoid();
    }

    private record Outcome(ClaimedMail mail, SmtpFailure failure) {
    }
}
