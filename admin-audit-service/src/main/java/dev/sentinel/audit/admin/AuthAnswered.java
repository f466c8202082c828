package dev.sentinel.audit.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemException;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * auth-service (or account-service, through {@link #of(String, Response)}) answered with an error status. A 4xx carrying a problem with a code of our
 * catalog is the caller's problem (unknown user, last administrator, bad input) and is handed
 * on as the same problem; anything else (5xx, a body we cannot read) means auth is not working
 * and counts against its circuit breaker.
 */
public final class AuthAnswered extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String dependency;
    private final int status;
    private final transient ProblemException forCaller;

    private AuthAnswered(int status, ProblemException forCaller) {
        this(AuthUsers.DEPENDENCY, status, forCaller);
    }

    private AuthAnswered(String dependency, int status, ProblemException forCaller) {
        super(dependency + " answered " + status, null, false, false);
        this.dependency = dependency;
        this.status = status;
        this.forCaller = forCaller;
    }

    /** Which service answered. */
    public String dependency() {
        return dependency;
    }

    public int status() {
        return status;
    }

    /** The problem to answer our caller with, or null when this answer says auth is unwell. */
    public ProblemException forCaller() {
        return forCaller;
    }

    static AuthAnswered of(Response response) {
        return of(AuthUsers.DEPENDENCY, response);
    }

    /** The same reading of an answer of another of our services (account-service). */
    static AuthAnswered of(String dependency, Response response) {
        int status = response.getStatus();
        if (status < 400 || status >= 500 || status == 401) {
            return new AuthAnswered(dependency, status, null);
        }
        try {
            JsonNode problem = JSON.readTree(response.readEntity(String.class));
            ErrorCode code = ErrorCode.valueOf(problem.path("code").asText(""));
            if (code.status() != status) {
                return new AuthAnswered(dependency, status, null);
            }
            List<Problem.FieldError> errors = new ArrayList<>();
            for (JsonNode error : problem.path("errors")) {
                errors.add(new Problem.FieldError(error.path("field").asText(), error.path("message").asText()));
            }
            String detail = problem.path("detail").asText(null);
            return new AuthAnswered(dependency, status, new ProblemException(code, detail, errors, Map.of(), null));
        } catch (RuntimeException | java.io.IOException unreadable) {
            return new AuthAnswered(dependency, status, null);
        }
    }
}
