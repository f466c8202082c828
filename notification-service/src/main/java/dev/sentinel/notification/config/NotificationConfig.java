package dev.sentinel.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Set;

/** Settings of notification-service ({@code notification.*}); every one has a working local default. */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    /**
     * The base URL that links in mails start with (env {@code PUBLIC_BASE_URL}), e.g. the
     * gateway or the SPA. Links are never built from anything in the request.
     */
    @WithDefault("http://127.0.0.1:8081")
    String publicBaseUrl();

    /** Where requests that cannot be delivered are parked, with the reason. */
    @WithDefault("email-requests.dlq")
    String dlqTopic();

    Retry retry();

    Limit limit();

    Sender sender();

    Retention retention();

    /** Transient failures (SMTP away, 4xx, timeout): exponential backoff with jitter. */
    interface Retry {

        /** Send attempts in all, the first one included; then the request is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** Delay after the first failed attempt; doubles on each further one (30 s … ~32 min ≈ 1 h in all). */
        @WithDefault("PT30S")
        Duration initialDelay();

        /** No single delay is longer than this. */
        @WithDefault("PT32M")
        Duration maxDelay();

        /** Each delay is spread at random by ± this fraction, so a recovered server is not hit by a wave. */
        @WithDefault("0.2")
        double jitter();
    }

    /** How many mails one recipient may get per window; the rest is suppressed. */
    interface Limit {

        /** Mails per recipient per window, per bucket. */
        @WithDefault("10")
        int perWindow();

        @WithDefault("PT1H")
        Duration window();

        /** Templates counted in a bucket of their own (so a flood of notices never blocks a sign-up). */
        @WithDefault("verify-email,password-reset")
        Set<String> ownBucketTemplates();
    }

    /** The loop that sends due mails from the delivery table. */
    interface Sender {

        /** How often the loop looks for due mails. */
        @WithDefault("PT0.2S")
        Duration pollInterval();

        /** Mails claimed per round. */
        @WithDefault("50")
        int batchSize();

        /** Mails sent at the same time within a round. */
        @WithDefault("4")
        int concurrency();

        /**
         * How long a claim keeps other replicas off a mail; a crashed sender's mails come back
         * after it. Raised automatically to twice the longest a round can take
         * ({@code ceil(batch-size / concurrency) × send-timeout}).
         */
        @WithDefault("PT2M")
        Duration lease();

        /**
         * Upper bound for one SMTP send (connect included); past it the attempt counts as a
         * transient failure. An SMTP connection that stays silent a second longer is
         * closed, so a hung server cannot hold the connection pool.
         */
        @WithDefault("PT15S")
        Duration sendTimeout();

        /** Upper bound for opening a TCP connection to the SMTP server (and for waiting for a pooled one). */
        @WithDefault("PT5S")
        Duration connectTimeout();
    }

    /**
     * How long finished deliveries are kept (for the limit, dead-letter listing and
     * support). The exactly-once record of an event is its {@code processed_event} row,
     * whose retention ({@code sentinel.processed-events.retention}) must not be shorter.
     */
    interface Retention {

        /** Sent and suppressed mails are forgotten this long after they arrived. */
        @WithDefault("P30D")
        Duration delivered();

        /** Dead letters nobody redrove are forgotten this long after they died. */
        @WithDefault("P30D")
        Duration dead();

        /** How often the purge runs (each run deletes in bounded batches), e.g. {@code 10m}; {@code off} never. */
        @WithDefault("10m")
        String purgeInterval();
    }
}
