package dev.sentinel.account.limits;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.token;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits over HTTP: totals of the current month, changes within the plan, isolation and roles. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class LimitsResourceTest {

    @Inject
    OutboxRows db;

    @Test
    void newAccountShowsDefaultsAndTheCurrentCalendarMonth() {
        ZonedDateTime monthStart = ZonedDateTime.now(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC);
        as(userToken(newUser())).get("/v1/account/limits")
                .then().statusCode(200)
                .body("monthlyCapCents", equalTo(1000))
                .body("maxMonthlyCapCents", equalTo(1000))
                .body("warnThresholdPercent", equalTo(80))
                .body("spentCents", equalTo(0))
                .body("reservedCents", equalTo(0))
                .body("remainingCents", equalTo(1000))
                .body("periodStart", equalTo(monthStart.toInstant().toString()))
                .body("periodEnd", equalTo(monthStart.plusMonths(1).toInstant().toString()));
    }

    @Test
    void capAndThresholdChangeWithinThePlanAndAreAnnounced() {
        String user = newUser();
        as(userToken(user)).body(Map.of("monthlyCapCents", 500, "warnThresholdPercent", 50)).post("/v1/account/limits")
                .then().statusCode(200)
                .body("monthlyCapCents", equalTo(500))
                .body("warnThresholdPercent", equalTo(50))
                .body("remainingCents", equalTo(500));
        as(userToken(user)).body(Map.of("warnThresholdPercent", 90)).post("/v1/account/limits")
                .then().statusCode(200).body("monthlyCapCents", equalTo(500)).body("warnThresholdPercent", equalTo(90));
        as(userToken(user)).body(charge(501, key())).post("/v1/account/spend").then().statusCode(402);

        assertEquals(2, db.events(user, EventType.LIMITS_CHANGED.wireName()));
        String event = db.payloads(user, EventType.LIMITS_CHANGED.wireName()).get(0);
        assertTrue(event.contains("\"previousMonthlyCapCents\": 1000") && event.contains("\"monthlyCapCents\": 500"), event);
        assertTrue(event.contains("\"actor\": \"" + user + "\""), event);
    }

    @Test
    void capAboveThePlanMaximumIs422() {
        String user = newUser();
        as(userToken(user)).body(Map.of("monthlyCapCents", 1001)).post("/v1/account/limits")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("BIZ_LIMIT_ABOVE_PLAN_MAXIMUM"))
                .body("maxMonthlyCapCents", equalTo(1000))
                .body("errors.field", hasItem("monthlyCapCents"));
        as(userToken(user)).get("/v1/account/limits").then().body("monthlyCapCents", equalTo(1000));
        assertEquals(0, db.events(user, EventType.LIMITS_CHANGED.wireName()));
    }

    @Test
    void loweringTheCapBelowWhatWasSpentStopsFurtherSpend() {
        String user = newUser();
        as(userToken(user)).body(charge(600, key())).post("/v1/account/spend").then().statusCode(200);
        as(userToken(user)).body(Map.of("monthlyCapCents", 400)).post("/v1/account/limits")
                .then().statusCode(200).body("spentCents", equalTo(600)).body("remainingCents", equalTo(0));
        as(userToken(user)).body(charge(1, key())).post("/v1/account/spend").then().statusCode(402)
                .body("remainingCents", equalTo(0));
    }

    @Test
    void badLimitsAre400() {
        String token = userToken(newUser());
        for (Object body : new Object[]{
                Map.of("monthlyCapCents", -1),
                Map.of("warnThresholdPercent", 0),
                Map.of("warnThresholdPercent", 101)}) {
            as(token).body(body).post("/v1/account/limits").then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        as(token).body("{\"monthlyCapCents\": \"lots\"}").post("/v1/account/limits").then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_TYPE"));
        as(token).body("{\"monthlyCapCents\": 10.5}").post("/v1/account/limits").then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_TYPE"));
        as(token).body("not json").post("/v1/account/limits").then().statusCode(400)
                .body("code", equalTo("VAL_MALFORMED_BODY"));
        as(token).get("/v1/account/limits").then().body("monthlyCapCents", equalTo(1000)).body("warnThresholdPercent", equalTo(80));
    }

    @Test
    void noTokenIs401() {
        given().get("/v1/account/limits").then().statusCode(401).body("code", equalTo("AUTH_UNAUTHENTICATED"));
        given().contentType(ContentType.JSON).body(Map.of("monthlyCapCents", 1)).post("/v1/account/limits").then().statusCode(401);
        given().get("/v1/admin/accounts/" + newUser() + "/limits").then().statusCode(401);
    }

    @Test
    void userSeesAndChangesOnlyTheirOwnLimits() {
        String a = newUser();
        String b = newUser();
        as(userToken(a)).body(charge(300, key())).post("/v1/account/spend").then().statusCode(200);
        as(userToken(a)).body(Map.of("monthlyCapCents", 700)).post("/v1/account/limits").then().statusCode(200);

        as(userToken(b)).get("/v1/account/limits").then().body("spentCents", equalTo(0)).body("monthlyCapCents", equalTo(1000));
        as(userToken(b)).get("/v1/admin/accounts/" + a + "/limits").then().statusCode(403);
        as(userToken(b)).body(Map.of("monthlyCapCents", 0)).post("/v1/admin/accounts/" + a + "/limits").then().statusCode(403);
        as(userToken(a)).get("/v1/account/limits").then().body("spentCents", equalTo(300)).body("monthlyCapCents", equalTo(700));
    }

    @Test
    void billingAdminReadsAndChangesAnyAccountsLimits() {
        String user = newUser();
        as(userToken(user)).body(charge(120, key())).post("/v1/account/spend").then().statusCode(200);
        String billing = token(Roles.BILLING_ADMIN);
        as(billing).get("/v1/admin/accounts/" + user + "/limits").then().statusCode(200).body("spentCents", equalTo(120));
        as(billing).body(Map.of("monthlyCapCents", 200)).post("/v1/admin/accounts/" + user + "/limits")
                .then().statusCode(200).body("remainingCents", equalTo(80));
        as(billing).body(Map.of("monthlyCapCents", 5000)).post("/v1/admin/accounts/" + user + "/limits")
                .then().statusCode(422).body("code", equalTo("BIZ_LIMIT_ABOVE_PLAN_MAXIMUM"));
        as(token(Roles.ADMIN)).get("/v1/admin/accounts/" + user + "/limits").then().statusCode(200)
                .body("monthlyCapCents", equalTo(200));
        for (String forbidden : new String[]{token(Roles.SUPPORT), token(Roles.USER)}) {
            as(forbidden).get("/v1/admin/accounts/" + user + "/limits").then().statusCode(403);
            as(forbidden).body(Map.of("monthlyCapCents", 1)).post("/v1/admin/accounts/" + user + "/limits").then().statusCode(403);
        }
        // SERVICE (the admin console's backend) reads limits but never changes them.
        as(token(Roles.SERVICE)).get("/v1/admin/accounts/" + user + "/limits").then().statusCode(200)
                .body("monthlyCapCents", equalTo(200));
        as(token(Roles.SERVICE)).body(Map.of("monthlyCapCents", 1)).post("/v1/admin/accounts/" + user + "/limits")
                .then().statusCode(403);
        as(userToken(user)).get("/v1/account/limits").then().body("monthlyCapCents", equalTo(200));
    }
}
