package dev.sentinel.account.spend;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.testing.Concurrently;
import dev.sentinel.contracts.testing.HangingUpClients;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that hang up in the middle of a charge (the hottest write path: each waits for its
 * account's row lock) must not leave a reactive database session used from two threads nor
 * a transaction cut off: the service logs no Hibernate Reactive thread warning and no error,
 * every charge that committed is whole (the account's total is the sum of its recorded
 * charges), and the service keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class DisconnectingClientsTest {

    private static final int ACCOUNTS = 4;

    @Inject
    OutboxRows db;
    private HangingUpClients.Watch log;

    @BeforeEach
    void watchLogs() {
        log = HangingUpClients.watch();
    }

    @AfterEach
    void stopWatching() {
        log.close();
    }

    @Test
    void clientsHangingUpMidChargeLeaveNoSessionBehindAndNoHalfCharge() throws Exception {
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String user = newUser();
            as(userToken(user)).body(charge(1, key())).post("/v1/account/spend").then().statusCode(200);
            users.add(user);
        }
        List<String> tokens = users.stream().map(user -> userToken(user)).toList();
        assertEquals("HTTP/1.1 200 OK", HangingUpClients.statusLine("/v1/account/spend", bearer(tokens.get(0)),
                chargeBody()), "a client that waits is charged");

        // A few hot accounts, so most charges queue on a row lock when their client goes.
        Concurrently.run(16, worker -> {
            for (int i = 0; i < 20; i++) {
                // Up to 100 ms: a charge verifies its token and asks Redis about the session first.
                HangingUpClients.hangUp("/v1/account/spend", bearer(tokens.get((worker + i) % ACCOUNTS)), chargeBody(),
                        100);
            }
            return null;
        });
        Thread.sleep(2000); // let the abandoned charges finish on the server

        long recorded = 0;
        for (String user : users) {
            long spent = db.count("select spent_cents from account where user_id = $1", user);
            long charged = db.count("select coalesce(sum(amount_cents), 0) from spend_request"
                    + " where account_id = $1 and kind = 'CHARGE' and status = 200", user);
            assertEquals(charged, spent, "the total of " + user + " is the sum of its recorded charges");
            recorded += db.count("select count(*) from spend_request where account_id = $1", user);
        }
        assertTrue(recorded > ACCOUNTS + 1, "no abandoned charge reached the database");

        // Still serving, and nothing logged about a session used across threads.
        as(tokens.get(0)).body(charge(1, key())).post("/v1/account/spend").then().statusCode(200);
        assertEquals(List.of(), log.problems());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String chargeBody() {
        return "{\"amountCents\":1,\"idempotencyKey\":\"" + key() + "\",\"description\":\"hang-up\"}";
    }
}
