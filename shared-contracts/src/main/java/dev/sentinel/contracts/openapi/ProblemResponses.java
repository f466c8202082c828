package dev.sentinel.contracts.openapi;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.Problem;
import dev.sentinel.contracts.problem.ProblemMessages;
import dev.sentinel.contracts.web.RequestIds;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Makes every service's OpenAPI document say what the service really answers when it
 * refuses: an RFC 9457 problem ({@code application/problem+json}) for each error status an
 * operation can give, with {@code code} narrowed to the codes of that status. The codes
 * come from three places:
 * <ul>
 * <li>every operation: {@code SYS_UNAVAILABLE} (a dependency is down, 503),
 * {@code SYS_INTERNAL} (500: a defect or a failed commit, still a problem) and
 * {@code VAL_NOT_ACCEPTABLE} (406: an Accept header it cannot answer);</li>
 * <li>by shape: an operation with a body or parameters can be refused as invalid input
 * (400, and 413/415 for a body; 404 for a path value that names nothing or does not convert);
 * one that needs a token, as unauthenticated (401) or forbidden (403);</li>
 * <li>what only the operation knows, named on the resource method with
 * {@code @Extension(name = "x-sentinel-errors", value = "AUTH_ACCOUNT_LOCKED SYS_RATE_LIMITED")}
 * (an unknown name fails the build).</li>
 * </ul>
 * A status the method declares itself with content (the OAuth token endpoint's RFC 6749
 * errors) is left as declared. Operations that need no token get {@code security: []}, so
 * a reader (and a linter) knows they are public on purpose. Requests refused before routing
 * (414, 431) are described once, in the document's description. Members a schema does not
 * require are nullable. See docs/api/README.md.
 */
public class ProblemResponses implements OASFilter {

    /** The extension a resource method uses to name the codes only it can answer. */
    public static final String ERRORS = "x-sentinel-errors";

