package dev.sentinel.notification.delivery;

import dev.sentinel.contracts.events.EmailTemplate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail counters, tagged by template: {@code sentinel_mail_sent_total},
 * {@code _failed_total} (with {@code kind} transient/permanent), {@code _retried_total},
 * {@code _dead_lettered_total}, {@code _suppressed_total}, and the send latency
 * {@code sentinel_mail_send_seconds}. Every series (each template the suite knows,
 * plus {@code unknown}, and each failure kind) exists at 0 from the start, so rates and the
 * alerts on failures and dead letters work before the first one (DESIGN §9).
 */
@Startup // its series must exist before the first event
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        List<String> templates = new ArrayList<>();
        for (EmailTemplate template : EmailTemplate.values()) {
            templates.add(template.wireName());
        }
        templates.add(tag(null));
        for (String template : templates) {
            sentCounter(template);
            failedCounter(template, true);
            failedCounter(template, false);
            retriedCounter(template);
            deadLetteredCounter(template);
            suppressedCounter(template);
            sendTimer(template);
        }
    }

    void sent(String template, Duration latency) {
        sentCounter(template).increment();
        sendTimer(template).record(latency);
    }

    /** Registered at start like the counters, so a dashboard's send-time panel has its series before the first mail. */
    private Timer sendTimer(String template) {
        return Timer.builder("sentinel.mail.send").description("Time to hand one mail to the SMTP server")
                .tag("template", tag(template)).publishPercentileHistogram().register(registry);
    }

    void failed(String template, boolean permanent) {
        failedCounter(template, permanent).increment();
    }

    void retried(String template) {
        retriedCounter(template).increment();
    }

    void deadLettered(String template) {
        deadLetteredCounter(template).increment();
    }

    void suppressed(String template) {
        suppressedCounter(template).increment();
    }

    private Counter sentCounter(String template) {
        return counter("sentinel.mail.sent", template, "Mails the SMTP server accepted");
    }

    private Counter failedCounter(String template, boolean permanent) {
        return Counter.builder("sentinel.mail.failed").description("Send attempts that failed")
                .tag("template", tag(template)).tag("kind", permanent ? "permanent" : "transient")
                .register(registry);
    }

    private Counter retriedCounter(String template) {
        return counter("sentinel.mail.retried", template, "Mails scheduled for another attempt");
    }

    private Counter deadLetteredCounter(String template) {
        return counter("sentinel.mail.dead.lettered", template, "Requests parked in the dead-letter topic");
    }

    private Counter suppressedCounter(String template) {
        return counter("sentinel.mail.suppressed", template, "Requests over the per-recipient limit, not sent");
    }

    private Counter counter(String name, String template, String description) {
        return Counter.builder(name).description(description).tag("template", tag(template)).register(registry);
    }

    private static String tag(String template) {
        return template == null ? "unknown" : template;
    }
}
