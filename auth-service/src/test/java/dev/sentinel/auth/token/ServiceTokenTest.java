package dev.sentinel.auth.token;

import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** client_credentials for the operator-configured client "billing-worker". */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class ServiceTokenTest {

    private static final String SECRET = "billing-worker-test-secret";

    @Test
    void configuredClientGetsAServiceToken() {
        Response response = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "billing-worker").formParam("client_secret", SECRET)
                .post("/v1/auth/token");
        response.then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .header("Cache-Control", containsString("no-store"));
        String payload = new String(Base64.getUrlDecoder().decode(response.<String>path("access_token").split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"groups\":[\"SERVICE\"]"), payload);
        assertTrue(payload.contains("\"sub\":\"billing-worker\""), payload);
        // A machine has no account of its own.
        given().auth().oauth2(response.<String>path("access_token")).get("/v1/auth/me")
                .then().statusCode(403).body("code", equalTo("AUTH_FORBIDDEN"));
    }

    @Test
    void basicAuthenticationWorksToo() {
        given().auth().preemptive().basic("billing-worker", SECRET).formParam("grant_type", "client_credentials")
                .post("/v1/auth/token").then().statusCode(200);
    }

    @Test
    void errorsFollowRfc6749() {
        given().formParam("grant_type", "client_credentials").formParam("client_id", "billing-worker")
                .formParam("client_secret", "wrong").post("/v1/auth/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", containsString("Basic"));
        given().formParam("grant_type", "client_credentials").formParam("client_id", "nobody")
                .formParam("client_secret", SECRET).post("/v1/auth/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().formParam("grant_type", "password").formParam("client_id", "billing-worker")
                .formParam("client_secret", SECRET).post("/v1/auth/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().formParam("client_id", "billing-worker").post("/v1/auth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().header("Authorization", "Basic !!!").formParam("grant_type", "client_credentials")
                .post("/v1/auth/token").then().statusCode(401);
        assertEquals(415, given().contentType("application/json").body("{}").post("/v1/auth/token").statusCode());
    }
}
