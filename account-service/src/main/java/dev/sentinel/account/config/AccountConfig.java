package dev.sentinel.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of account-service: plan maxima, charge bounds, reservations. */
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
}
