package dev.sentinel.contracts.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every answer a rest-assured test receives is checked against the answering service's own
 * OpenAPI document (its live {@code /q/openapi}): a status, content type or body the
 * document does not describe fails the test, so the document cannot drift from the code.
 * Requests are not checked — tests send wrong input on purpose — and neither are paths the
 * document does not cover ({@code /q/*}, unknown paths). Installed once per test JVM by the
 * modules' test resources: {@link #install()}.
 */
public final class ApiContract implements Filter {

    private static final ApiContract INSTANCE = new ApiContract();
    private static final LevelResolver LEVELS = LevelResolver.create()
            .withLevel("validation.request", ValidationReport.Level.IGNORE)
            .withLevel("validation.response", ValidationReport.Level.ERROR)
            // OpenAPI's own rule: an object schema admits members it does not name (JSON data, extensions).
            .withLevel("validation.response.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
            .build();

    /** Media types answered as a stream of lines, possibly none. */
    private static final Set<String> STREAMED = Set.of("text/csv", "application/x-ndjson");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, OpenApiInteractionValidator> validators = new ConcurrentHashMap<>();
    // HTTP/1.1: the JDK client's default HTTP/2 tries an h2c upgrade on plain http, which once
    // failed the spec fetch with a frame error; the services are spoken to over HTTP/1.1 anyway.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ApiContract() {
    }

    /** Adds the check to every rest-assured request of this JVM (idempotent). */
    public static synchronized void install() {
        if (!RestAssured.filters().contains(INSTANCE)) {
            RestAssured.filters(INSTANCE);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        List<String> findings = INSTANCE.findings(uri.getScheme() + "://" + uri.getAuthority(), request.getMethod(),
                uri.getRawPath(), RestAssuredResponse.of(response));
        if (!findings.isEmpty()) {
            throw new AssertionError("The answer to " + request.getMethod() + " " + uri.getRawPath() + " ("
                    + response.statusCode() + " " + response.contentType()
                    + ") is not what the service's OpenAPI describes:\n" + String.join("\n", findings)
                    + "\n  body: " + abbreviate(response.asString()));
        }
        return response;
    }

    /**
     * What the OpenAPI document of the service at {@code origin} (e.g. {@code http://127.0.0.1:8080})
     * finds wrong with an answer to {@code method rawPath}, one line per finding; empty when the
     * document describes it (or the path is under {@code /q/}). For callers that send requests
     * their own way and gather findings instead of failing at the first (the spec fuzzer).
     */
    public static List<String> check(String origin, String method, String rawPath,
            com.atlassian.oai.validator.model.Response response) {
        return INSTANCE.findings(origin, method, rawPath, response);
    }

    private List<String> findings(String origin, String method, String path,
            com.atlassian.oai.validator.model.Response response) {
        if (path.startsWith("/q/")) {
            return List.of();
        }
        ValidationReport report = validators.computeIfAbsent(origin, this::load).validateResponse(path,
                Request.Method.valueOf(method.toUpperCase(java.util.Locale.ROOT)), response);
        boolean stream = STREAMED.contains(response.getContentType().orElse("").split(";")[0].trim());
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                // an export that matched nothing is an empty stream, which is a whole answer
                .filter(m -> !(stream && m.getKey().equals("validation.response.body.missing")))
                .map(m -> "  - " + m.getKey() + ": " + m.getMessage())
                .toList();
    }

    private OpenApiInteractionValidator load(String origin) {
        try {
            HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(origin + "/q/openapi?format=json"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                throw new AssertionError(origin + "/q/openapi answered " + document.statusCode());
            }
            return OpenApiInteractionValidator.createForInlineApiSpecification(asOpenApi30(document.body()))
                    .withLevelResolver(LEVELS).build();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + origin + "/q/openapi", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading " + origin + "/q/openapi", e);
        }
    }

    /**
     * The validator's JSON-schema engine checks types only in OpenAPI 3.0 documents (in a 3.1
     * one it let {@code {"name": 7}} pass for a string), so the 3.1 document is read as the
     * 3.0 it is equivalent to: what our documents use of 3.1 is a single {@code type} (kept),
     * {@code type: [t, "null"]} (becomes {@code nullable}), a schema's {@code examples} list (its
     * first becomes {@code example}) and the license identifier (dropped).
     */
    public static String asOpenApi30(String document) throws IOException {
        JsonNode root = JSON.readTree(document);
        ((ObjectNode) root).put("openapi", "3.0.3");
        JsonNode license = root.path("info").path("license");
        if (license instanceof ObjectNode object) {
            object.remove("identifier");
        }
        downgrade(root);
        return JSON.writeValueAsString(root);
    }

    private static void downgrade(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type instanceof ArrayNode types) {
                String single = null;
                boolean nullable = false;
                for (JsonNode t : types) {
                    if ("null".equals(t.asText())) {
                        nullable = true;
                    } else {
                        single = t.asText();
                    }
                }
                if (single != null) {
                    object.put("type", single);
                } else {
                    object.remove("type");
                }
                if (nullable) {
                    object.put("nullable", true);
                }
            }
            if (object.get("examples") instanceof ArrayNode examples) { // 3.1 schema examples: 3.0 has one
                object.remove("examples");
                if (!examples.isEmpty()) {
                    object.set("example", examples.get(0));
                }
            }
            object.elements().forEachRemaining(ApiContract::downgrade);
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(ApiContract::downgrade);
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 600 ? body : body.substring(0, 600) + "…";
    }
}
