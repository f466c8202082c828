package dev.sentinel.audit.support;

import dev.sentinel.contracts.testing.TestJwt;
import io.restassured.specification.RequestSpecification;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Requests as a caller with given roles. */
public final class Api {

    private Api() {
    }

    /** As the user {@code subject} (an admin whose accesses a test follows in the log). */
    public static RequestSpecification asUser(String subject, String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(subject, UUID.randomUUID().toString(), roles));
    }

    public static RequestSpecification as(String... roles) {
        return given().auth().oauth2(TestJwt.tokenFor(UUID.randomUUID().toString(), UUID.randomUUID().toString(), roles));
    }
}
