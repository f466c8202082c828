package dev.sentinel.contracts.problem;

import dev.sentinel.contracts.web.TraceIds;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds {@link Problem} documents: the one place a code becomes a title, status and type. */
public final class Problems {

    private Problems() {
    }

    public static Problem of(ErrorCode code, Locale locale, String detail) {
        return of(code, locale, detail, List.of(), Map.of());
    }

    public static Problem of(ErrorCode code, Locale locale, String detail,
            List<Problem.FieldError> errors, Map<String, Object> extensions) {
        return new Problem(code.typeUri(), ProblemMessages.title(code, locale), code.status(), detail,
                code.name(), TraceIds.current(), null, errors.isEmpty() ? null : errors,
                extensions.isEmpty() ? null : extensions);
    }
}
