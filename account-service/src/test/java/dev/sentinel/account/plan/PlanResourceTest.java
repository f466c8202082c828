package dev.sentinel.account.plan;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.token;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plans over HTTP: defaults, self-serve switches, billing admins, and who may not. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class PlanResourceTest {

    @Inject
    OutboxRows db;

    @Test
    void newAccountIsFreeWithItsMaximum() {
        as(userToken(newUser())).get("/v1/account/plan")
                .then().statusCode(200)
                .body("plan", equalTo("FREE"))
                .body("since", notNullValue())
                .body("maxMonthlyCapCents", equalTo(1000));
    }

    @Test
    void upgradeRaisesADefaultCapAndDowngradeLowersIt() {
        String user = newUser();
        as(userToken(user)).body(Map.of("plan", "PRO")).post("/v1/account/plan")
                .then().statusCode(200).body("plan", equalTo("PRO")).body("maxMonthlyCapCents", equalTo(1000000));
        as(userToken(user)).get("/v1/account/limits").then().body("monthlyCapCents", equalTo(1000000));
        as(userToken(user)).body(Map.of("monthlyCapCents", 250000)).post("/v1/account/limits").then().statusCode(200);

        as(userToken(user)).body(Map.of("plan", "FREE")).post("/v1/account/plan")
                .then().statusCode(200).body("plan", equalTo("FREE")).body("maxMonthlyCapCents", equalTo(1000));

        as(userToken(user)).get("/v1/account/limits").then().body("monthlyCapCents", equalTo(1000));
        assertEquals(2, db.events(user, EventType.PLAN_CHANGED.wireName()));
        List<String> changes = db.payloads(user, EventType.PLAN_CHANGED.wireName());
        assertTrue(changes.get(1).contains("\"from\": \"PRO\"") && changes.get(1).contains("\"to\": \"FREE\""), changes.get(1));
        assertTrue(changes.get(1).contains("\"actor\": \"" + user + "\""), changes.get(1));
    }

    @Test
    void switchingToTheSamePlanChangesNothing() {
        String user = newUser();
        as(userToken(user)).body(Map.of("plan", "FREE")).post("/v1/account/plan").then().statusCode(200);
        assertEquals(0, db.events(user, EventType.PLAN_CHANGED.wireName()));
    }

    @Test
    void badPlansAre400() {
        String token = userToken(newUser());
        as(token).body(Map.of("plan", "ENTERPRISE")).post("/v1/account/plan")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("VAL_INVALID_TYPE"));
        as(token).body(Map.of()).post("/v1/account/plan")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(token).body("{\"plan\": ").post("/v1/account/plan")
                .then().statusCode(400).body("code", equalTo("VAL_MALFORMED_BODY"));
        as(token).post("/v1/account/plan").then().statusCode(400);
        as(token).contentType(ContentType.TEXT).body("PRO").post("/v1/account/plan")
                .then().statusCode(415).body("code", equalTo("VAL_UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void noTokenIs401() {
        given().get("/v1/account/plan").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("AUTH_UNAUTHENTICATED"));
        given().contentType(ContentType.JSON).body(Map.of("plan", "PRO")).post("/v1/account/plan").then().statusCode(401);
        given().get("/v1/admin/accounts/" + newUser() + "/plan").then().statusCode(401);
    }

    @Test
    void billingAdminsAndAdminsReadAndChangeAnyPlan() {
        String user = newUser();
        String billing = newUser();
        String billingToken = dev.sentinel.contracts.testing.TestJwt.tokenFor(billing, "s-" + billing, Roles.BILLING_ADMIN);
        as(userToken(user)).get("/v1/account/plan").then().statusCode(200).body("plan", equalTo("FREE"));
        as(billingToken).get("/v1/admin/accounts/" + user + "/plan").then().statusCode(200).body("plan", equalTo("FREE"));
        as(billingToken).body(Map.of("plan", "PRO")).post("/v1/admin/accounts/" + user + "/plan")
                .then().statusCode(200).body("plan", equalTo("PRO"));
        as(token(Roles.ADMIN)).get("/v1/admin/accounts/" + user + "/plan").then().statusCode(200).body("plan", equalTo("PRO"));
        as(userToken(user)).get("/v1/account/plan").then().body("plan", equalTo("PRO"));

        String event = db.payloads(user, EventType.PLAN_CHANGED.wireName()).get(0);
        assertTrue(event.contains("\"actor\": \"" + billing + "\""), "the admin is the actor: " + event);
        assertTrue(event.contains("\"subject\": \"" + user + "\""), event);
    }

    @Test
    void usersSupportAndServicesCannotUseTheAdminPlanPaths() {
        String victim = newUser();
        for (String token : new String[]{userToken(newUser()), token(Roles.SUPPORT)}) {
            as(token).get("/v1/admin/accounts/" + victim + "/plan")
                    .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("AUTH_FORBIDDEN"));
            as(token).body(Map.of("plan", "PRO")).post("/v1/admin/accounts/" + victim + "/plan").then().statusCode(403);
        }
        // SERVICE (the admin console's backend) reads plans but never changes one.
        as(token(Roles.SERVICE)).body(Map.of("plan", "PRO")).post("/v1/admin/accounts/" + victim + "/plan")
                .then().statusCode(403).contentType("application/problem+json");
        // None of the refused calls made the account: an admin finds no such user.
        as(token(Roles.ADMIN)).get("/v1/admin/accounts/" + victim + "/plan").then().statusCode(404)
                .body("code", equalTo("BIZ_USER_NOT_FOUND"));
    }

    @Test
    void userChangesOnlyTheirOwnPlan() {
        String a = newUser();
        String b = newUser();
        as(userToken(a)).body(Map.of("plan", "PRO")).post("/v1/account/plan").then().statusCode(200);
        as(userToken(b)).get("/v1/account/plan").then().body("plan", equalTo("FREE"));
        as(userToken(a)).get("/v1/account/plan").then().body("plan", equalTo("PRO"));
    }

    @Test
    void badUserIdInAdminPathIs400() {
        as(token(Roles.ADMIN)).get("/v1/admin/accounts/" + "x".repeat(129) + "/plan")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        as(token(Roles.ADMIN)).get("/v1/admin/accounts/a%20b/plan")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
    }
}
