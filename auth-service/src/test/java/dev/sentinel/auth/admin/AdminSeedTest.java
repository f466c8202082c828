package dev.sentinel.auth.admin;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The first start created the administrator from the configured address and password. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AdminSeedTest {

    @Test
    void seededAdminCanSignInWithTheAdminRole() {
        String access = Accounts.login("admin@sentinel.test", "Test-Admin-Passphrase-2026", Accounts.newIp())
                .then().statusCode(200).extract().path("accessToken");
        given().auth().oauth2(access).get("/v1/auth/me")
                .then().statusCode(200)
                .body("emailVerified", equalTo(true))
                .body("roles", hasItems("ADMIN", "USER"));
    }
}
