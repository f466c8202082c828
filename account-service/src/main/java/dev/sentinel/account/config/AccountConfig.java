package dev.sentinel.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of account-service: plan maxima, charge bounds, reservations, retention. */
@ConfigMapping(prefix = "account")
public interface AccountConfig {

    /** The largest monthly cap a FREE account may set, in cents (also its default cap). */
    @WithDefault("1000")
    long freeMaxMonthlyCapCents();

    /** The largest monthly cap a PRO account may set, in cents (also its default cap). */
    @WithDefault("1000000")
    long proMaxMonthlyCapCents();

    /** Warning threshold of a new account, in percent of its cap. */
    @WithDefault("80")
    int defaultWarnThresholdPercent();

    /** The largest single charge or reservation accepted, in cents; more is a 400. */
    @WithDefault("1000000")
    long maxChargeCents();

    Reservations reservations();

    interface Reservations {

        /** How long a hold lives when the request names no ttlSeconds. */
        @WithDefault("PT5M")
        Duration defaultTtl();

        /** The longest hold a client may ask for. */
        @WithDefault("PT24H")
        Duration maxTtl();

        /** How often the sweeper frees the holds of expired reservations. */
        @WithDefault("PT5S")
        Duration sweepInterval();

        /** How many accounts with expired holds the sweeper settles per round. */
        @WithDefault("200")
        int sweepBatch();
    }

    Retention retention();

    interface Retention {

        /**
         * How long a charge's or hold's idempotency record ({@code spend_request}) is kept:
         * a retry with its key within this time replays the first decision; after it, the key
         * is new again. Well past any client's retry window and the billing periods support
         * looks back on.
         */
        @WithDefault("P90D")
        Duration spendRequests();

        /** How often the purge runs (a Quarkus scheduler interval, or {@code off}). */
        @WithDefault("10m")
        String purgeInterval();
    }
}
