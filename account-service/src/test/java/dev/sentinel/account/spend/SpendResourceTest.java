package dev.sentinel.account.spend;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.account.TestClock;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.reserve;
import static dev.sentinel.account.Api.token;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charges, holds, commits and releases over HTTP, with their unhappy paths and who may do what. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class SpendResourceTest {

    @Inject
    TestClock clock;
    @Inject
    OutboxRows db;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void chargeReturnsNewTotals() {
        String user = newUser();
        as(userToken(user)).body(charge(250, key())).post("/v1/account/spend")
                .then().statusCode(200)
                .body("id", notNullValue())
                .body("amountCents", equalTo(250))
                .body("monthlyCapCents", equalTo(1000))
                .body("spentCents", equalTo(250))
                .body("reservedCents", equalTo(0))
                .body("remainingCents", equalTo(750))
                .body("resetsAt", notNullValue());
        as(userToken(user)).get("/v1/account/limits").then().statusCode(200).body("spentCents", equalTo(250));
    }

    @Test
    void chargePastTheCapIs402WithTheTotalsAndNoPartialCharge() {
        String user = newUser();
        as(userToken(user)).body(charge(990, key())).post("/v1/account/spend").then().statusCode(200);

        ExtractableResponse<Response> refused = as(userToken(user)).body(charge(11, key())).post("/v1/account/spend")
                .then().statusCode(402)
                .contentType("application/problem+json")
                .body("code", equalTo("BIZ_SPEND_CAP_REACHED"))
                .body("limitCents", equalTo(1000))
                .body("spentCents", equalTo(990))
                .body("reservedCents", equalTo(0))
                .body("remainingCents", equalTo(10))
                .body("resetsAt", notNullValue())
                .extract();
        assertEquals(null, refused.header("Retry-After"), "a 402 is not a rate limit: no Retry-After");

        as(userToken(user)).body(charge(10, key())).post("/v1/account/spend")
                .then().statusCode(200).body("spentCents", equalTo(1000)).body("remainingCents", equalTo(0));
        as(userToken(user)).body(charge(1, key())).post("/v1/account/spend").then().statusCode(402);
        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(1000));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("sentinel_account_spend_refused_total"));
    }

    @Test
    void sameKeyReplaysTheFirstDecisionAndChargesOnce() {
        String user = newUser();
        String key = key();
        String first = as(userToken(user)).body(charge(100, key)).post("/v1/account/spend")
                .then().statusCode(200).extract().asString();
        as(userToken(user)).body(charge(300, key())).post("/v1/account/spend").then().statusCode(200);

        String again = as(userToken(user)).body(charge(100, key)).post("/v1/account/spend")
                .then().statusCode(200).extract().asString();

        assertEquals(first, again, "the replay is the first answer, byte for byte");
        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(400));
    }

    @Test
    void sameKeyReplaysA402EvenAfterTheCapIsRaised() {
        String user = newUser();
        String key = key();
        as(userToken(user)).body(Map.of("monthlyCapCents", 100)).post("/v1/account/limits").then().statusCode(200);
        as(userToken(user)).body(charge(150, key)).post("/v1/account/spend").then().statusCode(402)
                .body("limitCents", equalTo(100));
        as(userToken(user)).body(Map.of("monthlyCapCents", 1000)).post("/v1/account/limits").then().statusCode(200);

        as(userToken(user)).body(charge(150, key)).post("/v1/account/spend").then().statusCode(402)
                .body("code", equalTo("BIZ_SPEND_CAP_REACHED")).body("limitCents", equalTo(100));
        as(userToken(user)).body(charge(150, key())).post("/v1/account/spend").then().statusCode(200);
    }

    @Test
    void sameKeyWithAnotherAmountOrOperationIs422() {
        String user = newUser();
        String key = key();
        as(userToken(user)).body(charge(100, key)).post("/v1/account/spend").then().statusCode(200);

        as(userToken(user)).body(charge(101, key)).post("/v1/account/spend")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("BIZ_IDEMPOTENCY_KEY_REUSED"));
        as(userToken(user)).body(reserve(100, key)).post("/v1/account/spend/reservations")
                .then().statusCode(422).body("code", equalTo("BIZ_IDEMPOTENCY_KEY_REUSED"));
        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(100)).body("reservedCents", equalTo(0));
    }

    @Test
    void keysBelongToTheirAccount() {
        String key = key();
        String a = newUser();
        String b = newUser();
        as(userToken(a)).body(charge(100, key)).post("/v1/account/spend").then().statusCode(200);
        as(userToken(b)).body(charge(300, key)).post("/v1/account/spend").then().statusCode(200).body("spentCents", equalTo(300));
    }

    @Test
    void reserveCommitChargesTheFinalAmountAndFreesTheRest() {
        String user = newUser();
        String id = as(userToken(user)).body(reserve(400, key())).post("/v1/account/spend/reservations")
                .then().statusCode(201)
                .body("status", equalTo("HELD"))
                .body("heldCents", equalTo(400))
                .body("reservedCents", equalTo(400))
                .body("remainingCents", equalTo(600))
                .body("expiresAt", notNullValue())
                .extract().path("id");
        as(userToken(user)).body(charge(601, key())).post("/v1/account/spend").then().statusCode(402)
                .body("reservedCents", equalTo(400));

        as(userToken(user)).body(Map.of("amountCents", 250)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(200)
                .body("status", equalTo("COMMITTED"))
                .body("committedCents", equalTo(250))
                .body("spentCents", equalTo(250))
                .body("reservedCents", equalTo(0))
                .body("remainingCents", equalTo(750));

        as(userToken(user)).body(Map.of("amountCents", 250)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(409).body("code", equalTo("BIZ_RESERVATION_CLOSED"));
        as(userToken(user)).post("/v1/account/spend/reservations/" + id + "/release")
                .then().statusCode(409).body("code", equalTo("BIZ_RESERVATION_CLOSED"));
    }

    @Test
    void releaseFreesTheWholeHold() {
        String user = newUser();
        String id = as(userToken(user)).body(reserve(700, key())).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().path("id");
        as(userToken(user)).post("/v1/account/spend/reservations/" + id + "/release")
                .then().statusCode(200).body("status", equalTo("RELEASED")).body("reservedCents", equalTo(0))
                .body("spentCents", equalTo(0)).body("committedCents", nullValue());
        as(userToken(user)).body(charge(1000, key())).post("/v1/account/spend").then().statusCode(200);
    }

    @Test
    void reservationPastTheCapIs402AndReplaysByKey() {
        String user = newUser();
        String key = key();
        as(userToken(user)).body(reserve(1001, key)).post("/v1/account/spend/reservations")
                .then().statusCode(402).body("code", equalTo("BIZ_SPEND_CAP_REACHED")).body("remainingCents", equalTo(1000));
        String created = as(userToken(user)).body(reserve(500, key())).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().asString();
        as(userToken(user)).body(reserve(1001, key)).post("/v1/account/spend/reservations").then().statusCode(402);
        assertTrue(created.contains("\"heldCents\":500"));
    }

    @Test
    void sameReservationKeyReplays201WithTheSameHold() {
        String user = newUser();
        String key = key();
        String first = as(userToken(user)).body(reserve(300, key)).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().asString();
        String again = as(userToken(user)).body(reserve(300, key)).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().asString();
        assertEquals(first, again);
        as(userToken(user)).get("/v1/account/limits").then().body("reservedCents", equalTo(300));
    }

    @Test
    void expiredHoldIsFreedOnReadAndCannotBeCommitted() {
        String user = newUser();
        String id = as(userToken(user)).body(Map.of("amountCents", 600, "idempotencyKey", key(), "ttlSeconds", 60))
                .post("/v1/account/spend/reservations").then().statusCode(201).extract().path("id");
        as(userToken(user)).get("/v1/account/limits").then().body("reservedCents", equalTo(600));

        clock.advance(Duration.ofSeconds(61));

        as(userToken(user)).get("/v1/account/limits").then().body("reservedCents", equalTo(0)).body("remainingCents", equalTo(1000));
        as(userToken(user)).body(Map.of("amountCents", 100)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("BIZ_RESERVATION_EXPIRED"));
        as(userToken(user)).post("/v1/account/spend/reservations/" + id + "/release")
                .then().statusCode(409).body("code", equalTo("BIZ_RESERVATION_EXPIRED"));
        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(0));
    }

    @Test
    void commitJustAfterExpiryIsRefusedEvenBeforeAnyRead() {
        String user = newUser();
        String id = as(userToken(user)).body(Map.of("amountCents", 600, "idempotencyKey", key(), "ttlSeconds", 30))
                .post("/v1/account/spend/reservations").then().statusCode(201).extract().path("id");
        clock.advance(Duration.ofSeconds(31));
        as(userToken(user)).body(Map.of("amountCents", 600)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(409).body("code", equalTo("BIZ_RESERVATION_EXPIRED"));
        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(0)).body("reservedCents", equalTo(0));
    }

    @Test
    void sweeperFreesExpiredHoldsOfIdleAccounts() throws InterruptedException {
        String user = newUser();
        as(userToken(user)).body(Map.of("amountCents", 800, "idempotencyKey", key(), "ttlSeconds", 10))
                .post("/v1/account/spend/reservations").then().statusCode(201);
        clock.advance(Duration.ofSeconds(11));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (db.count("select reserved_cents from account where user_id = $1", user) != 0) {
            assertTrue(System.nanoTime() < deadline, "the sweeper freed the hold within 20 s");
            Thread.sleep(200);
        }
        assertEquals(1, db.count("select count(*) from reservation where account_id = $1 and status = 'EXPIRED'", user));
    }

    @Test
    void commitAboveTheHoldIs422AndChangesNothing() {
        String user = newUser();
        String id = as(userToken(user)).body(reserve(300, key())).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().path("id");
        as(userToken(user)).body(Map.of("amountCents", 301)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("BIZ_COMMIT_EXCEEDS_HOLD"))
                .body("heldCents", equalTo(300));
        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(0)).body("reservedCents", equalTo(300));
        as(userToken(user)).body(Map.of("amountCents", 300)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(200).body("spentCents", equalTo(300));
    }

    @Test
    void unknownReservationIs404() {
        String token = userToken(newUser());
        as(token).body(Map.of("amountCents", 1)).post("/v1/account/spend/reservations/" + UUID.randomUUID() + "/commit")
                .then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("BIZ_RESERVATION_NOT_FOUND"));
        as(token).post("/v1/account/spend/reservations/" + UUID.randomUUID() + "/release")
                .then().statusCode(404).body("code", equalTo("BIZ_RESERVATION_NOT_FOUND"));
        as(token).post("/v1/account/spend/reservations/not-a-uuid/release")
                .then().statusCode(404).body("code", equalTo("BIZ_RESERVATION_NOT_FOUND"));
    }

    @Test
    void userCannotChargeReadOrTouchAnotherUsersAccount() {
        String a = newUser();
        String b = newUser();
        String holdOfA = as(userToken(a)).body(reserve(300, key())).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().path("id");

        as(userToken(b)).body(Map.of("amountCents", 100)).post("/v1/account/spend/reservations/" + holdOfA + "/commit")
                .then().statusCode(404).body("code", equalTo("BIZ_RESERVATION_NOT_FOUND"));
        as(userToken(b)).post("/v1/account/spend/reservations/" + holdOfA + "/release").then().statusCode(404);
        as(userToken(b)).body(charge(100, key())).post("/v1/admin/accounts/" + a + "/spend")
                .then().statusCode(403).body("code", equalTo("AUTH_FORBIDDEN"));
        as(userToken(b)).body(reserve(100, key())).post("/v1/admin/accounts/" + a + "/spend/reservations")
                .then().statusCode(403);
        as(userToken(b)).post("/v1/admin/accounts/" + a + "/spend/reservations/" + holdOfA + "/release")
                .then().statusCode(403);

        as(userToken(a)).get("/v1/account/limits").then().body("spentCents", equalTo(0)).body("reservedCents", equalTo(300));
    }

    @Test
    void serviceMayChargeAndReserveForAnyAccount() {
        String user = newUser();
        String service = token(Roles.SERVICE);
        as(service).body(charge(120, key())).post("/v1/admin/accounts/" + user + "/spend")
                .then().statusCode(200).body("spentCents", equalTo(120));
        String id = as(service).body(reserve(200, key())).post("/v1/admin/accounts/" + user + "/spend/reservations")
                .then().statusCode(201).extract().path("id");
        as(service).body(Map.of("amountCents", 80)).post("/v1/admin/accounts/" + user + "/spend/reservations/" + id + "/commit")
                .then().statusCode(200).body("spentCents", equalTo(200)).body("reservedCents", equalTo(0));
        String other = as(service).body(reserve(50, key())).post("/v1/admin/accounts/" + user + "/spend/reservations")
                .then().statusCode(201).extract().path("id");
        as(service).post("/v1/admin/accounts/" + user + "/spend/reservations/" + other + "/release")
                .then().statusCode(200).body("reservedCents", equalTo(0));

        as(userToken(user)).get("/v1/account/limits").then().body("spentCents", equalTo(200));
        // the service's reservation is scoped to the account it named
        as(service).post("/v1/admin/accounts/" + newUser() + "/spend/reservations/" + id + "/release")
                .then().statusCode(404);
        // a service token has no own account on the user paths
        as(service).body(charge(1, key())).post("/v1/account/spend").then().statusCode(403);
    }

    @Test
    void adminsMayNotChargeOnlyServicesMay() {
        String user = newUser();
        as(token(Roles.ADMIN)).body(charge(1, key())).post("/v1/admin/accounts/" + user + "/spend").then().statusCode(403);
        as(token(Roles.BILLING_ADMIN)).body(charge(1, key())).post("/v1/admin/accounts/" + user + "/spend").then().statusCode(403);
    }

    @Test
    void noTokenIs401() {
        given().contentType(ContentType.JSON).body(charge(1, key())).post("/v1/account/spend")
                .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("AUTH_UNAUTHENTICATED"));
        given().contentType(ContentType.JSON).body(reserve(1, key())).post("/v1/account/spend/reservations").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("amountCents", 1))
                .post("/v1/account/spend/reservations/" + UUID.randomUUID() + "/commit").then().statusCode(401);
        given().contentType(ContentType.JSON).body(charge(1, key())).post("/v1/admin/accounts/" + newUser() + "/spend")
                .then().statusCode(401);
    }

    @Test
    void badChargesAre400AndChargeNothing() {
        String user = newUser();
        String token = userToken(user);
        for (Object body : new Object[]{
                Map.of("amountCents", 0, "idempotencyKey", key()),
                Map.of("amountCents", -5, "idempotencyKey", key()),
                Map.of("idempotencyKey", key()),
                Map.of("amountCents", 10),
                Map.of("amountCents", 10, "idempotencyKey", ""),
                Map.of("amountCents", 10, "idempotencyKey", "has spaces in it"),
                Map.of("amountCents", 10, "idempotencyKey", "k".repeat(256)),
                Map.of("amountCents", 10, "idempotencyKey", key(), "description", "d".repeat(501))}) {
            as(token).body(body).post("/v1/account/spend")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        as(token).body(Map.of("amountCents", 1_000_001, "idempotencyKey", key())).post("/v1/account/spend")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"))
                .body("errors.field", hasItem("amountCents"));
        for (String body : new String[]{
                "{\"amountCents\": 1.5, \"idempotencyKey\": \"k1\"}",
                "{\"amountCents\": \"100\", \"idempotencyKey\": \"k2\"}",
                "{\"amountCents\": true, \"idempotencyKey\": \"k3\"}",
                "[1, 2]"}) {
            as(token).body(body).post("/v1/account/spend").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_TYPE"));
        }
        as(token).body("{\"amountCents\": 99999999999999999999999, \"idempotencyKey\": \"k4\"}")
                .post("/v1/account/spend").then().statusCode(400).contentType("application/problem+json");
        as(token).body("{\"amountCents\": 10, ").post("/v1/account/spend").then().statusCode(400)
                .body("code", equalTo("VAL_MALFORMED_BODY"));
        as(token).get("/v1/account/limits").then().body("spentCents", equalTo(0));
        assertEquals(0, db.count("select count(*) from spend_request where account_id = $1", user));
    }

    @Test
    void aNulInTheDescriptionOrKeyIs400NamingTheFieldAndWritesNothing() {
        // PostgreSQL stores no NUL in text: refused at the edge, not a 500 from the database.
        String user = newUser();
        String nul = "bad\u0000text";
        Map<String, String> pathsByToken = Map.of(userToken(user), "/v1/account/spend",
                token(Roles.SERVICE), "/v1/admin/accounts/" + user + "/spend");
        for (Map.Entry<String, String> caller : pathsByToken.entrySet()) {
            as(caller.getKey()).body(Map.of("amountCents", 10, "idempotencyKey", key(), "description", nul))
                    .post(caller.getValue())
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("VAL_INVALID_FIELDS"))
                    .body("traceId", notNullValue())
                    .body("errors.field", hasItem("description"));
        }
        as(userToken(user)).body(Map.of("amountCents", 10, "idempotencyKey", "k\u0000")).post("/v1/account/spend")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"))
                .body("errors.field", hasItem("idempotencyKey"));
        as(userToken(user)).body(Map.of("amountCents", 10, "idempotencyKey", "k\u0000"))
                .post("/v1/account/spend/reservations")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"))
                .body("errors.field", hasItem("idempotencyKey"));
        assertEquals(0, db.count("select count(*) from spend_request where account_id = $1", user));
        assertEquals(0, db.count("select count(*) from reservation where account_id = $1", user));
        assertEquals(0, db.count("select count(*) from outbox where message_key = $1", user));
        assertEquals(0, db.count("select count(*) from account where user_id = $1", user), "not even the account row");
    }

    @Test
    void badReservationsAndCommitsAre400() {
        String token = userToken(newUser());
        as(token).body(Map.of("amountCents", 10, "idempotencyKey", key(), "ttlSeconds", 0))
                .post("/v1/account/spend/reservations").then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(token).body(Map.of("amountCents", 10, "idempotencyKey", key(), "ttlSeconds", 86_401))
                .post("/v1/account/spend/reservations").then().statusCode(400).body("errors.field", hasItem("ttlSeconds"));
        as(token).body(Map.of("amountCents", 0, "idempotencyKey", key()))
                .post("/v1/account/spend/reservations").then().statusCode(400);
        String id = as(token).body(reserve(10, key())).post("/v1/account/spend/reservations")
                .then().statusCode(201).extract().path("id");
        as(token).body(Map.of("amountCents", 0)).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(token).body(Map.of()).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(token).post("/v1/account/spend/reservations/" + id + "/commit")
                .then().statusCode(400);
    }
}
