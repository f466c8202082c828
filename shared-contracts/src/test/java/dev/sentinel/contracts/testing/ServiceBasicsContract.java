package dev.sentinel.contracts.testing;

import dev.sentinel.contracts.web.CompletesOnHangUp;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every Sentinel service must show at its HTTP edge, run by a {@code @QuarkusTest}
 * subclass in each service against the real PostgreSQL, Redis and Kafka: it is ready, it
 * exports metrics, it answers unknown paths with a problem, it keeps request ids and sets
 * the security headers; even requests refused before routing (too long, too large, not
 * HTTP) get a problem; and every resource finishes its work when the client hangs up.
 */
public abstract class ServiceBasicsContract {

    @Test
    void readyWhenDatabaseAndRedisAnswerWithTheBrokerReportedBeside() {
        // Readiness is what a request needs; the broker is a reported dependency (issue 13).
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")))
                .body("checks.find { it.name == 'Dependencies needed to serve' }.data.postgresql", equalTo("UP"))
                .body("checks.find { it.name == 'Dependencies needed to serve' }.data.redis", equalTo("UP"))
                .body("checks.find { it.name == 'Dependencies needed to serve' }.data.kafka", nullValue());
        given().when().get("/q/health/group/dependencies")
                .then().statusCode(200)
                .body("checks.find { it.name == 'Dependencies' }.data.kafka", equalTo("UP"))
                .body("checks.find { it.name == 'Dependencies' }.data.postgresql", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1.0, PrometheusText.sum(metrics, "sentinel_dependency_up", "dependency=\"kafka\""), 0.0);
        assertEquals(1.0, PrometheusText.sum(metrics, "sentinel_dependency_up", "dependency=\"postgresql\""), 0.0);
    }

