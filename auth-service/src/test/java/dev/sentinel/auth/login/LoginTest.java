package dev.sentinel.auth.login;

import de.mkammerer.argon2.Argon2Factory;
import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.Concurrently;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class LoginTest {

    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void verifiedUserSignsInAndReadsTheirAccount() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);

        Response login = Accounts.login(email, Accounts.PASSWORD, Accounts.newIp());
        login.then().statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("refreshToken", notNullValue());

        given().auth().oauth2(login.path("accessToken")).get("/v1/auth/me")
                .then().statusCode(200)
                .body("id", equalTo(userId))
                .body("email", equalTo(email))
                .body("emailVerified", equalTo(true))
                .body("roles", equalTo(List.of("USER")))
                .body("mfaEnabled", equalTo(false));
        assertEquals(1, accounts.events(userId, "auth.login_succeeded"));
    }

    @Test
    void unverifiedUserIsToldOnlyAfterTheRightPassword() {
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        Accounts.login(email, "Wrong-Password-Entirely-1", Accounts.newIp())
                .then().statusCode(401).body("code", equalTo("AUTH_INVALID_CREDENTIALS"));
        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp())
                .then().statusCode(403).body("code", equalTo("AUTH_EMAIL_NOT_VERIFIED"));
    }

    @Test
    void unknownAddressAndWrongPasswordLookTheSame() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        Response wrong = Accounts.login(email, "Wrong-Password-Entirely-1", Accounts.newIp());
        Response unknown = Accounts.login(Accounts.newEmail(), "Wrong-Password-Entirely-1", Accounts.newIp());
        assertEquals(401, wrong.statusCode());
        assertEquals(wrong.statusCode(), unknown.statusCode());
        for (String member : new String[] {"type", "title", "status", "detail", "code"}) {
            assertEquals(wrong.jsonPath().getString(member), unknown.jsonPath().getString(member), member);
        }
    }

    @Test
    void twentyParallelWrongPasswordsCountExactlyTheLimitThenLock() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String ip = Accounts.newIp();

        Map<String, Long> byCode = Concurrently.run(20, i -> Accounts.login(email, "Wrong-Password-Entirely-" + i, ip))
                .stream()
                .collect(Collectors.groupingBy(r -> r.statusCode() + " " + r.jsonPath().getString("code"),
                        Collectors.counting()));

        assertEquals(Map.of("401 AUTH_INVALID_CREDENTIALS", 5L, "423 AUTH_ACCOUNT_LOCKED", 15L), byCode);
        Response locked = Accounts.login(email, Accounts.PASSWORD, ip);
        locked.then().statusCode(423).body("code", equalTo("AUTH_ACCOUNT_LOCKED"));
        assertNotNull(locked.header("Retry-After"));
        assertEquals(1, accounts.events(userId, "user.locked"));
        assertEquals(1, accounts.emails(email, "account-locked"));
    }

    @Test
    void unknownAddressesAreLockedTheSameWay() {
        String email = Accounts.newEmail();
        String ip = Accounts.newIp();
        for (int i = 0; i < 5; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-1", ip).then().statusCode(401);
        }
        Accounts.login(email, "Wrong-Password-Entirely-1", ip).then().statusCode(423);
    }

    @Test
    void captchaIsAskedForAfterThreeFailures() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        for (int i = 0; i < 3; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-1", ip, Accounts.BROWSER, null).then().statusCode(401)
                    .body("code", equalTo("AUTH_INVALID_CREDENTIALS"));
        }
        Accounts.login(email, Accounts.PASSWORD, ip, Accounts.BROWSER, null)
                .then().statusCode(401).body("code", equalTo("AUTH_CAPTCHA_REQUIRED"));
        Accounts.login(email, Accounts.PASSWORD, ip, Accounts.BROWSER, "fail-token")
                .then().statusCode(401).body("code", equalTo("AUTH_CAPTCHA_REQUIRED"));
        // The same IP trying another address is asked too.
        Accounts.login(Accounts.newEmail(), Accounts.PASSWORD, ip, Accounts.BROWSER, null)
                .then().statusCode(401).body("code", equalTo("AUTH_CAPTCHA_REQUIRED"));
        Accounts.login(email, Accounts.PASSWORD, ip, Accounts.BROWSER, AuthTestResource.CAPTCHA_PASS)
                .then().statusCode(200);
    }

    @Test
    void productionCostHashIsAcceptedAndRehashedToTheConfiguredCost() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        // The production defaults (t=3, m=64 MiB, p=2), as a user stored before a cost change would have.
        String production = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id)
                .hash(3, 65536, 2, Accounts.PASSWORD.toCharArray());
        accounts.setPasswordHash(email, production);

        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(200);

        String rehashed = accounts.passwordHash(email);
        assertTrue(rehashed.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), rehashed);
        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(200);
    }

    @Test
    void aNewDeviceEarnsAnEmailOnce() {
        String email = Accounts.newEmail();
        accounts.verifiedUser(email);
        String home = Accounts.newIp();
        Accounts.login(email, Accounts.PASSWORD, home).then().statusCode(200);
        Accounts.login(email, Accounts.PASSWORD, home).then().statusCode(200);
        assertEquals(0, accounts.emails(email, "new-sign-in"), "first device is not news");

        String phone = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";
        Accounts.login(email, Accounts.PASSWORD, home, phone, AuthTestResource.CAPTCHA_PASS).then().statusCode(200);
        Accounts.login(email, Accounts.PASSWORD, home, phone, AuthTestResource.CAPTCHA_PASS).then().statusCode(200);
        assertEquals(1, accounts.emails(email, "new-sign-in"));
        assertEquals(List.of("Chrome on Android"), accounts.emailParams(email, "new-sign-in", "device"));
    }

    @Test
    void malformedLoginsAreProblems() {
        given().contentType("application/json").body("{\"email\": 42}").post("/v1/auth/login")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("email", "a@example.com")).post("/v1/auth/login")
                .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
        given().contentType("application/json")
                .body(Map.of("email", "a@example.com", "password", "x", "tokenDelivery", "carrier-pigeon"))
                .post("/v1/auth/login").then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"));
    }

}
