package dev.sentinel.contracts.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document as every Sentinel service writes it: the standard members,
 * our stable {@code code} and {@code traceId}, field errors for validation failures, and
 * any extension members a code defines (e.g. {@code limitCents} on a 402).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "code", "traceId", "instance", "errors"})
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        String traceId,
        String instance,
        List<FieldError> errors,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: a JSON-pointer-like path into the request and why it was refused. */
    @RegisterForReflection
    public record FieldError(String field, String message) {
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }
}
