package dev.sentinel.contracts.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown (or failed with, in a {@code Uni}) by service code to answer with a specific
 * problem. The shared exception mapper turns it into problem+json; services never build
 * error responses by hand.
 */
public class ProblemException extends RuntimeException {

    private final ErrorCode code;
    private final List<Problem.FieldError> fieldErrors;
    private final Map<String, Object> extensions;
    private final Long retryAfterSeconds;

    public ProblemException(ErrorCode code, String detail) {
        this(code, detail, List.of(), Map.of(), null);
    }

    public ProblemException(ErrorCode code, String detail, List<Problem.FieldError> fieldErrors,
            Map<String, Object> extensions, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.code = code;
        this.fieldErrors = List.copyOf(fieldErrors);
        this.extensions = Map.copyOf(extensions);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A 400 {@code VAL_INVALID_FIELDS} naming one field and every reason it was refused. */
    public static ProblemException invalidField(String detail, String field, List<String> reasons) {
        return new ProblemException(ErrorCode.VAL_INVALID_FIELDS, detail,
                reasons.stream().map(reason -> new Problem.FieldError(field, reason)).toList(), Map.of(), null);
    }

    /** A 429 or 503 that tells the client when to come back. */
    public static ProblemException retryLater(ErrorCode code, String detail, long retryAfterSeconds) {
        return new ProblemException(code, detail, List.of(), Map.of(), retryAfterSeconds);
    }

    public ErrorCode code() {
        return code;
    }

    public List<Problem.FieldError> fieldErrors() {
        return fieldErrors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Seconds for the {@code Retry-After} header, or null for none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
