package dev.sentinel.auth.user;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The preferred language (DESIGN §9): picked from Accept-Language at sign-up, changed on
 * PATCH /v1/auth/me, and the locale of every email request about the user — including the
 * "someone tried to register" mail, which is in the owner's language, not the caller's.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class PreferredLanguageTest {

    @Inject
    Pool pool;
    Accounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
    }

    @Test
    void signUpInArabicGetsAnArabicVerificationMailAndTellsTheOtherServices() {
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp(), "ar").then().statusCode(202);

        assertEquals(List.of("ar"), accounts.emailLocales(email, "verify-email"));
        String userId = accounts.userId(email);
        assertEquals(List.of("ar"), accounts.eventValues(userId, "user.registered", "data.language"));

        resend(email).then().statusCode(202);
        assertEquals(List.of("ar", "ar"), accounts.emailLocales(email, "verify-email"), "the resent link too");
        given().queryParam("token", accounts.latestToken(email, "verify-email")).get("/v1/auth/verify-email")
                .then().statusCode(200);
        given().auth().oauth2(signIn(email)).get("/v1/auth/me").then().statusCode(200).body("language", equalTo("ar"));
    }

    @Test
    void languagesWeDoNotSpeakOrThatTheClientRanksLowGetEnglish() {
        for (String header : new String[] {"fr-CH, fr;q=0.9", "ar;q=0.1, en;q=0.9", "*;;garbage"}) {
            String email = Accounts.newEmail();
            Accounts.register(email, Accounts.PASSWORD, Accounts.newIp(), header).then().statusCode(202);
            assertEquals(List.of("en"), accounts.emailLocales(email, "verify-email"), header);
        }
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        assertEquals(List.of("en"), accounts.emailLocales(email, "verify-email"), "no Accept-Language");
        String preferred = Accounts.newEmail();
        Accounts.register(preferred, Accounts.PASSWORD, Accounts.newIp(), "fr, ar-EG;q=0.8, en;q=0.5")
                .then().statusCode(202);
        assertEquals(List.of("ar"), accounts.emailLocales(preferred, "verify-email"));
    }

    @Test
    void theChosenLanguageIsShownAnnouncedAndUsedForEveryLaterMail() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String access = signIn(email);
        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(200).body("language", equalTo("en"));

        change(access, "{\"language\":\"ar\"}").then().statusCode(200)
                .body("language", equalTo("ar")).body("email", equalTo(email));
        given().auth().oauth2(access).get("/v1/auth/me").then().statusCode(200).body("language", equalTo("ar"));
        assertEquals(List.of(userId), accounts.eventValues(userId, "user.language_changed", "actor"));
        assertEquals(List.of("ar"), accounts.eventValues(userId, "user.language_changed", "data.language"));
        assertEquals(List.of("en"), accounts.eventValues(userId, "user.language_changed", "data.previous"));
        change(access, "{\"language\":\"ar\"}").then().statusCode(200).body("language", equalTo("ar"));
        assertEquals(1, accounts.events(userId, "user.language_changed"), "choosing it again changes nothing");

        given().contentType(ContentType.JSON).header("X-Forwarded-For", Accounts.newIp())
                .body(Map.of("email", email)).post("/v1/auth/forgot-password").then().statusCode(202);
        assertEquals(List.of("ar"), accounts.emailLocales(email, "password-reset"));

        String ip = Accounts.newIp();
        for (int i = 0; i < 5; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-1", ip).then().statusCode(401);
        }
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(423);
        assertEquals(List.of("ar"), accounts.emailLocales(email, "account-locked"));

        given().contentType(ContentType.JSON).body(Map.of("token", accounts.latestToken(email, "password-reset"),
                "newPassword", "Brand-New-Passphrase-Violet-31")).post("/v1/auth/reset-password").then().statusCode(200);
        assertEquals(List.of("ar"), accounts.emailLocales(email, "password-changed"));

        Accounts.login(email, "Brand-New-Passphrase-Violet-31", Accounts.newIp(),
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15",
                AuthTestResource.CAPTCHA_PASS).then().statusCode(200);
        assertEquals(List.of("ar"), accounts.emailLocales(email, "new-sign-in"));

        String back = signIn(email, "Brand-New-Passphrase-Violet-31");
        change(back, "{\"language\":\"en\"}").then().statusCode(200).body("language", equalTo("en"));
        given().contentType(ContentType.JSON).header("X-Forwarded-For", Accounts.newIp())
                .body(Map.of("email", email)).post("/v1/auth/forgot-password").then().statusCode(202);
        assertEquals(List.of("ar", "en"), accounts.emailLocales(email, "password-reset"));
    }

    @Test
    void someoneSigningUpWithATakenAddressWarnsTheOwnerInTheOwnersLanguage() {
        String arabicOwner = Accounts.newEmail();
        Accounts.register(arabicOwner, Accounts.PASSWORD, Accounts.newIp(), "ar").then().statusCode(202);
        Accounts.register(arabicOwner, "Another-Strong-Passphrase-42", Accounts.newIp(), "en").then().statusCode(202);
        assertEquals(List.of("ar"), accounts.emailLocales(arabicOwner, "register-attempt"));

        String englishOwner = Accounts.newEmail();
        Accounts.register(englishOwner, Accounts.PASSWORD, Accounts.newIp(), "en").then().statusCode(202);
        Accounts.register(englishOwner, "Another-Strong-Passphrase-42", Accounts.newIp(), "ar").then().statusCode(202);
        assertEquals(List.of("en"), accounts.emailLocales(englishOwner, "register-attempt"));
    }

    @Test
    void onlyALanguageWeSpeakIsAcceptedAndOnlyFromTheSignedInUser() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String access = signIn(email);

        for (String body : new String[] {"{\"language\":\"xx\"}", "{\"language\":\"AR\"}", "{\"language\":\"ar-EG\"}",
                "{\"language\":null}", "{}"}) {
            change(access, body).then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("VAL_INVALID_FIELDS")).body("errors.field", hasItem("language"));
        }
        for (String body : new String[] {"{\"language\":5}", "{\"language\":[\"ar\"]}", "{", "not json", ""}) {
            int status = change(access, body).then().contentType("application/problem+json").extract().statusCode();
            assertEquals(400, status, body);
        }
        given().auth().oauth2(access).contentType(ContentType.TEXT).body("ar").patch("/v1/auth/me")
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"language\":\"ar\"}").patch("/v1/auth/me")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-token").contentType(ContentType.JSON).body("{\"language\":\"ar\"}")
                .patch("/v1/auth/me").then().statusCode(401);

        given().auth().oauth2(access).get("/v1/auth/me").then().body("language", equalTo("en"));
        assertEquals(0, accounts.events(userId, "user.language_changed"));
    }

    private static String signIn(String email) {
        return signIn(email, Accounts.PASSWORD);
    }

    private static String signIn(String email, String password) {
        return Accounts.login(email, password, Accounts.newIp()).then().statusCode(200).extract().path("accessToken");
    }

    private static Response change(String access, String body) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body(body).patch("/v1/auth/me");
    }

    private static Response resend(String email) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", Accounts.newIp())
                .body(Map.of("email", email)).post("/v1/auth/resend-verification");
    }
}
