package dev.sentinel.account.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.account.OutboxRows;
import dev.sentinel.account.TestClock;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventEnvelope;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static dev.sentinel.account.messaging.SecurityEventsTopic.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The spend emails are in the owner's preferred language, which auth-service announces in
 * user.registered and user.language_changed: each applied once, and never undone by an
 * older event that arrives late.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class PreferredLanguageTest {

    @Inject
    OutboxRows db;
    @Inject
    ObjectMapper json;
    @Inject
    TestClock clock;

    SecurityEventsTopic topic;

    @BeforeEach
    void connect() {
        topic = new SecurityEventsTopic(json);
    }

    @AfterEach
    void close() {
        clock.reset();
        topic.close();
    }

    @Test
    void spendMailsAreInTheRegisteredLanguageThenInTheChangedOne() throws Exception {
        String user = newUser();
        String email = "lang-" + user + "@example.test";
        topic.publish(registered(user, email, "ar", Instant.now()));
        waitUntil(() -> "ar".equals(language(user)));

        String token = userToken(user);
        clock.set(Instant.parse("2031-03-10T12:00:00Z"));
        as(token).body(Map.of("monthlyCapCents", 100)).post("/v1/account/limits").then().statusCode(200);
        as(token).body(charge(85, key())).post("/v1/account/spend").then().statusCode(200);
        as(token).body(charge(15, key())).post("/v1/account/spend").then().statusCode(200);
        assertEquals(List.of("ar"), db.emailLocales(email, EmailTemplate.SPEND_WARNING.wireName()));
        assertEquals(List.of("ar"), db.emailLocales(email, EmailTemplate.SPEND_CAP_REACHED.wireName()));

        topic.publish(languageChanged(user, "en", Instant.now()));
        waitUntil(() -> "en".equals(language(user)));

        clock.advance(Duration.ofDays(31));
        as(token).body(charge(85, key())).post("/v1/account/spend").then().statusCode(200);
        as(token).body(charge(15, key())).post("/v1/account/spend").then().statusCode(200);
        assertEquals(List.of("ar", "en"), db.emailLocales(email, EmailTemplate.SPEND_WARNING.wireName()));
        assertEquals(List.of("ar", "en"), db.emailLocales(email, EmailTemplate.SPEND_CAP_REACHED.wireName()));
    }

    @Test
    void aLanguageChangeDeliveredAgainIsAppliedOnce() throws Exception {
        String user = newUser();
        Instant registeredAt = Instant.now().minusSeconds(60);
        topic.publish(registered(user, "dup-" + user + "@example.test", "en", registeredAt));
        EventEnvelope toArabic = languageChanged(user, "ar", registeredAt.plusSeconds(10));
        EventEnvelope backToEnglish = languageChanged(user, "en", registeredAt.plusSeconds(20));
        topic.publish(toArabic);
        topic.publish(toArabic);
        topic.publish(backToEnglish);
        topic.publish(toArabic);
        passedEverythingBefore(user);

        assertEquals("en", language(user));
        assertEquals(1, db.count("select count(*) from processed_event where event_id = $1", toArabic.id()));
        assertEquals(1, db.count("select count(*) from processed_event where event_id = $1", backToEnglish.id()));
    }

    @Test
    void anOlderEventArrivingLateDoesNotUndoANewerLanguage() throws Exception {
        String user = newUser();
        String email = "late-" + user + "@example.test";
        Instant registeredAt = Instant.now().minusSeconds(60);
        topic.publish(languageChanged(user, "ar", registeredAt.plusSeconds(30)));
        topic.publish(registered(user, email, "en", registeredAt));
        passedEverythingBefore(user);

        assertEquals("ar", language(user));
        assertEquals(email, db.one("select email from account where user_id = $1", user).getString(0));
    }

    @Test
    void anAccountCreatedBeforeItsRegistrationArrivesTakesTheRegisteredLanguage() throws Exception {
        String user = newUser();
        as(userToken(user)).get("/v1/account/limits").then().statusCode(200);
        assertEquals("en", language(user));

        topic.publish(registered(user, "lazy-" + user + "@example.test", "ar", Instant.now()));
        waitUntil(() -> "ar".equals(language(user)));
    }

    @Test
    void aLanguageWeDoNotSpeakIsSkippedAndTheConsumerGoesOn() throws Exception {
        String user = newUser();
        topic.publish(registered(user, "xx-" + user + "@example.test", "ar", Instant.now().minusSeconds(60)));
        topic.publish(languageChanged(user, "xx", Instant.now()));
        topic.publish(EventEnvelope.of(EventType.USER_LANGUAGE_CHANGED, "auth-service").subject(user).actor(user)
                .data(json.createObjectNode()).build());
        passedEverythingBefore(user);

        assertEquals("ar", language(user));
    }

    private String language(String user) {
        var row = db.one("select language from account where user_id = $1", user);
        return row == null ? null : row.getString(0);
    }

    /** A later record on the user's partition proves the consumer went past everything published before. */
    private void passedEverythingBefore(String user) throws Exception {
        String marker = newUser();
        topic.publish(registered(marker, "marker-" + marker + "@example.test", "en", Instant.now()), user);
        waitUntil(() -> db.count("select count(*) from account where user_id = $1", marker) == 1);
    }

    private EventEnvelope registered(String user, String email, String language, Instant at) {
        return new EventEnvelope(UUID.randomUUID(), null, EventType.USER_REGISTERED, "auth-service", at, user, user,
                null, null, "success", null, json.createObjectNode().put("email", email).put("language", language));
    }

    private EventEnvelope languageChanged(String user, String language, Instant at) {
        return new EventEnvelope(UUID.randomUUID(), null, EventType.USER_LANGUAGE_CHANGED, "auth-service", at, user,
                user, null, null, "success", null, json.createObjectNode().put("language", language));
    }
}
