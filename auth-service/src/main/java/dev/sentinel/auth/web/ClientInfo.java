package dev.sentinel.auth.web;

import dev.sentinel.contracts.web.ClientAddress;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who is calling, as far as binding and events need it: the client IP (read through the
 * shared {@link ClientAddress}: the gateway's forwarded address only from TRUSTED_PROXIES),
 * the raw user agent, its family and the client network.
 */
public record ClientInfo(String ip, String userAgent, String device, String network) {

    private static final int MAX_USER_AGENT = 512;

    public static ClientInfo of(HttpServerRequest request) {
        String ip = ClientAddress.of(request);
        String userAgent = request.getHeader("User-Agent");
        if (userAgent == null) {
            userAgent = "";
        } else if (userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        return new ClientInfo(ip, userAgent, DeviceFamily.of(userAgent), NetworkBinding.networkOf(ip));
    }
}
