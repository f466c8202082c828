package dev.sentinel.contracts.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupUnlessProperty;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * Spans go nowhere unless {@code OTEL_TRACES_EXPORTER=otlp}. Quarkus decides which exporter a
 * service has when it builds the jar ({@code quarkus.otel.traces.exporter} is fixed at build
 * time), so an environment variable could not turn export on; instead every jar carries the OTLP
 * exporter and this bean switches it off at run time: while it can be looked up, Quarkus leaves
 * the OTLP exporter out and hands spans here. With {@code sentinel.traces.exporter=otlp} it
 * cannot, and the OTLP exporter sends to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. Spans (and so the
 * trace ids on problems, events and audit rows) are made either way.
 */
@Singleton
@Unremovable
@LookupUnlessProperty(name = "sentinel.traces.exporter", stringValue = "otlp")
public class NoTraceExport implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
