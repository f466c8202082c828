package dev.sentinel.contracts.web;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.jboss.logging.MDC;

/**
 * The id a client quotes when it reports a problem: the OpenTelemetry trace id of the
 * current request, or its request id when no trace is being recorded.
 */
public final class TraceIds {

    private TraceIds() {
    }

    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return span.getTraceId();
        }
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        return requestId != null ? requestId.toString() : null;
    }
}