    @Test
    void exportsPrometheusMetrics() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("# TYPE http_server_requests_seconds"))
                .body(containsString("sentinel_outbox_backlog"));
    }

    @Test
    void unknownPathIsAProblemWithTraceId() {
        given().accept(ContentType.JSON)
                .when().get("/v1/no-such-thing/" + System.nanoTime())
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("code", equalTo("SYS_NOT_FOUND"))
                .body("title", notNullValue())
                .body("traceId", matchesPattern("[0-9a-zA-Z-]{16,}"))
                .body(not(containsString("Exception")));
    }

    @Test
    void unknownPathAnswersInArabicWhenAsked() {
        given().header("Accept-Language", "ar-EG,ar;q=0.9")
                .when().get("/v1/missing")
                .then().statusCode(404)
                .body("title", equalTo("المورد غير موجود."));
    }

    @Test
    void requestIdIsEchoedOrMade() {
        given().header("X-Request-Id", "test-req-1").when().get("/q/health/live")
                .then().header("X-Request-Id", "test-req-1");
        given().header("X-Request-Id", "bad id\twith spaces").when().get("/q/health/live")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().when().get("/v1/missing")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void securityHeadersOnEveryAnswer() {
        given().when().get("/v1/missing")
                .then()
                .header("Strict-Transport-Security", containsString("max-age="))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", containsString("default-src 'none'"));
    }

    @Test
    void bearerTokensAreVerifiedOffTheEventLoop() {
        // A cache miss costs an ES256 verification and may fetch the JWKS over HTTP: never on
        // an event loop (smallrye-jwt verifies on the I/O thread unless told otherwise).
        assertTrue(ConfigProvider.getConfig()
                .getOptionalValue("quarkus.smallrye-jwt.blocking-authentication", Boolean.class).orElse(false),
                "quarkus.smallrye-jwt.blocking-authentication must be true");
    }

    @Test
    void everyResourceCompletesItsWorkWhenTheClientHangsUp() {
        // A resource without it lets a vanished client cut a transaction off mid-query
        // (CompletesOnHangUp). No global binding exists without an extension, so every
        // JAX-RS resource class of the service carries the annotation, and this checks it.
        BeanManager beans = CDI.current().getBeanManager();
        List<Class<?>> resources = beans.getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(Bean::getBeanClass).filter(type -> type.isAnnotationPresent(Path.class))
                .filter(type -> !isRestClient(type)).distinct().toList();
        assertFalse(resources.isEmpty(), "no JAX-RS resource beans found");
        assertEquals(List.of(), resources.stream().filter(type -> !type.isAnnotationPresent(CompletesOnHangUp.class))
                .map(Class::getName).sorted().toList(), "resource classes without @CompletesOnHangUp");
    }

    /**
     * A MicroProfile REST client's generated bean (e.g. admin-audit's client of auth-service)
     * copies its interface's {@code @Path} but serves nothing: it calls out.
     */
    private static boolean isRestClient(Class<?> type) {
        for (Class<?> api : type.getInterfaces()) {
            for (java.lang.annotation.Annotation annotation : api.getAnnotations()) {
                if (annotation.annotationType().getName().equals("org.eclipse.microprofile.rest.client.inject.RegisterRestClient")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void openApiIsPublished() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("openapi", matchesPattern("3\\..*"));
    }

    /**
     * The document describes every answer fully (issue 14): a 2xx with a body has its schema, every
     * answer names the {@code X-Request-Id} HttpEdge sends, every status whose codes can carry a
     * {@code Retry-After} (429, 503, 423) names it, and every problem answer has an example.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyAnswerHasItsSchemaItsHeadersAndProblemsAnExample() {
        Map<String, Object> document = given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("$");
        Map<String, Object> headers = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("headers");
        assertTrue(headers.containsKey("X-Request-Id") && headers.containsKey("Retry-After"), String.valueOf(headers));
        List<String> missing = new ArrayList<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.forEach((method, value) -> {
            if (!(value instanceof Map<?, ?> operation) || !operation.containsKey("responses")) {
                return;
            }
            ((Map<String, Object>) operation.get("responses")).forEach((status, value2) -> {
                String where = method.toUpperCase(Locale.ROOT) + " " + path + " " + status;
                if (!(value2 instanceof Map<?, ?>)) {
                    missing.add(where + ": not a response (an extension left on the responses object)");
                    return;
                }
                Map<String, Object> response = (Map<String, Object>) value2;
                Map<String, Object> named = (Map<String, Object>) response.getOrDefault("headers", Map.of());
                if (!named.containsKey("X-Request-Id")) {
                    missing.add(where + ": no X-Request-Id");
                }
                Map<String, Map<String, Object>> content = (Map<String, Map<String, Object>>) response.get("content");
                if (List.of("429", "503", "423").contains(status) && content != null && content.containsKey("application/problem+json")
                        && !named.containsKey("Retry-After")) {
                    missing.add(where + ": no Retry-After");
                }
                if (content == null) {
                    return;
                }
                content.forEach((type, media) -> {
                    if (status.startsWith("2") && media.get("schema") == null) {
                        missing.add(where + " " + type + ": no schema");
                    }
                    if (type.equals("application/problem+json") && !(media.get("example") instanceof Map<?, ?> example
                            && example.get("code") != null)) {
                        missing.add(where + ": a problem without an example");
                    }
                });
            });
        }));
        assertEquals(List.of(), missing);
    }

    @Test
    void anOverlongRequestLineIsAProblem() throws IOException {
        String query = "q=" + "a".repeat(20 * 1024);
        assertRefusedBeforeRouting(RawHttp.send(RestAssured.port,
                "GET /v1/missing?" + query + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, "VAL_URI_TOO_LONG");
    }

    @Test
    void oversizedHeadersAreAProblem() throws IOException {
        assertRefusedBeforeRouting(RawHttp.send(RestAssured.port,
                "GET /v1/missing HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(40 * 1024) + "\r\n\r\n"),
                431, "VAL_HEADERS_TOO_LARGE");
    }

    @Test
    void aRequestThatIsNotHttpIsAProblem() throws IOException {
        assertRefusedBeforeRouting(RawHttp.send(RestAssured.port, "HELLO THERE FROM NOWHERE\r\n\r\n"),
                400, "VAL_MALFORMED_REQUEST");
    }

    private static void assertRefusedBeforeRouting(RawHttp.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.raw());
        assertThat(answer.headers().get("content-type"), containsString("application/problem+json"));
        JsonPath problem = JsonPath.from(answer.body());
        assertEquals(status, problem.getInt("status"));
        assertEquals(code, problem.getString("code"));
        assertThat(problem.getString("title"), notNullValue());
        assertThat(problem.getString("traceId"), matchesPattern("[0-9a-zA-Z-]{16,}"));
        assertTrue(answer.closed(), "the server keeps the connection open after " + status);
    }

    @Test
    void requestLatencyIsAHistogramWithTheSloBuckets() {
        given().accept(ContentType.JSON).when().get("/v1/no-such-thing/latency").then().statusCode(404);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (long boundMs : dev.sentinel.contracts.metrics.LatencyBuckets.BOUNDS_MS) {
            String le = "le=\"" + (boundMs / 1000.0) + "\"";
            boolean found = metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_bucket{")
                    && line.contains("status=\"404\"") && line.contains(le));
            assertTrue(found, "no http_server_requests_seconds_bucket with " + le + " for the 404 in:\n"
                    + metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds")).toList());
        }
    }
}
