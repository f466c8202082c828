package dev.sentinel.auth.login;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-IP limits on the public endpoints: the request over the limit is a 429 problem with Retry-After. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class RateLimitTest {

    private static final int PER_IP = 30;

    @Test
    void loginIsLimitedPerIp() {
        String ip = Accounts.newIp();
        assertLimited(PER_IP, () -> Accounts.login(Accounts.newEmail(), "Wrong-Password-Entirely-1", ip));
    }

    @Test
    void resendAndForgotAreLimitedPerIp() {
        String ip = Accounts.newIp();
        assertLimited(PER_IP, () -> post("/v1/auth/resend-verification", ip, Map.of("email", Accounts.newEmail())));
        String other = Accounts.newIp();
        assertLimited(PER_IP, () -> post("/v1/auth/forgot-password", other, Map.of("email", Accounts.newEmail())));
    }

    @Test
    void refreshIsLimitedPerIp() {
        String ip = Accounts.newIp();
        assertLimited(PER_IP * 4, () -> post("/v1/auth/refresh", ip, Map.of("refreshToken", "A".repeat(43))));
    }

    private static void assertLimited(int limit, Supplier<Response> call) {
        for (int i = 0; i < limit; i++) {
            int status = call.get().statusCode();
            assertTrue(status != 429, "request " + (i + 1) + " was limited too early");
        }
        Response over = call.get();
        assertEquals(429, over.statusCode());
        assertEquals("SYS_RATE_LIMITED", over.jsonPath().getString("code"));
        assertNotNull(over.header("Retry-After"));
    }

    private static Response post(String path, String ip, Map<String, String> body) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip).body(body).post(path);
    }
}
