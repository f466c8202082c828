package dev.sentinel.account.spend;

import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** sentinel_account_spend_refused_total counts a 402 once its transaction committed, never a rolled-back one. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class RefusalCountTest {

    private static final String REFUSED = "sentinel_account_spend_refused_total";

    @Test
    void aRefusalWhoseTransactionRollsBackIsNotCounted() {
        String token = userToken(newUser());
        double before = refused();
        // Over the cap, so refused; but the refusal's record cannot be stored (PostgreSQL keeps no
        // NUL in text), so its transaction rolls back and no 402 is answered.
        as(token).body(Map.of("amountCents", 5000, "idempotencyKey", key(), "description", "bad\u0000text"))
                .post("/v1/account/spend").then().statusCode(not(402));
        assertEquals(before, refused(), "a refusal that never committed is not counted");

        as(token).body(Map.of("amountCents", 5000, "idempotencyKey", key())).post("/v1/account/spend")
                .then().statusCode(402);
        assertEquals(before + 1, refused(), "a committed refusal is");
    }

    @Test
    void aReplayedRefusalIsCountedOnce() {
        String token = userToken(newUser());
        String key = key();
        double before = refused();
        for (int i = 0; i < 3; i++) {
            as(token).body(Map.of("amountCents", 5000, "idempotencyKey", key)).post("/v1/account/spend")
                    .then().statusCode(402);
        }
        assertEquals(before + 1, refused());
    }

    private static double refused() {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(), REFUSED, "");
    }
}
