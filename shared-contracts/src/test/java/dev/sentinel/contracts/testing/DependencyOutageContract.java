package dev.sentinel.contracts.testing;

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
 * Issue 13: health that Kubernetes can use. A {@code @QuarkusTest} subclass in each service
 * runs this under {@link Profile}, which points the service at test-owned {@link FaultProxy}s
 * instead of the shared servers (which keep running for everyone else):
 * <ul>
 * <li>Kafka through a proxy that accepts connections and never answers (the worst case:
 *     nothing is refused, everything waits) for the whole boot: the service stays ready and
 *     live, answering within a second, and reports the broker down in
 *     {@code /q/health/group/dependencies} and {@code sentinel_dependency_up{dependency="kafka"}};</li>
 * <li>Redis through a forwarding proxy the test black-holes and restores: readiness goes
 *     down (503, still within a second) while Redis hangs and comes back after.</li>
 * </ul>
 */
public abstract class DependencyOutageContract {

    private static final long ANSWER_WITHIN_MS = 1000;
    private static final String READY_CHECK = "checks.find { it.name == 'Dependencies needed to serve' }";

    /** The test profile of a subclass: extend it (a profile must be a class of the test's own). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", Proxies.kafka(),
                    "quarkus.redis.hosts", "redis://" + Proxies.redis());
        }
    }

    /**
     * The proxies, one of each a test JVM, started on first use and left to the JVM's exit
     * (their threads are daemons). The profile and the test may live in different class
     * loaders, so what they share goes through system properties: the address, and the mode
     * the proxy follows ({@link FaultProxy#controlledBy}).
     */
    public static final class Proxies {
        private static final String PREFIX = "sentinel.test.proxy.";

        private Proxies() {
        }

        public static String kafka() {
            return address("kafka", LocalInfra.KAFKA, FaultProxy.Mode.BLACK_HOLE);
        }

        public static String redis() {
            return address("redis", LocalInfra.REDIS, FaultProxy.Mode.FORWARD);
        }

        /** Switches the Redis proxy and waits until it did. */
        public static void redis(FaultProxy.Mode mode) {
            FaultProxy.switchTo(PREFIX + "redis.mode", mode);
        }

        /** The local SMTP server (GreenMail) behind a proxy, forwarding until switched. */
        public static String smtp() {
            return address("smtp", LocalInfra.SMTP, FaultProxy.Mode.FORWARD);
        }

        /** Switches the SMTP proxy and waits until it did. */
        public static void smtp(FaultProxy.Mode mode) {
            FaultProxy.switchTo(PREFIX + "smtp.mode", mode);
        }

        private static String address(String name, String target, FaultProxy.Mode mode) {
            synchronized (System.getProperties()) {
                String address = System.getProperty(PREFIX + name + ".address");
                if (address == null) {
                    String[] parts = target.split(":");
                    address = FaultProxy.start(parts[0], Integer.parseInt(parts[1]), mode)
                            .controlledBy(PREFIX + name + ".mode").address();
                    System.setProperty(PREFIX + name + ".address", address);
                }
                return address;
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

    @Test
    void readyGoesDownAtOnceWhileRedisHangsAndComesBackAfter() {
        Proxies.redis(FaultProxy.Mode.BLACK_HOLE);
        try {
            Response down = awaitReady(503, "DOWN");
            assertEquals("DOWN", down.<String>path("status"), down.asString());
            assertEquals(200, timed("/q/health/live").statusCode(), "liveness never depends on another server");
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertEquals(0.0, PrometheusText.sum(metrics, "sentinel_dependency_up", "dependency=\"redis\""), 0.0);
        } finally {
            Proxies.redis(FaultProxy.Mode.FORWARD);
        }
        awaitReady(200, "UP");
    }

    /** Polls readiness (each answer within the limit) until it has {@code status} with redis {@code redis}. */
    private static Response awaitReady(int status, String redis) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Response ready = timed("/q/health/ready");
            if (ready.statusCode() == status && redis.equals(ready.path(READY_CHECK + ".data.redis"))) {
                return ready;
            }
            assertTrue(System.nanoTime() < deadline,
                    "readiness never became " + status + " with redis " + redis + ": " + ready.asString());
            sleep(Duration.ofMillis(200));
        }
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
