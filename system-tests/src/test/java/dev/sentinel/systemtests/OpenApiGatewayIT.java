package dev.sentinel.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.systemtests.support.Gateway;
import dev.sentinel.systemtests.support.NodeTools;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's one API document and its Swagger UI page (docs/api/README.md, "The merged
 * document"): {@code deploy/gateway/openapi.json} is exactly what {@code openapi-merge.mjs} makes
 * of the four running services' live documents, it lints clean with Redocly's recommended
 * rules, the gateway serves it as {@code /openapi.json}, and Swagger UI at {@code /docs/},
 * rendered in headless Chromium, lists every one of its operations with no script, CSP or
 * network error, and its "Try it out" reaches the services through the gateway.
 */
@SystemTest
class OpenApiGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Test
    void theCommittedDocumentIsTheMergeOfTheLiveOnesAndLintsClean(Sentinel sentinel) throws Exception {
        Path dir = Path.of("target", "openapi-gateway").toAbsolutePath();
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of("node",
                sentinel.root().resolve("deploy/gateway/openapi-merge.mjs").toString(), dir.resolve("openapi.json").toString()));
        List<String> sources = new ArrayList<>();
        for (Service service : Service.values()) {
            String document = RestAssured.given().baseUri(sentinel.url(service)).accept("application/json")
                    .get("/q/openapi?format=json").then().statusCode(200).extract().asString();
            Path file = dir.resolve(service.module() + ".json");
            Files.writeString(file, document, StandardCharsets.UTF_8);
            sources.add(service.module().replace("-service", "") + "=" + file);
        }
        command.addAll(sources);
        Process merge = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("merge.out").toFile()).start();
        assertTrue(merge.waitFor(60, TimeUnit.SECONDS), "openapi-merge.mjs did not finish in 60 s");
        assertEquals(0, merge.exitValue(), "openapi-merge.mjs failed: " + Files.readString(dir.resolve("merge.out")));

        Path committed = sentinel.root().resolve("deploy/gateway/openapi.json");
        assertEquals(Files.readString(committed), Files.readString(dir.resolve("openapi.json")),
                committed + " is not what the running services document (merged: " + dir.resolve("openapi.json")
                        + "). Refresh it: node deploy/gateway/openapi-merge.mjs deploy/gateway/openapi.json "
                        + String.join(" ", sources));

        Path report = dir.resolve("openapi.lint.json");
        Process lint = new ProcessBuilder(NodeTools.redocly(sentinel.root()).toString(), "lint", committed.toString(),
                "--config", sentinel.root().resolve("docs/api/redocly.yaml").toString(),
                "--format", "json", "--max-problems", "1000")
                .redirectOutput(report.toFile()).redirectError(dir.resolve("openapi.lint.err").toFile()).start();
        assertTrue(lint.waitFor(120, TimeUnit.SECONDS), "redocly lint did not finish in 120 s");
        List<String> problems = new ArrayList<>();
        for (JsonNode problem : JSON.readTree(Files.readString(report)).path("problems")) {
            problems.add(problem.path("severity").asText() + " " + problem.path("ruleId").asText() + " at "
                    + problem.path("location").path(0).path("pointer").asText() + ": " + problem.path("message").asText());
        }
        assertEquals(List.of(), problems, "the merged document has lint findings");
        assertEquals(0, lint.exitValue(), "redocly lint failed; see " + report);
    }

    @Test
    void theGatewayServesTheMergedDocument(Sentinel sentinel) throws IOException {
        Gateway gateway = sentinel.gateway();
        Response served = RestAssured.given().baseUri(gateway.url()).get("/openapi.json")
                .then().statusCode(200).contentType("application/json")
                .header("Content-Security-Policy", equalTo("default-src 'none'; frame-ancestors 'none'"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .extract().response();
        assertEquals(committed(sentinel), JSON.readTree(served.asByteArray()));
        RestAssured.given().baseUri(gateway.url()).redirects().follow(false).get("/docs")
                .then().statusCode(301).header("Location", equalTo("/docs/"));
        RestAssured.given().baseUri(gateway.url()).get("/docs/")
                .then().statusCode(200).contentType("text/html").header("Content-Security-Policy", equalTo(DOCS_CSP));
        RestAssured.given().baseUri(gateway.url()).get("/docs/nothing.js")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("SYS_NOT_FOUND"));
    }

    @Test
    void swaggerUiListsEveryOperationInChromium(Sentinel sentinel) throws IOException {
        Gateway gateway = sentinel.gateway();
        JsonNode result = NodeTools.browser(sentinel.root(), Path.of("target", "e2e-logs", "browser-docs.log").toAbsolutePath(),
                Duration.ofSeconds(150), event -> null, "docs", gateway.url());

        assertEquals(200, result.path("status").asInt());
        assertEquals(DOCS_CSP, result.path("csp").asText());
        assertEquals("Sentinel API", result.path("title").asText().replaceAll("\\s*\\d+\\.\\d+\\.\\d+.*$", "").trim(),
                "the page's title: " + result.path("title").asText());
        assertEquals(List.of(), JSON.convertValue(result.path("problems"), List.class),
                "the page logged errors (script, CSP or network)");

        Set<String> expected = new TreeSet<>();
        committed(sentinel).path("paths").fields().forEachRemaining(path -> {
            for (String method : METHODS) {
                JsonNode operation = path.getValue().path(method);
                if (!operation.isMissingNode()) {
                    expected.add(method + " " + path.getKey() + " " + operation.path("operationId").asText());
                }
            }
        });
        Set<String> listed = new TreeSet<>();
        for (JsonNode operation : result.path("operations")) {
            listed.add(operation.path("method").asText() + " " + operation.path("path").asText() + " "
                    + operation.path("operationId").asText());
        }
        assertTrue(expected.size() > 50, "the merged document has only " + expected.size() + " operations");
        assertEquals(expected, listed, "Swagger UI does not list exactly the document's operations");
        // "Try it out" from the page reaches the services through the gateway: a GET, and a POST
        // with a body, which the services' CORS filter must see as same-origin.
        assertEquals(List.of(Map.of("operationId", "jwks", "status", 200), Map.of("operationId", "forgotPassword", "status", 202)),
                JSON.convertValue(result.path("tryItOut"), List.class), "Swagger UI's Try it out");
    }

    private static JsonNode committed(Sentinel sentinel) throws IOException {
        return JSON.readTree(sentinel.root().resolve("deploy/gateway/openapi.json").toFile());
    }
}
