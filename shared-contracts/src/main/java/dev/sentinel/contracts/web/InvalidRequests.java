package dev.sentinel.contracts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the requests Vert.x cannot decode, and so never routes: a request line over
 * {@code quarkus.http.limits.max-initial-line-length} (414), headers over
 * {@code quarkus.http.limits.max-header-size} (431) and anything that is not HTTP (400), with
 * problem+json like every other error, then closes the connection. Vert.x sends these through
 * {@code HttpServer#invalidRequestHandler}, which Quarkus 3.34 neither sets nor lets an
 * application reach (quarkusio/quarkus#55082), so once the server listens this puts {@link #handle} into the
 * connection handler of every HTTP server Quarkus started, by reflection on Vert.x 4.5's
 * internals. If those change, startup logs an error and the edge tests of every service
 * (ServiceBasicsContract) fail: bare 414/431/400 answers would come back, nothing worse.
 */
@ApplicationScoped
public class InvalidRequests implements Handler<HttpServerRequest> {

    private static final Logger LOG = Logger.getLogger(InvalidRequests.class);

    private final ObjectMapper json;

    @Inject
    public InvalidRequests(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Quarkus fires this once its first HTTP server instance listens; the others (one per
     * event loop) start alongside, so the handler is put in again every 50 ms for 5 s.
     */
    void install(@ObservesAsync HttpServerStart started, Vertx vertx) {
        installNow(vertx);
        AtomicInteger rounds = new AtomicInteger();
        vertx.setPeriodic(50, timer -> {
            int installed = installNow(vertx);
            if (rounds.incrementAndGet() >= 100) {
                vertx.cancelTimer(timer);
                if (installed == 0) {
                    LOG.error("No HTTP server found to answer undecodable requests with problem+json");
                } else {
                    LOG.debugf("Undecodable requests answered with problem+json by %d server workers", installed);
                }
            }
        });
    }

    private int installNow(Vertx vertx) {
        try {
            return installOn(vertx);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf("Undecodable requests keep Vert.x's bare answers: %s", e.toString());
            return -1;
        }
    }

    /** Puts this handler into the connection handler of every listening HTTP server worker. */
    int installOn(Vertx vertx) throws ReflectiveOperationException {
        int installed = 0;
        for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            Object balancer = read(TCPServerBase.class, "channelBalancer", server);
            Map<?, ?> workers = (Map<?, ?>) read(balancer.getClass(), "workerMap", balancer);
            for (Object list : workers.values()) {
                for (Object worker : (Collection<?>) read(list.getClass(), "list", list)) {
                    TCPServerBase owner = capturedServer(worker);
                    Object child = owner == null ? null : read(TCPServerBase.class, "childHandler", owner);
                    if (child == null) {
                        continue;
                    }
                    Object connections = read(child.getClass(), "connectionHandler", child);
                    Field invalid = connections.getClass().getDeclaredField("invalidRequestHandler");
                    invalid.setAccessible(true);
                    if (invalid.get(connections) != this) {
                        invalid.set(connections, this);
                    }
                    installed++;
                }
            }
        }
        return installed;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ErrorCode code = cause instanceof TooLongHttpLineException ? ErrorCode.VAL_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? ErrorCode.VAL_HEADERS_TOO_LARGE
                : ErrorCode.VAL_MALFORMED_REQUEST;
        String requestId = UUID.randomUUID().toString();
        String peerAddress = ClientAddress.of(request); // undecoded: the socket peer, no header believed
        MDC.put(RequestIds.MDC_KEY, requestId);
        MDC.put(ClientAddress.MDC_KEY, peerAddress);
        try {
            HttpEdge.refused(code, peerAddress);
            HttpServerResponse response = request.response();
            response.setStatusCode(code.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader(RequestIds.HEADER, requestId)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", HttpEdge.API_CSP);
            response.end(HttpEdge.problemBody(json, code, request.getHeader(HttpHeaders.ACCEPT_LANGUAGE), detail(code)))
                    .onComplete(done -> request.connection().close());
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove(ClientAddress.MDC_KEY);
        }
    }

    private static String detail(ErrorCode code) {
        return switch (code) {
            case VAL_URI_TOO_LONG -> "The request line is longer than this server reads.";
            case VAL_HEADERS_TOO_LARGE -> "The request headers are larger than this server reads.";
            default -> "The request could not be parsed as HTTP/1.1.";
        };
    }

    /** The server whose worker {@code worker} is: Vert.x's worker is a lambda capturing it. */
    private static TCPServerBase capturedServer(Object worker) throws IllegalAccessException {
        for (Field field : worker.getClass().getDeclaredFields()) {
            if (TCPServerBase.class.isAssignableFrom(field.getType()) || field.getType() == Object.class) {
                field.setAccessible(true);
                if (field.get(worker) instanceof TCPServerBase server) {
                    return server;
                }
            }
        }
        return null;
    }

    private static Object read(Class<?> type, String name, Object target) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
