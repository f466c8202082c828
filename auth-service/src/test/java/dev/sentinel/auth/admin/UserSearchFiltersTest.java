package dev.sentinel.auth.admin;

import dev.sentinel.auth.TestClock;
import dev.sentinel.auth.mfa.IndependentTotp;
import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The admin search's 2FA, verification and creation-time filters: each narrows the page and
 * the total, combines with the others and with the cursor; a bad value is a 400 naming it.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class UserSearchFiltersTest {

    private static final String USERS = "/v1/auth/internal/users";

    @Inject
    TestClock clock; // the service's clock (real time here): codes are computed on it
    @Inject
    Pool pool;

    @Test
    void mfaVerifiedAndCreatedFilters() {
        Accounts accounts = new Accounts(pool);
        String admin = TestJwt.token(Roles.ADMIN);
        String marker = "f" + UUID.randomUUID().toString().substring(0, 8);
        String unverified = "a." + marker + "@example.com";
        String plain = "b." + marker + "@example.com";
        String withMfa = "c." + marker + "@example.com";
        Accounts.register(unverified, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        accounts.verifiedUser(plain);
        accounts.verifiedUser(withMfa);
        String access = Accounts.login(withMfa, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(200)
                .extract().path("accessToken");
        String secret = given().auth().oauth2(access).post("/v1/auth/2fa/enable-init").then().statusCode(200)
                .extract().path("secret");
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", IndependentTotp.now(clock, secret, 0)))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200);

        assertEquals(List.of(withMfa), emails(admin, marker, Map.of("mfa", "true")));
        assertEquals(List.of(unverified, plain), emails(admin, marker, Map.of("mfa", "false")));
        assertEquals(List.of(plain, withMfa), emails(admin, marker, Map.of("verified", "true")));
        assertEquals(List.of(unverified), emails(admin, marker, Map.of("verified", "false")));
        assertEquals(List.of(plain), emails(admin, marker, Map.of("verified", "true", "mfa", "false")));
        given().auth().oauth2(admin).queryParam("query", marker).queryParam("verified", "true").get(USERS)
                .then().statusCode(200).body("total", equalTo(2));
        // count=false: the page without the count(*); count=true (the default) with it.
        given().auth().oauth2(admin).queryParam("query", marker).queryParam("count", "false").get(USERS)
                .then().statusCode(200).body("items", org.hamcrest.Matchers.hasSize(3))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("total")));
        given().auth().oauth2(admin).queryParam("query", marker).queryParam("count", "true").get(USERS)
                .then().statusCode(200).body("total", equalTo(3));
        given().auth().oauth2(admin).queryParam("count", "yes").get(USERS).then().statusCode(400)
                .body("errors[0].field", equalTo("count"));

        // Creation time: from inclusive, to exclusive, with any offset.
        JsonPath all = given().auth().oauth2(admin).queryParam("query", marker).queryParam("sort", "createdAt")
                .get(USERS).then().statusCode(200).extract().jsonPath();
        String secondCreated = all.getString("items[1].createdAt");
        String thirdCreated = all.getString("items[2].createdAt");
        assertEquals(List.of(plain, withMfa), emails(admin, marker, Map.of("createdFrom", secondCreated)));
        assertEquals(List.of(plain), emails(admin, marker, Map.of("createdFrom", secondCreated, "createdTo", thirdCreated)));
        String inBerlin = java.time.Instant.parse(thirdCreated).atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        assertEquals(List.of(unverified, plain), emails(admin, marker, Map.of("createdTo", inBerlin)));

        // Filters and the cursor: pages of one over the verified users.
        JsonPath first = given().auth().oauth2(admin).queryParam("query", marker).queryParam("verified", "true")
                .queryParam("sort", "email").queryParam("limit", 1).get(USERS).then().statusCode(200)
                .body("items[0].email", equalTo(plain)).extract().jsonPath();
        given().auth().oauth2(admin).queryParam("query", marker).queryParam("verified", "true").queryParam("sort", "email")
                .queryParam("limit", 1).queryParam("cursor", first.getString("nextCursor")).get(USERS)
                .then().statusCode(200).body("items[0].email", equalTo(withMfa));

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("mfa", "yes"), Map.of("verified", "1"),
                Map.of("createdFrom", "yesterday"), Map.of("createdTo", "2026-01-01T00:00:00"),
                Map.of("createdFrom", "2026-02-01T00:00:00Z", "createdTo", "2026-01-01T00:00:00Z"),
                Map.of("createdFrom", "2026-01-01T00:00:00Z", "createdTo", "2026-01-01T00:00:00Z"))) {
            String field = bad.containsKey("createdTo") ? "createdTo" : bad.keySet().iterator().next();
            given().auth().oauth2(admin).queryParams(bad).get(USERS).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("VAL_INVALID_FIELDS"))
                    .body("errors[0].field", equalTo(field));
        }
    }

    private static List<String> emails(String admin, String marker, Map<String, ?> filters) {
        return given().auth().oauth2(admin).queryParam("query", marker).queryParam("sort", "email").queryParams(filters)
                .get(USERS).then().statusCode(200).extract().jsonPath().getList("items.email");
    }
}
