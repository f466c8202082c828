package dev.sentinel.contracts.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: with the broker away, a service stays ready and live, answering within a second,
 * and reports the broker down in {@code /q/health/group/dependencies} and
 * {@code sentinel_dependency_up{dependency="kafka"}}. A {@code @QuarkusTest} subclass in each
 * service runs it under {@link Profile}, which points the service's Kafka clients at a
 * {@link FaultProxy} that accepts connections and never answers (the worst case: nothing is
 * refused, everything waits) — the shared broker keeps running for everyone else.
 */
public abstract class KafkaAwayContract {

    private static final long ANSWER_WITHIN_MS = 1000;

    /** The test profile of a subclass: extend it (a profile must be a class of the test's own). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BrokerAway.class));
        }
    }

    /** Starts the black hole and points {@code kafka.bootstrap.servers} at it. */
    public static class BrokerAway implements QuarkusTestResourceLifecycleManager {
        private FaultProxy proxy;

        @Override
        public Map<String, String> start() {
            String[] kafka = LocalInfra.KAFKA.split(":");
            proxy = FaultProxy.start(kafka[0], Integer.parseInt(kafka[1]), FaultProxy.Mode.BLACK_HOLE);
            return Map.of("kafka.bootstrap.servers", proxy.address());
        }

        @Override
        public void stop() {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    /**
     * One untimed round first: the first request after a boot pays for class loading and JIT
     * (over a second on a busy 2-core machine), which is not what the timing is about.
     */
    @BeforeEach
    void warmUp() {
        for (String path : List.of("/q/health/live", "/q/health/ready", "/q/health/group/dependencies")) {
            given().when().get(path).andReturn();
        }
    }

    @Test
    void readyAndLiveAnswerAtOnceWhileTheBrokerHangs() {
        // Several rounds, so the background probes and the clients' own attempts are all under way.
        for (int i = 0; i < 5; i++) {
            Response ready = timed("/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.asString());
            assertEquals("UP", ready.<String>path("status"), ready.asString());
            Response live = timed("/q/health/live");
            assertEquals(200, live.statusCode(), live.asString());
            sleep(Duration.ofMillis(300));
        }
    }

    @Test
    void theBrokerIsReportedDownInTheDependenciesGroupAndMetric() {
        Response group = timed("/q/health/group/dependencies");
        assertEquals(503, group.statusCode(), group.asString());
        assertEquals("DOWN", group.<String>path("checks[0].data.kafka"), group.asString());
        assertEquals("UP", group.<String>path("checks[0].data.postgresql"), group.asString());
        assertEquals("UP", group.<String>path("checks[0].data.redis"), group.asString());

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(0.0, PrometheusText.sum(metrics, "sentinel_dependency_up", "dependency=\"kafka\""), 0.0);
        assertEquals(1.0, PrometheusText.sum(metrics, "sentinel_dependency_up", "dependency=\"postgresql\""), 0.0);
        assertEquals(1.0, PrometheusText.sum(metrics, "sentinel_dependency_up", "dependency=\"redis\""), 0.0);
    }

    private static Response timed(String path) {
        long started = System.nanoTime();
        Response response = given().when().get(path).andReturn();
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < ANSWER_WITHIN_MS, path + " took " + ms + " ms");
        return response;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
