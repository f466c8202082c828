package dev.sentinel.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import io.restassured.RestAssured;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each running service's live {@code /q/openapi} passes {@code redocly lint} with the
 * recommended rules (docs/api/redocly.yaml) with no error and no warning. Redocly CLI comes
 * from npm; {@code deploy/local/sentinel test} installs it into the state folder. The
 * documents are kept in {@code target/openapi/} for a reader.
 */
@SystemTest
class OpenApiLintIT {

    @ParameterizedTest
    @EnumSource(Service.class)
    void theLiveDocumentLintsClean(Service service, Sentinel sentinel) throws Exception {
        String document = RestAssured.given().baseUri(sentinel.url(service)).accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        Path file = Path.of("target", "openapi", service.module() + ".json").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, document, StandardCharsets.UTF_8);

        JsonNode spec = new ObjectMapper().readTree(document);
        assertTrue(spec.path("paths").size() > 0, service + " documents no path at all");

        Path redocly = redocly(sentinel.root());
        Path report = file.resolveSibling(service.module() + ".lint.json");
        Process lint = new ProcessBuilder(redocly.toString(), "lint", file.toString(),
                "--config", sentinel.root().resolve("docs/api/redocly.yaml").toString(),
                "--format", "json", "--max-problems", "1000")
                .redirectOutput(report.toFile()).redirectError(file.resolveSibling(service.module() + ".lint.err").toFile())
                .start();
        assertTrue(lint.waitFor(120, TimeUnit.SECONDS), "redocly lint did not finish in 120 s");

        JsonNode result = new ObjectMapper().readTree(Files.readString(report));
        List<String> problems = new ArrayList<>();
        for (JsonNode problem : result.path("problems")) {
            JsonNode location = problem.path("location").path(0).path("pointer");
            problems.add(problem.path("severity").asText() + " " + problem.path("ruleId").asText() + " at "
                    + location.asText() + ": " + problem.path("message").asText());
        }
        assertEquals(List.of(), problems, service + "'s OpenAPI (" + file + ") has lint findings");
        assertEquals(0, lint.exitValue(), "redocly lint failed; see " + report);
    }

    /** Redocly CLI as {@code sentinel test} installs it (deploy/local/lib/test.sh). */
    private static Path redocly(Path root) throws IOException {
        String state = System.getenv("SENTINEL_STATE_DIR");
        Path base = state == null || state.isBlank() ? root.resolve("deploy/local/.state") : Path.of(state);
        Path bin = base.resolve("node/redocly/node_modules/.bin/redocly");
        assertTrue(Files.isExecutable(bin), "Redocly CLI is not installed at " + bin
                + ": run deploy/local/sentinel test (it installs it from npm)");
        return bin;
    }
}
