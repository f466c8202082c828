package dev.sentinel.account.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.account.OutboxRows;
import dev.sentinel.account.Parallel;
import dev.sentinel.account.Parallel.Answer;
import dev.sentinel.account.Parallel.Call;
import dev.sentinel.contracts.events.EmailTemplate;
import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.token;
import static dev.sentinel.account.Api.userToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cap is exact under parallel charges, holds and commits against one account, a key
 * charges once however many copies race, and the once-per-period notices fire once.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class SpendConcurrencyTest {

    @Inject
    OutboxRows db;
    @Inject
    ObjectMapper json;

    @Test
    void twoHundredParallelChargesOfSevenCentsStopExactlyAtTheCap() throws Exception {
        String user = newUser();
        String token = userToken(user);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(new Call("/v1/account/spend", token, charge(7, key())));
        }

        List<Answer> answers = Parallel.post(calls);

        assertEquals(142, answers.stream().filter(a -> a.status() == 200).count(), statuses(answers));
        assertEquals(58, answers.stream().filter(a -> a.status() == 402).count(), statuses(answers));
        long maxSpentSeen = 0;
        for (Answer answer : answers) {
            JsonNode body = json.readTree(answer.body());
            assertTrue(body.get("spentCents").asLong() <= 1000, "never more than the cap: " + answer.body());
            maxSpentSeen = Math.max(maxSpentSeen, body.get("spentCents").asLong());
            if (answer.status() == 402) {
                assertEquals("BIZ_SPEND_CAP_REACHED", body.get("code").asText());
                assertTrue(body.get("remainingCents").asLong() < 7, "a refusal is justified: " + answer.body());
            }
        }
        assertEquals(994, maxSpentSeen);
        as(token).get("/v1/account/limits").then().statusCode(200)
                .body("spentCents", equalTo(994)).body("remainingCents", equalTo(6));
        assertEquals(994, db.count("select spent_cents from account where user_id = $1", user));
        assertEquals(142, db.count("select count(*) from spend_request where account_id = $1 and status = 200", user));
    }

    @Test
    void chargesAndHoldsRacingTogetherNeverPassTheCap() throws Exception {
        String user = newUser();
        String service = token(Roles.SERVICE);
        String base = "/v1/admin/accounts/" + user;
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(new Call(base + "/spend", service, charge(7, key())));
            calls.add(new Call(base + "/spend/reservations", service, charge(7, key())));
        }

        List<Answer> first = Parallel.post(calls);

        long accepted = first.stream().filter(a -> a.status() == 200 || a.status() == 201).count();
        assertEquals(142, accepted, statuses(first));
        assertEquals(58, first.stream().filter(a -> a.status() == 402).count());
        long charged = 7 * first.stream().filter(a -> a.status() == 200).count();
        List<String> holds = new ArrayList<>();
        for (Answer answer : first) {
            if (answer.status() == 201) {
                holds.add(json.readTree(answer.body()).get("id").asText());
            }
        }
        assertEquals(994, db.count("select spent_cents + reserved_cents from account where user_id = $1", user));
        assertEquals(charged, db.count("select spent_cents from account where user_id = $1", user));

        // Commit every hold at 5 of its 7 cents while 100 charges of 3 cents race for what that frees.
        List<Call> second = new ArrayList<>();
        for (String hold : holds) {
            second.add(new Call(base + "/spend/reservations/" + hold + "/commit", service, "{\"amountCents\":5}"));
        }
        for (int i = 0; i < 100; i++) {
            second.add(new Call(base + "/spend", service, charge(3, key())));
        }
        List<Answer> answers = Parallel.post(second);

        assertTrue(answers.stream().filter(a -> a.call().path().endsWith("/commit")).allMatch(a -> a.status() == 200),
                statuses(answers));
        long smallCharges = answers.stream().filter(a -> a.call().path().endsWith("/spend") && a.status() == 200).count();
        for (Answer answer : answers) {
            if (answer.status() == 402) {
                assertTrue(json.readTree(answer.body()).get("remainingCents").asLong() < 3, answer.body());
            }
        }
        long expectedSpent = charged + 5L * holds.size() + 3L * smallCharges;
        assertEquals(expectedSpent, db.count("select spent_cents from account where user_id = $1", user));
        assertEquals(0, db.count("select reserved_cents from account where user_id = $1", user));
        assertTrue(expectedSpent <= 1000, "never past the cap: " + expectedSpent);
    }

    @Test
    void tenParallelCopiesOfOneKeyChargeOnce() throws Exception {
        String user = newUser();
        String token = userToken(user);
        String body = charge(40, key());
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(new Call("/v1/account/spend", token, body));
        }

        List<Answer> answers = Parallel.post(calls);

        assertTrue(answers.stream().allMatch(a -> a.status() == 200), statuses(answers));
        assertEquals(1, answers.stream().map(Answer::body).distinct().count(), "every copy got the first answer");
        assertEquals(40, db.count("select spent_cents from account where user_id = $1", user));
        assertEquals(1, db.count("select count(*) from spend_request where account_id = $1", user));
    }

    @Test
    void tenParallelCopiesOfOneReservationKeyHoldOnce() {
        String user = newUser();
        String token = userToken(user);
        String body = charge(60, key());
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(new Call("/v1/account/spend/reservations", token, body));
        }

        List<Answer> answers = Parallel.post(calls);

        assertTrue(answers.stream().allMatch(a -> a.status() == 201), statuses(answers));
        assertEquals(1, answers.stream().map(Answer::body).distinct().count());
        assertEquals(60, db.count("select reserved_cents from account where user_id = $1", user));
        assertEquals(1, db.count("select count(*) from reservation where account_id = $1", user));
    }

    @Test
    void thresholdAndCapNoticesFireOnceUnderParallelCharges() {
        String user = newUser();
        String email = "spender-" + user + "@example.test";
        String token = userToken(user);
        as(token).get("/v1/account/limits").then().statusCode(200).body("warnThresholdPercent", equalTo(80));
        db.count("with u as (update account set email = $1 where user_id = $2 returning 1) select count(*) from u",
                email, user);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(new Call("/v1/account/spend", token, charge(7, key())));
        }

        Parallel.post(calls);

        assertEquals(1, db.events(user, EventType.SPEND_THRESHOLD_CROSSED.wireName()));
        assertEquals(1, db.events(user, EventType.SPEND_CAP_REACHED.wireName()));
        assertEquals(1, db.emails(email, EmailTemplate.SPEND_WARNING.wireName()));
        assertEquals(1, db.emails(email, EmailTemplate.SPEND_CAP_REACHED.wireName()));
        String warning = db.payloads(user, EventType.SPEND_THRESHOLD_CROSSED.wireName()).get(0);
        assertTrue(warning.contains("\"actor\": \"" + user + "\"") || warning.contains("\"actor\":\"" + user + "\""), warning);
        String mail = db.payloads(email, EventType.EMAIL_REQUESTED.wireName()).get(0);
        assertTrue(mail.contains("\"recipient\": \"" + email + "\"") || mail.contains("\"recipient\":\"" + email + "\""), mail);
    }

    @Test
    void noticesWithoutAnEmailStillEmitTheEventButRequestNoMail() {
        String user = newUser();
        String token = userToken(user);
        as(token).body(Map.of("amountCents", 1000, "idempotencyKey", key())).post("/v1/account/spend").then().statusCode(200);

        assertEquals(1, db.events(user, EventType.SPEND_THRESHOLD_CROSSED.wireName()));
        assertEquals(1, db.events(user, EventType.SPEND_CAP_REACHED.wireName()));
        assertEquals(0, db.emailsAbout(user));
    }

    private static String charge(long cents, String key) {
        return "{\"amountCents\":" + cents + ",\"idempotencyKey\":\"" + key + "\"}";
    }

    private static String statuses(List<Answer> answers) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        answers.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        return "statuses: " + counts + (answers.stream().anyMatch(a -> a.status() >= 500)
                ? " first 5xx: " + answers.stream().filter(a -> a.status() >= 500).findFirst().get().body() : "");
    }
}
