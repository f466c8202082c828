package dev.sentinel.contracts.tracing;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.quarkus.arc.Unremovable;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Keeps the OpenTelemetry SDK on Quarkus's exporters whatever {@code OTEL_TRACES_EXPORTER} says.
 * The SDK's autoconfiguration reads that variable itself, over what Quarkus hands it, and would
 * look for an exporter named {@code otlp} of its own (not in the jar): the service would not
 * start. Here the variable only decides whether {@link NoTraceExport} stands in for Quarkus's
 * OTLP exporter.
 */
@Singleton
@Unremovable
public class QuarkusExportersOnly implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addPropertiesCustomizer(config -> Map.of("otel.traces.exporter", "cdi"));
    }
}
