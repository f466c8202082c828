package dev.sentinel.contracts.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The one way a service reads who is calling. Quarkus applies the shared
 * {@code quarkus.http.proxy.*} settings (META-INF/microprofile-config.properties of this jar)
 * before any handler sees the request: the first {@code X-Forwarded-For} entry when the direct
 * peer is one of {@code TRUSTED_PROXIES}, the socket peer otherwise.
 */
public final class ClientAddress {

    /** The log context key under which every request's client address is logged. */
    public static final String MDC_KEY = "clientAddress";
    /** Stands in when there is no usable address (a trusted proxy forwarded something that is not one). */
    public static final String UNKNOWN = "0.0.0.0";

    private ClientAddress() {
    }

    /** The client's IP address as text; never null. */
    public static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        if (remote == null || remote.hostAddress() == null || remote.hostAddress().isBlank()) {
            return UNKNOWN;
        }
        return remote.hostAddress();
    }
}
