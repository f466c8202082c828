package dev.sentinel.auth;

import dev.sentinel.auth.metrics.AuthMetrics;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.DependencyOutageContract;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth-service with its broker hanging (still ready and live within a second, the broker
 * reported down) and Redis cut (not ready, at once). Its profile boots an app of its own,
 * where nobody has signed in yet: the place to check that every domain series exists at 0
 * from the start (DESIGN §9).
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@TestProfile(DependencyOutageTest.Outages.class)
class DependencyOutageTest extends DependencyOutageContract {

    public static class Outages extends DependencyOutageContract.Profile {
    }

    @Test
    void everyDomainSeriesExistsAtZeroOnAFreshBoot() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (AuthMetrics.LoginOutcome outcome : AuthMetrics.LoginOutcome.values()) {
            assertZero(text, "sentinel_auth_logins_total", "outcome=\"" + outcome.label() + "\"");
        }
        for (AuthMetrics.Factor factor : AuthMetrics.Factor.values()) {
            assertZero(text, "sentinel_auth_lockouts_total", "factor=\"" + factor.label() + "\"");
        }
        assertZero(text, "sentinel_auth_mfa_failures_total", "");
        assertZero(text, "sentinel_auth_refresh_reuse_total", "");
        assertZero(text, "sentinel_auth_hashing_rejected_total", "");
        assertZero(text, "sentinel_auth_hashing_queue_depth", "");
        assertEquals(1, PrometheusText.series(text, "sentinel_auth_hashing_active", ""));
        assertEquals(1, PrometheusText.series(text, "sentinel_auth_hashing_queue_capacity", ""));
        assertTrue(PrometheusText.sum(text, "sentinel_auth_hashing_queue_capacity", "") > 0);
    }

    private static void assertZero(String text, String name, String labels) {
        assertEquals(1, PrometheusText.series(text, name, labels), name + "{" + labels + "} is exported once");
        assertEquals(0.0, PrometheusText.sum(text, name, labels), 0.0, name + "{" + labels + "}");
    }
}
