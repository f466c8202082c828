package dev.sentinel.audit.admin;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.FaultProxy;
import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The list's plan column and plan filter at the module's edge, against the stand-ins of auth
 * (a keyset search over users made here) and account (the plans lookup, behind a test-owned
 * {@link FaultProxy}): one account read per auth page, walks in every order that neither skip
 * nor repeat a user across sparse pages, bad input, the role rules, and account cut.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(value = StubServices.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUsersPlanTest {

    private static final String USERS = "/v1/admin/users";
    private static final String MARKER = "p" + UUID.randomUUID().toString().substring(0, 8);
    /** In creation order: PRO, 11 × FREE, PRO, PRO, PRO, no account, PRO. */
    private static final Map<UUID, String> MADE = new LinkedHashMap<>();

    private static RequestSpecification as(String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(UUID.randomUUID().toString(), UUID.randomUUID().toString(), roles))
                .queryParam("query", MARKER);
    }

    private static synchronized void users() {
        if (!MADE.isEmpty()) {
            return;
        }
        List<String> plans = new ArrayList<>(List.of("PRO"));
        for (int i = 0; i < 11; i++) {
            plans.add("FREE");
        }
        plans.addAll(List.of("PRO", "PRO", "PRO", "", "PRO"));
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < plans.size(); i++) {
            String plan = plans.get(i).isEmpty() ? null : plans.get(i);
            // email order is the reverse of creation order, so the two sorts walk differently
            String local = MARKER + "-" + (char) ('z' - i);
            MADE.put(StubServices.searchable(local, start.plusSeconds(60L * i), plan), plan);
        }
    }

    private static List<UUID> onPlan(String plan) {
        // a user without an account is on account's default plan, FREE
        return MADE.entrySet().stream().filter(e -> plan.equals(e.getValue() == null ? "FREE" : e.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    @Test
    @Order(1)
    void eachUserCarriesThePlanFromOneAccountReadPerPage() {
        users();
        int lookups = StubServices.calls("account", "plans/lookup").size();
        JsonPath page = as(Roles.BILLING_ADMIN).queryParam("sort", "createdAt").queryParam("limit", 200).get(USERS)
                .then().statusCode(200).body("items", hasSize(MADE.size())).body("unavailable", nullValue())
                .extract().jsonPath();
        assertEquals(lookups + 1, StubServices.calls("account", "plans/lookup").size(), "one account read per page");
        List<UUID> order = new ArrayList<>(MADE.keySet());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(order.get(i).toString(), page.getString("items[" + i + "].id"));
            assertEquals(MADE.get(order.get(i)), page.getString("items[" + i + "].plan"));
            assertTrue(page.getMap("items[" + i + "]").containsKey("plan"), "plan is always there, null or not");
        }
        List<StubServices.Call> lookup = StubServices.calls("account", "plans/lookup");
        assertEquals("Bearer " + StubServices.SERVICE_TOKEN, lookup.get(lookup.size() - 1).authorization());
    }

    @Test
    @Order(2)
    void aPlanWalkInEveryOrderNeitherSkipsNorRepeatsAcrossSparsePages() {
        users();
        for (String plan : List.of("PRO", "FREE")) {
            for (String sort : List.of("createdAt", "-createdAt", "email", "-email")) {
                List<UUID> expected = new ArrayList<>(onPlan(plan));
                if (sort.equals("-createdAt") || sort.equals("email")) {
                    java.util.Collections.reverse(expected);
                }
                List<UUID> seen = new ArrayList<>();
                boolean sparse = false;
                String cursor = null;
                int pages = 0;
                do {
                    RequestSpecification ask = as(Roles.ADMIN).queryParam("plan", plan).queryParam("sort", sort)
                            .queryParam("limit", 2);
                    if (cursor != null) {
                        ask.queryParam("cursor", cursor);
                    }
                    JsonPath page = ask.get(USERS).then().statusCode(200).body("total", nullValue()).extract().jsonPath();
                    List<String> ids = page.getList("items.id");
                    assertTrue(ids.size() <= 2, ids.toString());
                    for (int i = 0; i < ids.size(); i++) {
                        UUID id = UUID.fromString(ids.get(i));
                        seen.add(id);
                        assertEquals(MADE.get(id), page.getString("items[" + i + "].plan"));
                    }
                    cursor = page.getString("nextCursor");
                    sparse |= ids.size() < 2 && cursor != null;
                    pages++;
                } while (cursor != null && pages < 50);
                assertEquals(expected, seen, plan + " " + sort);
                assertEquals(seen.size(), new HashSet<>(seen).size(), "a user twice: " + plan + " " + sort);
                if (plan.equals("PRO")) {
                    // eleven FREE users in a row are more than one request scans for two PRO ones
                    assertTrue(sparse, "no sparse page in " + sort);
                }
            }
        }
    }

    @Test
    @Order(3)
    void badPlansCountsLimitsAndCursorsAre400sAndTheRolesAreThoseOfTheList() {
        users();
        int searches = StubServices.calls("auth", "query=" + MARKER).size();
        as(Roles.ADMIN).queryParam("plan", "GOLD").get(USERS).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo(ErrorCode.VAL_INVALID_FIELDS.name()))
                .body("errors[0].field", equalTo("plan"));
        as(Roles.ADMIN).queryParam("plan", "pro").get(USERS).then().statusCode(400).body("errors[0].field", equalTo("plan"));
        as(Roles.ADMIN).queryParam("plan", "PRO").queryParam("count", "true").get(USERS).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("count"));
        for (String limit : List.of("+5", "0", "201", "5x", "-1")) {
            as(Roles.ADMIN).queryParam("limit", limit).get(USERS).then().statusCode(400)
                    .body("errors[0].field", equalTo("limit"));
        }
        // a cursor of the same search without the plan filter is not one of the plan walk's
        String unfiltered = as(Roles.ADMIN).queryParam("limit", 1).get(USERS).then().statusCode(200)
                .extract().jsonPath().getString("nextCursor");
        as(Roles.ADMIN).queryParam("plan", "PRO").queryParam("limit", 1).queryParam("cursor", unfiltered).get(USERS)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        assertEquals(searches + 1, StubServices.calls("auth", "query=" + MARKER).size(), "bad input reached auth");

        for (String role : List.of(Roles.ADMIN, Roles.SUPPORT, Roles.BILLING_ADMIN)) {
            as(role).queryParam("plan", "PRO").queryParam("limit", 1).get(USERS).then().statusCode(200)
                    .body("items", hasSize(1)).body("items[0].plan", equalTo("PRO")).body("nextCursor", notNullValue());
        }
        for (String role : List.of(Roles.USER, Roles.SERVICE)) {
            as(role).queryParam("plan", "PRO").get(USERS).then().statusCode(403).contentType("application/problem+json");
        }
        given().queryParam("plan", "PRO").get(USERS).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    @Order(4)
    void withAccountCutTheListAnswersWithoutPlansAndThePlanFilterIsA503NamingIt() {
        users();
        try {
            for (FaultProxy.Mode cut : List.of(FaultProxy.Mode.REFUSE, FaultProxy.Mode.BLACK_HOLE)) {
                FaultProxy.switchTo(StubServices.ACCOUNT_PROXY, cut);
                long started = System.nanoTime();
                as(Roles.SUPPORT).queryParam("limit", 3).get(USERS).then().statusCode(200)
                        .body("items", hasSize(3)).body("items[0].plan", nullValue())
                        .body("unavailable", equalTo(List.of("account-service")));
                as(Roles.ADMIN).queryParam("plan", "PRO").get(USERS).then().statusCode(503)
                        .contentType("application/problem+json").header("Retry-After", "5")
                        .body("code", equalTo(ErrorCode.SYS_UNAVAILABLE.name()))
                        .body("dependency", equalTo("account-service"));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 8_000, cut + " took " + millis + " ms for both");
            }
        } finally {
            FaultProxy.switchTo(StubServices.ACCOUNT_PROXY, FaultProxy.Mode.FORWARD);
        }
    }
}
