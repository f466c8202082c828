package dev.sentinel.account.spend;

import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.userToken;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** sentinel_account_spend_refused_total counts a 402 once its transaction committed, never a rolled-back one. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class RefusalCountTest {

    private static final String REFUSED = "sentinel_account_spend_refused_total";
    /** Requests whose idempotency key starts so cannot commit: the trigger below refuses them at commit. */
    private static final String FAILS_AT_COMMIT = "fails-at-commit-";

    @Inject
    Pool pool;

    /**
     * A deferred constraint trigger, in the test database only, that fails the commit of any
     * spend_request whose key starts with {@link #FAILS_AT_COMMIT}: the transaction does all its
     * work, the 402 is decided and recorded, and only the commit itself fails.
     */
    @BeforeEach
    void installCommitFailure() {
        pool.query("""
                create or replace function fail_at_commit() returns trigger language plpgsql as $$
                begin
                    raise exception 'this spend request may not commit (RefusalCountTest)';
                end $$;
                drop trigger if exists spend_request_fails_at_commit on spend_request;
                create constraint trigger spend_request_fails_at_commit after insert on spend_request
                    deferrable initially deferred for each row
                    when (new.idempotency_key like '%s%%') execute function fail_at_commit();
                """.formatted(FAILS_AT_COMMIT)).execute().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aRefusalWhoseTransactionRollsBackIsNotCounted() {
        String token = userToken(newUser());
        double before = refused();
        // Over the cap, so refused and recorded; but its commit fails, so no 402 is answered.
        String failing = FAILS_AT_COMMIT + key();
        as(token).body(Map.of("amountCents", 5000, "idempotencyKey", failing)).post("/v1/account/spend")
                .then().statusCode(not(402));
        assertEquals(0, pool.preparedQuery("select count(*) from spend_request where idempotency_key = $1")
                .execute(Tuple.of(failing)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0),
                "the refusal was rolled back");
        assertEquals(before, refused(), "a refusal that never committed is not counted");

        as(token).body(Map.of("amountCents", 5000, "idempotencyKey", key())).post("/v1/account/spend")
                .then().statusCode(402);
        assertEquals(before + 1, refused(), "a committed refusal is");
    }

    @Test
    void aReplayedRefusalIsCountedOnce() {
        String token = userToken(newUser());
        String key = key();
        double before = refused();
        for (int i = 0; i < 3; i++) {
            as(token).body(Map.of("amountCents", 5000, "idempotencyKey", key)).post("/v1/account/spend")
                    .then().statusCode(402);
        }
        assertEquals(before + 1, refused());
    }

    private static double refused() {
        return PrometheusText.sum(given().get("/q/metrics").then().statusCode(200).extract().asString(), REFUSED, "");
    }
}
