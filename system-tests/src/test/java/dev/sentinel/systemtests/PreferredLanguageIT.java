package dev.sentinel.systemtests;

import dev.sentinel.contracts.testing.Mailbox;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The language a person signs up in is the language of every mail they get, from auth and
 * from account alike, until they change it: registered with {@code Accept-Language: ar},
 * the verification and the spend-cap mails arrive in Arabic, right to left; after
 * {@code PATCH /me} to English, the reset mail is English; a language we do not speak is
 * English.
 */
@SystemTest
class PreferredLanguageIT {

    private static final String VERIFY_SUBJECT_AR = "تأكيد عنوان بريدك الإلكتروني";
    private static final String CAP_SUBJECT_AR = "بلغت سقف الإنفاق";
    private static final String RESET_SUBJECT_EN = "Reset your password";

    @Test
    void anArabicSignUpGetsArabicMailFromEveryServiceUntilItChangesLanguage(Sentinel sentinel) {
        Credentials user = Users.newCredentials("arabic");
        sentinel.auth().header("Accept-Language", "ar-EG, ar;q=0.9, en;q=0.5")
                .body(Map.of("email", user.email(), "password", user.password()))
                .when().post("/v1/auth/register").then().statusCode(202);

        Mailbox.Received verify = Mailbox.awaitNewest(user.email(), m -> VERIFY_SUBJECT_AR.equals(m.subject()),
                Users.MAIL_TIMEOUT);
        assertTrue(verify.html().contains("dir=\"rtl\"") && verify.html().contains("lang=\"ar\""), verify.html());
        String token = verify.text().replaceAll("(?s).*verify-email\\?token=([^\\s\"<]+).*", "$1");
        sentinel.auth().queryParam("token", token).when().get("/v1/auth/verify-email").then().statusCode(200);

        SignedIn session = sentinel.signIn(user.email(), user.password());
        String userId = sentinel.auth().header("Authorization", session.bearer()).when().get("/v1/auth/me")
                .then().statusCode(200).body("language", equalTo("ar")).extract().path("id");

        // account-service learned the language from user.registered; its cap mail is Arabic too.
        Eventually.await(Duration.ofSeconds(60), "account-service knows the user speaks ar",
                () -> "ar".equals(accountLanguage(userId)) ? true : null);
        int spent = 0;
        while (spend(sentinel, session, 400) == 200) {
            spent += 400;
            assertTrue(spent < 1_000_000, "the cap never came");
        }
        Mailbox.Received cap = Mailbox.awaitNewest(user.email(), m -> CAP_SUBJECT_AR.equals(m.subject()),
                Users.MAIL_TIMEOUT);
        assertTrue(cap.html().contains("dir=\"rtl\""), cap.html());

        // Changing the language changes the next mail.
        sentinel.auth().header("Authorization", session.bearer()).body(Map.of("language", "en"))
                .when().patch("/v1/auth/me").then().statusCode(200).body("language", equalTo("en"));
        sentinel.auth().body(Map.of("email", user.email())).when().post("/v1/auth/forgot-password")
                .then().statusCode(202);
        Mailbox.Received reset = Mailbox.awaitNewest(user.email(), m -> RESET_SUBJECT_EN.equals(m.subject()),
                Users.MAIL_TIMEOUT);
        assertTrue(reset.html().contains("dir=\"ltr\""), reset.html());
        Eventually.await(Duration.ofSeconds(60), "account-service took user.language_changed",
                () -> "en".equals(accountLanguage(userId)) ? true : null);
    }

    @Test
    void aLanguageWeDoNotSpeakIsEnglish(Sentinel sentinel) {
        Credentials user = Users.newCredentials("french");
        sentinel.auth().header("Accept-Language", "fr-CH, fr;q=0.9")
                .body(Map.of("email", user.email(), "password", user.password()))
                .when().post("/v1/auth/register").then().statusCode(202);
        Mailbox.Received verify = Mailbox.awaitNewest(user.email(), m -> Users.VERIFY_SUBJECT.equals(m.subject()),
                Users.MAIL_TIMEOUT);
        assertTrue(verify.html().contains("lang=\"en\""), verify.html());
    }

    private static int spend(Sentinel sentinel, SignedIn session, int amountCents) {
        return sentinel.account().header("Authorization", session.bearer())
                .body(Map.of("amountCents", amountCents, "idempotencyKey", UUID.randomUUID().toString()))
                .when().post("/v1/account/spend").statusCode();
    }

    private static String accountLanguage(String userId) {
        List<Map<String, Object>> rows = Databases.query(Service.ACCOUNT,
                "select language from account where user_id = ?", userId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("language");
    }
}
