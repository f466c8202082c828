package dev.sentinel.contracts.events;

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
}
