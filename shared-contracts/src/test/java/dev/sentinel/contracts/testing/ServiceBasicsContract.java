package dev.sentinel.contracts.testing;

import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every Sentinel service must show at its HTTP edge, run by a {@code @QuarkusTest}
 * subclass in each service against the real PostgreSQL, Redis and Kafka: it is ready, it
 * exports metrics, it answers unknown paths with a problem, it keeps request ids and sets
 * the security headers.
 */
public abstract class ServiceBasicsContract {

    @Test
    void readyOnlyWhenDatabaseRedisAndKafkaAnswer() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.name", hasItem(containsString("Redis")))
                .body("checks.name", hasItem(containsString("Kafka")));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
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
    void openApiIsPublished() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("openapi", matchesPattern("3\\..*"));
    }
}
