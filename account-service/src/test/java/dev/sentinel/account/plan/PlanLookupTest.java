package dev.sentinel.account.plan;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.token;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /v1/admin/accounts/plans/lookup: many plans in one read, for the admin console's plan column and filter. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class PlanLookupTest {

    private static final String LOOKUP = "/v1/admin/accounts/plans/lookup";

    @Inject
    OutboxRows db;

    @Test
    void answersThePlansOfTheAccountsThatExistAndMakesNone() {
        String free = newUser();
        as(userToken(free)).get("/v1/account/plan").then().statusCode(200); // made on first use: FREE
        String pro = newUser();
        as(token(Roles.ADMIN)).body(Map.of("plan", "PRO")).post("/v1/admin/accounts/" + pro + "/plan").then().statusCode(200);
        String none = newUser();

        for (String role : List.of(Roles.SERVICE, Roles.ADMIN, Roles.BILLING_ADMIN)) {
            as(token(role)).body(Map.of("userIds", List.of(pro, none, free, pro))).post(LOOKUP).then().statusCode(200)
                    .body("defaultPlan", equalTo("FREE")).body("items", hasSize(2))
                    .body("items[0].userId", equalTo(pro)).body("items[0].plan", equalTo("PRO"))
                    .body("items[0].since", notNullValue())
                    .body("items[1].userId", equalTo(free)).body("items[1].plan", equalTo("FREE"));
        }
        assertEquals(0, db.count("select count(*) from account where user_id = $1", none));
    }

    @Test
    void thePlanNamesOtherServicesCheckAreThisServicesPlans() {
        assertEquals(dev.sentinel.contracts.billing.PlanNames.ALL,
                java.util.Arrays.stream(Plan.values()).map(Enum::name).toList());
    }

    @Test
    void othersAreRefusedAndBadInputIs400() {
        List<String> one = List.of(newUser());
        as(token(Roles.USER)).body(Map.of("userIds", one)).post(LOOKUP).then().statusCode(403)
                .contentType("application/problem+json");
        as(token(Roles.SUPPORT)).body(Map.of("userIds", one)).post(LOOKUP).then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("userIds", one)).post(LOOKUP).then().statusCode(401)
                .contentType("application/problem+json");

        String service = token(Roles.SERVICE);
        List<String> tooMany = new ArrayList<>(IntStream.range(0, 201).mapToObj(i -> newUser()).toList());
        as(service).body(Map.of("userIds", tooMany)).post(LOOKUP).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"));
        as(service).body(Map.of("userIds", tooMany.subList(0, 200))).post(LOOKUP).then().statusCode(200)
                .body("items", hasSize(0));
        as(service).body(Map.of("userIds", List.of())).post(LOOKUP).then().statusCode(400)
                .body("code", equalTo("VAL_INVALID_FIELDS"));
        as(service).body(Map.of("userIds", List.of("has space"))).post(LOOKUP).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"));
        as(service).body(Map.of()).post(LOOKUP).then().statusCode(400).contentType("application/problem+json");
        as(service).body("{\"userIds\": [1, {}]}").post(LOOKUP).then().statusCode(400).contentType("application/problem+json");
        as(service).body("{\"userIds\": ").post(LOOKUP).then().statusCode(400).contentType("application/problem+json");
    }
}
