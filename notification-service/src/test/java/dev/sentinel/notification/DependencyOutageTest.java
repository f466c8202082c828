package dev.sentinel.notification;

import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.DependencyOutageContract;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * notification-service with its broker hanging: still ready and live within a second (its
 * HTTP API serves; mail waits in the broker), the broker reported down; with Redis cut, not
 * ready, at once. Its profile boots an
 * app of its own, where nothing has been sent or failed yet: the place to check that the mail
 * counters exist at 0 from the start (DESIGN §9).
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@TestProfile(DependencyOutageTest.Outages.class)
class DependencyOutageTest extends DependencyOutageContract {

    public static class Outages extends DependencyOutageContract.Profile {
    }

    @Test
    void failedAndDeadLetteredCountersExistAtZeroOnAFreshBoot() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (EmailTemplate template : EmailTemplate.values()) {
            String label = "template=\"" + template.wireName() + "\"";
            for (String name : List.of("sentinel_mail_dead_lettered_total", "sentinel_mail_retried_total",
                    "sentinel_mail_sent_total", "sentinel_mail_suppressed_total")) {
                assertEquals(1, PrometheusText.series(text, name, label), name + "{" + label + "}");
                assertEquals(0.0, PrometheusText.sum(text, name, label), 0.0, name + "{" + label + "}");
            }
            assertEquals(2, PrometheusText.series(text, "sentinel_mail_failed_total", label), "transient and permanent");
            assertEquals(0.0, PrometheusText.sum(text, "sentinel_mail_failed_total", label), 0.0);
        }
    }
}
