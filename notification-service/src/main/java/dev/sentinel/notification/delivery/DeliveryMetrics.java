package dev.sentinel.notification.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The mail counters, tagged by template: {@code sentinel_mail_sent_total},
 * {@code _failed_total} (with {@code kind} transient/permanent), {@code _retried_total},
 * {@code _dead_lettered_total}, {@code _suppressed_total}, and the send latency
 * {@code sentinel_mail_send_seconds}.
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void sent(String template, Duration latency) {
        counter("sentinel.mail.sent", template, "Mails the SMTP server accepted").increment();
        Timer.builder("sentinel.mail.send").description("Time to hand one mail to the SMTP server")
                .tag("template", tag(template)).publishPercentileHistogram().register(registry).record(latency);
    }

    void failed(String template, boolean permanent) {
        Counter.builder("sentinel.mail.failed").description("Send attempts that failed")
                .tag("template", tag(template)).tag("kind", permanent ? "permanent" : "transient")
                .register(registry).increment();
    }

    void retried(String template) {
        counter("sentinel.mail.retried", template, "Mails scheduled for another attempt").increment();
    }

    void deadLettered(String template) {
        counter("sentinel.mail.dead.lettered", template, "Requests parked in the dead-letter topic").increment();
    }

    void suppressed(String template) {
        counter("sentinel.mail.suppressed", template, "Requests over the per-recipient limit, not sent").increment();
    }

    private Counter counter(String name, String template, String description) {
        return Counter.builder(name).description(description).tag("template", tag(template)).register(registry);
    }

    private static String tag(String template) {
        return template == null ? "unknown" : template;
    }
}