    private static final String COMPONENT = "#/components/schemas/";
    static final String REQUEST_ID = RequestIds.HEADER;
    static final String RETRY_AFTER = "Retry-After";
    /** The codes whose problem carries {@code Retry-After} (ProblemException#retryLater). */
    static final Set<ErrorCode> RETRY_LATER = EnumSet.of(ErrorCode.SYS_RATE_LIMITED, ErrorCode.SYS_BUSY,
            ErrorCode.SYS_UNAVAILABLE, ErrorCode.AUTH_ACCOUNT_LOCKED, ErrorCode.AUTH_MFA_LOCKED);
    private static final Set<ErrorCode> INPUT = EnumSet.of(ErrorCode.VAL_INVALID_FIELDS, ErrorCode.VAL_INVALID_TYPE);
    private static final Set<ErrorCode> BODY = EnumSet.of(ErrorCode.VAL_MALFORMED_BODY, ErrorCode.VAL_INVALID_FIELDS,
            ErrorCode.VAL_INVALID_TYPE, ErrorCode.VAL_BODY_TOO_LARGE, ErrorCode.VAL_UNSUPPORTED_MEDIA_TYPE);
    private static final Set<ErrorCode> TOKEN = EnumSet.of(ErrorCode.AUTH_UNAUTHENTICATED, ErrorCode.AUTH_SESSION_REVOKED,
            ErrorCode.AUTH_FORBIDDEN);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        if (components.getSchemas() != null) {
            Set<String> referenced = new java.util.TreeSet<>();
            components.getSchemas().values().forEach(schema -> optionalMeansNullable(schema, referenced));
            // An optional member that is a $ref: the named schema admits null (OpenAPI puts no
            // siblings beside a $ref that validators all read the same way).
            referenced.forEach(name -> {
                Schema target = components.getSchemas().get(name);
                if (target != null && target.getType() != null && !target.getType().isEmpty()
                        && !target.getType().contains(Schema.SchemaType.NULL)) {
                    target.addType(Schema.SchemaType.NULL);
                }
            });
        }
        if (openAPI.getInfo() != null && openAPI.getInfo().getLicense() != null) {
            // OpenAPI 3.1's SPDX identifier, which Quarkus has no property for.
            ConfigProvider.getConfig().getOptionalValue("sentinel.openapi.license-identifier", String.class)
                    .ifPresent(openAPI.getInfo().getLicense()::setIdentifier);
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        components.addHeader(REQUEST_ID, OASFactory.createHeader().description("The request's id: the caller's own when it"
                + " is short and made of safe characters, else one we made; in every log line of the request")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(128)));
        components.addHeader(RETRY_AFTER, OASFactory.createHeader().description("Seconds to wait before trying again"
                + " (RFC 9110 §10.2.3); sent when the wait is known")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(java.math.BigDecimal.ONE)));
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                describe(operation);
                operation.getResponses().getAPIResponses().values().forEach(response -> response.addHeader(REQUEST_ID,
                        OASFactory.createHeader().ref("#/components/headers/" + REQUEST_ID)));
            }
        }
    }

    private static void describe(Operation operation) {
        // Any operation refuses an Accept it cannot answer (406), before it runs.
        Set<ErrorCode> codes = EnumSet.of(ErrorCode.SYS_UNAVAILABLE, ErrorCode.SYS_INTERNAL, ErrorCode.VAL_NOT_ACCEPTABLE);
        codes.addAll(named(operation));
        if (operation.getRequestBody() != null) {
            codes.addAll(BODY);
        }
        if (operation.getParameters() != null && !operation.getParameters().isEmpty()) {
            codes.addAll(INPUT);
            if (operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.PATH
                    || p.getIn() == Parameter.In.QUERY)) {
                // A path value that names nothing or is not even an id. A query value that does not
                // convert is a 400 VAL_INVALID_TYPE (ProblemExceptionMappers#notFound); query-only
                // operations keep the 404 until each says whether a value can name nothing.
                codes.add(ErrorCode.SYS_NOT_FOUND);
            }
        }
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            codes.addAll(TOKEN);
        } else {
            operation.setSecurity(new ArrayList<>()); // public on purpose: security: []
        }
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        operation.setResponses(responses);
        Map<Integer, List<ErrorCode>> byStatus = codes.stream()
                .collect(Collectors.groupingBy(ErrorCode::status, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, ofStatus) -> {
            APIResponse declared = responses.getAPIResponse(String.valueOf(status));
            if (declared == null || declared.getContent() == null) { // what a method declares itself wins
                responses.addAPIResponse(String.valueOf(status), problem(ofStatus));
            }
        });
    }

    /**
     * Our answers are Java records written with their nulls: a member the schema does not
     * list as required may be null (an audit row without an ip, a reservation not yet
     * committed), so it says so ({@code type: [t, "null"]}). A member that is always there is
     * marked required where it is declared.
     */
    private static void optionalMeansNullable(Schema schema, Set<String> referenced) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        schema.getProperties().forEach((name, property) -> {
            List<Schema.SchemaType> types = property.getType();
            if (!required.contains(name)) {
                if (types != null && !types.isEmpty() && !types.contains(Schema.SchemaType.NULL)) {
                    property.addType(Schema.SchemaType.NULL);
                } else if (property.getRef() != null && property.getRef().startsWith(COMPONENT)) {
                    referenced.add(property.getRef().substring(COMPONENT.length()));
                }
            }
            optionalMeansNullable(property, referenced);
            optionalMeansNullable(property.getItems(), referenced);
        });
    }

    private static Set<ErrorCode> named(Operation operation) {
        Object value = operation.getExtensions() == null ? null : operation.getExtensions().get(ERRORS);
        operation.removeExtension(ERRORS);
        APIResponses responses = operation.getResponses();
        if (responses != null && responses.getExtensions() != null && responses.getExtensions().get(ERRORS) != null) {
            // Beside an @APIResponse, SmallRye puts the method's extension on the responses object.
            Object onResponses = responses.getExtensions().get(ERRORS);
            value = value == null ? onResponses : value + " " + onResponses;
            responses.removeExtension(ERRORS);
        }
        if (value == null) {
            return Set.of();
        }
        Set<ErrorCode> codes = EnumSet.noneOf(ErrorCode.class);
        for (String name : value.toString().split("[,\\s]+")) {
            if (!name.isEmpty()) {
                try {
                    codes.add(ErrorCode.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(ERRORS + " on " + operation.getOperationId()
                            + " names " + name + ", which is not an ErrorCode", e);
                }
            }
        }
        return codes;
    }

    private static APIResponse problem(List<ErrorCode> codes) {
        // The whole Problem schema with `code` narrowed, rather than allOf [$ref, narrowing]:
        // validators that close objects (additionalProperties) read it the same way readers do.
        Schema schema = problemSchema().description("An RFC 9457 problem with one of this status's codes.")
                .addProperty("code", codeSchema(codes));
        String description = codes.stream()
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining("; ", "Refused (problem+json): ", ""));
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(schema).example(example(codes.get(0)))));
        if (codes.stream().anyMatch(RETRY_LATER::contains)) {
            response.addHeader(RETRY_AFTER, OASFactory.createHeader().ref("#/components/headers/" + RETRY_AFTER));
        }
        return response;
    }

    /** What a problem of {@code code} looks like (English; the trace id made up). */
    static Map<String, Object> example(ErrorCode code) {
        Map<String, Object> example = new java.util.LinkedHashMap<>();
        example.put("type", code.typeUri());
        example.put("title", ProblemMessages.title(code, Locale.ROOT));
        example.put("status", code.status());
        example.put("code", code.name());
        example.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        if (code == ErrorCode.VAL_INVALID_FIELDS || code == ErrorCode.VAL_INVALID_TYPE) {
            // Ordered, as every map of the example: the document must come out the same each boot.
            Map<String, Object> error = new java.util.LinkedHashMap<>();
            error.put("field", "email");
            error.put("message", code == ErrorCode.VAL_INVALID_TYPE ? "has the wrong type or shape" : "must not be blank");
            example.put("errors", List.of(error));
        }
        return example;
    }

    private static Schema codeSchema(Collection<ErrorCode> codes) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .enumeration(codes.stream().map(c -> (Object) c.name()).toList());
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("message", string)
                .required(List.of("field", "message"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem. Clients switch on `code`, never on the text.")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri"))
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32"))
                .addProperty("detail", string)
                .addProperty("code", codeSchema(EnumSet.allOf(ErrorCode.class)))
                .addProperty("traceId", string)
                .addProperty("instance", string)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .required(List.of("type", "title", "status", "code"))
                .additionalPropertiesBoolean(Boolean.TRUE);
    }
}
