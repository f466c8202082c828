package dev.sentinel.contracts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemMessages;
import dev.sentinel.contracts.problem.Problems;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * What every request crosses before and after the JAX-RS layer, in every service:
 * the {@code X-Request-Id} (accepted or made, echoed, logged, put on the trace), the client
 * address in the log context, the security headers, the body-size limit and a problem+json
 * 404 for paths no route serves. These live at the HTTP edge because the JAX-RS exception
 * mappers never see such requests. A request refused here is logged with its client address.
 */
@ApplicationScoped
public class HttpEdge {

    /** API answers are JSON: no scripts, no framing, no referrers. Swagger UI gets its own. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);

    private final ObjectMapper json;
    private final long maxBodyBytes;

    @Inject
    public HttpEdge(ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "64K") MemorySize maxBody) {
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void registerFilters(@Observes Filters filters) {
        filters.register(this::onRequest, 1000);
    }

    void registerFallback(@Observes Router router) {
        router.route().last().handler(ctx -> problem(ctx, ErrorCode.SYS_NOT_FOUND, "Nothing is here."));
    }

    private void onRequest(RoutingContext ctx) {
        String requestId = RequestIds.accept(ctx.request().getHeader(RequestIds.HEADER));
        MDC.put(RequestIds.MDC_KEY, requestId);
        MDC.put(ClientAddress.MDC_KEY, ClientAddress.of(ctx.request()));
        Span span = Span.current();
        if (span.getSpanContext().isValid()) {
            span.setAttribute("http.request_id", requestId);
        }
        HttpServerResponse response = ctx.response();
        response.putHeader(RequestIds.HEADER, requestId);
        response.putHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("X-Frame-Options", "DENY");
        response.putHeader("Referrer-Policy", "no-referrer");
        if (!ctx.normalizedPath().startsWith("/q/swagger-ui")) {
            response.putHeader("Content-Security-Policy", API_CSP);
        }
        if (declaredLength(ctx) > maxBodyBytes) {
            // Refused before the body is read; a chunked body over the limit is stopped by
            // the server's own limit with the same status.
            response.putHeader(HttpHeaders.CONNECTION, "close");
            refused(ErrorCode.VAL_BODY_TOO_LARGE, ClientAddress.of(ctx.request()));
            problem(ctx, ErrorCode.VAL_BODY_TOO_LARGE, "The body is larger than " + maxBodyBytes + " bytes.");
            return;
        }
        ctx.next();
    }

    /** One line per request refused at the edge: who sent it and why (never its URI or headers). */
    static void refused(ErrorCode code, String clientAddress) {
        LOG.info("Refused at the edge: " + code.status() + " " + code.name() + " from " + clientAddress);
    }

    private static long declaredLength(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void problem(RoutingContext ctx, ErrorCode code, String detail) {
        ctx.response().setStatusCode(code.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problemBody(json, code, ctx.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE), detail));
    }

    /** The problem+json text for {@code code}, titled in the language {@code acceptLanguage} asks for. */
    static String problemBody(ObjectMapper json, ErrorCode code, String acceptLanguage, String detail) {
        Problem problem = Problems.of(code, ProblemMessages.pick(acceptLanguage), detail);
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException impossible) {
            return "{\"status\":" + code.status() + ",\"code\":\"" + code.name() + "\",\"traceId\":\"" + problem.traceId() + "\"}";
        }
    }
}
