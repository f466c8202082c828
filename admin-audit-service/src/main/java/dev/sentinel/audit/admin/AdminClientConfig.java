package dev.sentinel.audit.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How the admin console API reaches auth-service: the client_credentials client this service
 * signs in as (env {@code ADMIN_AUDIT_CLIENT_ID}, {@code ADMIN_AUDIT_CLIENT_SECRET}; auth-service
 * knows it from {@code SERVICE_CLIENTS}). The URL and timeouts are the REST client's
 * ({@code quarkus.rest-client.auth-service.*}); retries and the breaker are in {@link AuthUsers}.
 */
@ConfigMapping(prefix = "admin.auth")
public interface AdminClientConfig {

    String clientId();

    String clientSecret();

    /** A cached SERVICE token is replaced this long before it expires (at most half its lifetime). */
    @WithDefault("60s")
    Duration tokenRefreshMargin();
}
