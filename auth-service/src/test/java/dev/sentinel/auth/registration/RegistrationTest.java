package dev.sentinel.auth.registration;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.Concurrently;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class RegistrationTest {

    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void registerThenVerify() {
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp())
                .then().statusCode(202).body("status", equalTo("accepted"));
        String userId = accounts.userId(email);
        assertEquals(1, accounts.events(userId, "user.registered"));
        String token = accounts.latestToken(email, "verify-email");

        given().queryParam("token", token).get("/v1/auth/verify-email")
                .then().statusCode(200).body("emailVerified", equalTo(true));
        assertEquals(1, accounts.events(userId, "user.email_verified"));

        // One use only.
        given().queryParam("token", token).get("/v1/auth/verify-email")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("AUTH_TOKEN_INVALID"));
    }

    @Test
    void existingAndNewAddressesGetTheSameAnswer() {
        String existing = Accounts.newEmail();
        accounts.verifiedUser(existing);
        Response forExisting = Accounts.register(existing, "Another-Strong-Passphrase-42", Accounts.newIp());
        Response forNew = Accounts.register(Accounts.newEmail(), "Another-Strong-Passphrase-42", Accounts.newIp());

        assertEquals(202, forExisting.statusCode());
        assertEquals(forNew.statusCode(), forExisting.statusCode());
        assertEquals(forNew.body().asString(), forExisting.body().asString());
        assertEquals(1, accounts.users(existing));
        assertEquals(1, accounts.emails(existing, "register-attempt"), "the owner is told someone tried");
    }

    @Test
    void resendAnswersTheSameForEveryAddressAndReplacesTheLink() {
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        String first = accounts.latestToken(email, "verify-email");

        Response known = resend(email);
        Response unknown = resend(Accounts.newEmail());
        assertEquals(202, known.statusCode());
        assertEquals(unknown.statusCode(), known.statusCode());
        assertEquals(unknown.body().asString(), known.body().asString());

        String second = accounts.latestToken(email, "verify-email");
        assertNotEquals(first, second);
        given().queryParam("token", first).get("/v1/auth/verify-email").then().statusCode(400);
        given().queryParam("token", second).get("/v1/auth/verify-email").then().statusCode(200);
    }

    @Test
    void resendIsLimitedPerAddressWithoutSayingSo() {
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        for (int i = 0; i < 6; i++) {
            resend(email).then().statusCode(202);
        }
        // One link at sign-up plus at most three resends an hour.
        assertEquals(4, accounts.emails(email, "verify-email"));
    }

    @Test
    void parallelSignUpsForOneAddressMakeOneAccount() {
        String email = Accounts.newEmail();
        Concurrently.run(10, i -> Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).statusCode())
                .forEach(status -> assertEquals(202, status));
        assertEquals(1, accounts.users(email));
    }

    @Test
    void addressIsNormalised() {
        String email = Accounts.newEmail();
        String shouted = "  " + email.replace("example.com", "EXAMPLE.COM") + " ";
        Accounts.register(shouted, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        assertEquals(1, accounts.users(email));
    }

    @Test
    void badInputIsAFieldProblem() {
        String ip = Accounts.newIp();
        Accounts.register("not-an-address", Accounts.PASSWORD, ip)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VAL_INVALID_FIELDS")).body("errors.field", hasItem("email"));
        for (String weak : new String[] {"short1!", "password123456", "qwertyuiop12", "a".repeat(129)}) {
            Accounts.register(Accounts.newEmail(), weak, ip)
                    .then().statusCode(400).body("code", equalTo("VAL_INVALID_FIELDS"))
                    .body("errors.field", hasItem("password"));
        }
        String email = Accounts.newEmail();
        String local = email.substring(0, email.indexOf('@'));
        Accounts.register(email, "Zebra-" + local + "-Quartz", ip)
                .then().statusCode(400).body("errors.message", hasItem("must not contain your email address"));
        given().contentType(ContentType.JSON).body(Map.of("email", Accounts.newEmail()))
                .post("/v1/auth/register").then().statusCode(400).body("errors.field", hasItem("password"));
    }

    @Test
    void captchaIsRequiredToSignUp() {
        given().contentType(ContentType.JSON)
                .body(Map.of("email", Accounts.newEmail(), "password", Accounts.PASSWORD))
                .post("/v1/auth/register")
                .then().statusCode(401).body("code", equalTo("AUTH_CAPTCHA_REQUIRED"));
        given().contentType(ContentType.JSON)
                .body(Map.of("email", Accounts.newEmail(), "password", Accounts.PASSWORD, "captchaToken", "fail-me"))
                .post("/v1/auth/register")
                .then().statusCode(401).body("code", equalTo("AUTH_CAPTCHA_REQUIRED"));
    }

    @Test
    void badVerificationTokensAreRefused() {
        for (String token : new String[] {"x", "A".repeat(43), "'; drop table app_user; --"}) {
            given().queryParam("token", token).get("/v1/auth/verify-email")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().get("/v1/auth/verify-email").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void signUpsPerIpAreRateLimited() {
        String ip = Accounts.newIp();
        int limited = 0;
        for (int i = 0; i < 32; i++) {
            Response response = Accounts.register("not-valid-" + i, Accounts.PASSWORD, ip);
            if (response.statusCode() == 429) {
                limited++;
                assertNotEquals(null, response.header("Retry-After"));
            }
        }
        assertEquals(0, limited, "invalid input is refused before it is counted");
        for (int i = 0; i < 31; i++) {
            Response response = Accounts.register(Accounts.newEmail(), "short", ip);
            if (response.statusCode() == 429) {
                limited++;
            }
        }
        assertEquals(1, limited);
    }

    private static Response resend(String email) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", Accounts.newIp())
                .body(Map.of("email", email)).post("/v1/auth/resend-verification");
    }
}
