package dev.sentinel.account.accounts;

import dev.sentinel.account.OutboxRows;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sentinel.account.Api.as;
import static dev.sentinel.account.Api.charge;
import static dev.sentinel.account.Api.key;
import static dev.sentinel.account.Api.newUser;
import static dev.sentinel.account.Api.token;
import static dev.sentinel.account.Api.userToken;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Admin reads under /v1/admin/accounts/{id} only read: an unknown user is a 404 problem and
 * no account row appears, and reading an existing account never waits for its row lock.
 * Admin writes to an unknown user create the account (docs/decisions.md).
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class AdminAccountReadsTest {

    private static final String[] READS = {"plan", "limits"};

    @Inject
    OutboxRows db;
    @Inject
    Pool pool;

    @Test
    void anUnknownUserIs404AndNoAccountIsMade() {
        String unknown = newUser();
        String admin = token(Roles.ADMIN);
        for (String read : READS) {
            for (int i = 0; i < 2; i++) {
                as(admin).get("/v1/admin/accounts/" + unknown + "/" + read).then().statusCode(404)
                        .contentType("application/problem+json").body("code", equalTo("BIZ_USER_NOT_FOUND"));
            }
            as(token(Roles.BILLING_ADMIN)).get("/v1/admin/accounts/" + unknown + "/" + read).then().statusCode(404);
            as(token(Roles.SERVICE)).get("/v1/admin/accounts/" + unknown + "/" + read).then().statusCode(404)
                    .body("code", equalTo("BIZ_USER_NOT_FOUND"));
        }
        assertEquals(0, db.count("select count(*) from account where user_id = $1", unknown));
    }

    @Test
    void readsDoNotWaitForTheRowLockThatChargesTake() throws Exception {
        String user = newUser();
        as(userToken(user)).body(charge(120, key())).post("/v1/account/spend").then().statusCode(200);
        String admin = token(Roles.BILLING_ADMIN);

        SqlConnection connection = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            connection.query("begin").execute().await().atMost(Duration.ofSeconds(10));
            // What a charge in flight holds on the row until it commits.
            connection.preparedQuery("select 1 from account where user_id = $1 for update")
                    .execute(Tuple.of(user)).await().atMost(Duration.ofSeconds(10));

            CompletableFuture<Void> reads = CompletableFuture.runAsync(() -> {
                as(admin).get("/v1/admin/accounts/" + user + "/plan").then().statusCode(200)
                        .body("plan", equalTo("FREE"));
                as(admin).get("/v1/admin/accounts/" + user + "/limits").then().statusCode(200)
                        .body("spentCents", equalTo(120)).body("remainingCents", equalTo(880));
                as(token(Roles.SERVICE)).get("/v1/admin/accounts/" + user + "/plan").then().statusCode(200)
                        .body("plan", equalTo("FREE"));
                as(token(Roles.SERVICE)).get("/v1/admin/accounts/" + user + "/limits").then().statusCode(200)
                        .body("spentCents", equalTo(120));
                as(userToken(user)).get("/v1/account/limits").then().statusCode(200).body("spentCents", equalTo(120));
                as(userToken(user)).get("/v1/account/plan").then().statusCode(200);
            });
            reads.get(10, TimeUnit.SECONDS);
        } finally {
            connection.query("rollback").execute().await().atMost(Duration.ofSeconds(10));
            connection.close().await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void anAdminWriteToAnUnknownUserCreatesTheAccount() {
        String user = newUser();
        String admin = token(Roles.ADMIN);
        as(admin).body(Map.of("plan", "PRO")).post("/v1/admin/accounts/" + user + "/plan").then().statusCode(200)
                .body("plan", equalTo("PRO"));
        as(admin).get("/v1/admin/accounts/" + user + "/plan").then().statusCode(200).body("plan", equalTo("PRO"));
        String other = newUser();
        as(admin).body(Map.of("monthlyCapCents", 500)).post("/v1/admin/accounts/" + other + "/limits")
                .then().statusCode(200);
        as(admin).get("/v1/admin/accounts/" + other + "/limits").then().statusCode(200)
                .body("monthlyCapCents", equalTo(500));
    }
}
