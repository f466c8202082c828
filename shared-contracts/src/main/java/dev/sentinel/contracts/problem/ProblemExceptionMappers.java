package dev.sentinel.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one exception mapping every Sentinel service registers (it is discovered from this
 * jar's index). Every error leaves as RFC 9457 problem+json with our {@code code} and
 * {@code traceId}; nothing leaks a stack trace or an exception message we did not write.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpHeaders headers) {
        Response.ResponseBuilder response = respond(headers, Problems.of(e.code(),
                ProblemMessages.pick(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)), e.getMessage(),
                e.fieldErrors(), e.extensions()));
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", Math.max(1, e.retryAfterSeconds()));
        }
        return response.build();
    }

    /** Bean Validation on a request: 400 with one entry per invalid field. */
    @ServerExceptionMapper
    public Response invalidFields(ConstraintViolationException e, HttpHeaders headers) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .collect(Collectors.toList());
        return build(headers, ErrorCode.VAL_INVALID_FIELDS, "Some fields are invalid.", errors);
    }

    /** JSON that parses but has a value of the wrong type or shape for a field. */
    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e, HttpHeaders headers) {
        String field = pathOf(e);
        List<Problem.FieldError> errors = field.isEmpty() ? List.of()
                : List.of(new Problem.FieldError(field, "has the wrong type or shape"));
        return build(headers, ErrorCode.VAL_INVALID_TYPE,
                field.isEmpty() ? "The body has the wrong shape." : "Field '" + field + "' has the wrong type.", errors);
    }

    /** Anything else Jackson refuses: not JSON, truncated JSON, invalid UTF-8. */
    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, HttpHeaders headers) {
        return build(headers, ErrorCode.VAL_MALFORMED_BODY, "The body is not valid JSON.", List.of());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(Exception e, HttpHeaders headers) {
        if (e.getCause() instanceof ProblemException problem) {
            return problem(problem, headers);
        }
        return Response.fromResponse(build(headers, ErrorCode.AUTH_UNAUTHENTICATED,
                "A valid bearer token is required.", List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return build(headers, ErrorCode.AUTH_FORBIDDEN, "Your roles do not allow this.", List.of());
    }

    /**
     * Nothing is here: no route, or a path value that does not convert to its parameter's type.
     * JAX-RS answers a query value that does not convert ({@code ?limit=abc}) with the same bare
     * 404; that is the client's bad input, so it is a 400 {@code VAL_INVALID_TYPE} naming the
     * parameter.
     */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpHeaders headers, UriInfo uri, ResourceInfo resource) {
        if (e.getCause() != null && resource != null) {
            List<Problem.FieldError> wrong = QueryParameterTypes.wrong(resource.getResourceMethod(), uri.getQueryParameters());
            if (!wrong.isEmpty()) {
                return build(headers, ErrorCode.VAL_INVALID_TYPE, "Query parameter '" + wrong.get(0).field()
                        + "' has the wrong type.", wrong);
            }
        }
        return build(headers, ErrorCode.SYS_NOT_FOUND, "Nothing is here.", List.of());
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpHeaders headers) {
        Response response = build(headers, ErrorCode.SYS_METHOD_NOT_ALLOWED, "This method is not allowed here.", List.of());
        return Response.fromResponse(response).allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, HttpHeaders headers) {
        return build(headers, ErrorCode.VAL_UNSUPPORTED_MEDIA_TYPE, "Send application/json.", List.of());
    }

    /**
     * A Content-Type that is not a media type at all ({@code application}, {@code ;}): where two
     * methods share a path and differ by what they consume, RESTEasy Reactive parses the header
     * to choose one and throws IllegalArgumentException, which would be a 500. Any other
     * IllegalArgumentException is still unexpected.
     */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e, HttpHeaders headers) {
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !isMediaType(contentType)) {
            return build(headers, ErrorCode.VAL_UNSUPPORTED_MEDIA_TYPE, "The Content-Type is not a media type; send"
                    + " application/json.", List.of());
        }
        return unexpected(e, headers);
    }

    static boolean isMediaType(String value) {
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, HttpHeaders headers) {
        return build(headers, ErrorCode.VAL_NOT_ACCEPTABLE, "This resource answers in JSON.", List.of());
    }

    /**
     * Other JAX-RS errors keep their status; the body is still a problem. A header value that
     * does not convert to its parameter's type ({@code X-Count: many} for an {@code int}) is a bare
     * 400 from JAX-RS: it becomes a {@code VAL_INVALID_TYPE} naming the header, as a query value does.
     */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers, ResourceInfo resource) {
        int status = e.getResponse().getStatus();
        if (status == 400 && resource != null) {
            List<Problem.FieldError> wrong = QueryParameterTypes.wrongHeaders(resource.getResourceMethod(),
                    headers::getRequestHeader);
            if (!wrong.isEmpty()) {
                return build(headers, ErrorCode.VAL_INVALID_TYPE, "Header '" + wrong.get(0).field()
                        + "' has the wrong type.", wrong);
            }
        }
        if (status >= 500) {
            LOG.error("Request failed", e);
            return build(headers, ErrorCode.SYS_INTERNAL, null, List.of());
        }
        if (status == 413) {
            return build(headers, ErrorCode.VAL_BODY_TOO_LARGE, "The body is larger than allowed.", List.of());
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, headers);
        }
        return build(headers, ErrorCode.VAL_MALFORMED_BODY, "The request could not be read.", List.of());
    }

    /** The last resort: log it with its stack trace here, tell the client only the trace id. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpHeaders headers) {
        LOG.error("Unexpected error", e);
        return build(headers, ErrorCode.SYS_INTERNAL, null, List.of());
    }

    private static Response build(HttpHeaders headers, ErrorCode code, String detail, List<Problem.FieldError> errors) {
        return respond(headers, Problems.of(code, ProblemMessages.pick(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)),
                detail, errors, Map.of())).build();
    }

    private static Response.ResponseBuilder respond(HttpHeaders headers, Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    /** The request field a violation is about, without the method and parameter names. */
    static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getName() != null) {
                names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
            }
        }
        if (names.isEmpty()) {
            return parameter != null ? parameter : "body";
        }
        return String.join(".", names);
    }

    static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
