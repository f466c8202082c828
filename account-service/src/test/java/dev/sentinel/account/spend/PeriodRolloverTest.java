package dev.sentinel.account.spend;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.account.Parallel;
import dev.sentinel.account.TestClock;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A new calendar month (UTC) starts a new period: spent is zero and the notices may fire again. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class PeriodRolloverTest {

    @Inject
    TestClock clock;
    @Inject
    OutboxRows db;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void newMonthResetsSpentAndTheOncePerPeriodNotices() {
        String user = newUser();
        String token = userToken(user);
        clock.set(Instant.parse("2031-01-31T23:59:00Z"));
        as(token).body(charge(1000, key())).post("/v1/account/spend").then().statusCode(200)
                .body("resetsAt", equalTo("2031-02-01T00:00:00Z"));
        as(token).body(charge(1, key())).post("/v1/account/spend").then().statusCode(402)
                .body("resetsAt", equalTo("2031-02-01T00:00:00Z"));
        assertEquals(1, db.events(user, EventType.SPEND_THRESHOLD_CROSSED.wireName()));
        assertEquals(1, db.events(user, EventType.SPEND_CAP_REACHED.wireName()));

        clock.advance(Duration.ofSeconds(59));
        as(token).body(charge(1, key())).post("/v1/account/spend").then().statusCode(402);

        clock.advance(Duration.ofSeconds(1));
        as(token).get("/v1/account/limits").then().statusCode(200)
                .body("spentCents", equalTo(0))
                .body("remainingCents", equalTo(1000))
                .body("periodStart", equalTo("2031-02-01T00:00:00Z"))
                .body("periodEnd", equalTo("2031-03-01T00:00:00Z"));

        List<Parallel.Call> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(new Parallel.Call("/v1/account/spend", token,
                    "{\"amountCents\":25,\"idempotencyKey\":\"" + key() + "\"}"));
        }
        Parallel.post(calls);

        as(token).get("/v1/account/limits").then().body("spentCents", equalTo(1000));
        assertEquals(2, db.events(user, EventType.SPEND_THRESHOLD_CROSSED.wireName()), "once more in the new period");
        assertEquals(2, db.events(user, EventType.SPEND_CAP_REACHED.wireName()), "once more in the new period");
    }

    @Test
    void holdsCarryOverIntoTheNewPeriod() {
        String user = newUser();
        String token = userToken(user);
        clock.set(Instant.parse("2031-05-31T23:50:00Z"));
        as(token).body(charge(500, key())).post("/v1/account/spend").then().statusCode(200);
        String id = as(token).body(java.util.Map.of("amountCents", 300, "idempotencyKey", key(), "ttlSeconds", 3600))
                .post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().path("id");

        clock.set(Instant.parse("2031-06-01T00:01:00Z"));

        as(token).get("/v1/account/limits").then().body("spentCents", equalTo(0)).body("reservedCents", equalTo(300))
                .body("remainingCents", equalTo(700));
        as(token).body(java.util.Map.of("amountCents", 200)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(200).body("spentCents", equalTo(200)).body("reservedCents", equalTo(0));
    }
}
