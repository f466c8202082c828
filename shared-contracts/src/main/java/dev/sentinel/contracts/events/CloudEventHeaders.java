package dev.sentinel.contracts.events;

import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Kafka header names of the CloudEvents Kafka binding that we set on every record, so a
 * consumer can route and dedupe without parsing the value. The value itself is the whole
 * envelope as JSON ({@link #CONTENT_TYPE_VALUE}).
 */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    public static final String CONTENT_TYPE_VALUE = "application/cloudevents+json; charset=UTF-8";
    /** W3C trace context of the request that caused the event, so the trace continues in consumers. */
    public static final String TRACEPARENT = "traceparent";

    private CloudEventHeaders() {
    }

    /**
     * Puts the headers every Sentinel record carries on {@code headers}: the one place that
     * decides them, used by the outbox relay and by tests that publish like it. Consumers
     * must read such records as plain JSON (SmallRye's {@code cloud-events=false}).
     */
    public static void stamp(Headers headers, String id, String type, String traceparent) {
        headers.add(ID, id.getBytes(StandardCharsets.UTF_8));
        headers.add(SPEC_VERSION, EventEnvelope.SPEC_VERSION.getBytes(StandardCharsets.UTF_8));
        headers.add(TYPE, type.getBytes(StandardCharsets.UTF_8));
        headers.add(CONTENT_TYPE, CONTENT_TYPE_VALUE.getBytes(StandardCharsets.UTF_8));
        if (traceparent != null && !traceparent.isEmpty()) {
            headers.add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
    }
}
