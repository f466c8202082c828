package dev.sentinel.account;

import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Requests as a given caller, and fresh users, so every test makes its own accounts. */
public final class Api {

    private Api() {
    }

    public static String newUser() {
        return UUID.randomUUID().toString();
    }

    /** A token of {@code userId} with role USER. */
    public static String userToken(String userId) {
        return TestJwt.tokenFor(userId, UUID.randomUUID().toString(), Roles.USER);
    }

    /** A token of a new caller with these roles. */
    public static String token(String... roles) {
        return TestJwt.tokenFor(newUser(), UUID.randomUUID().toString(), roles);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static Map<String, Object> charge(long amountCents, String key) {
        return Map.of("amountCents", amountCents, "idempotencyKey", key, "description", "test charge");
    }

    public static Map<String, Object> reserve(long amountCents, String key) {
        return Map.of("amountCents", amountCents, "idempotencyKey", key);
    }

    public static String key() {
        return "key-" + UUID.randomUUID();
    }
}
