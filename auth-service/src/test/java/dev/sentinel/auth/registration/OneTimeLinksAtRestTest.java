package dev.sentinel.auth.registration;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-time link's token lives in plain text only on its way to the mail (the
 * {@code email-requests} topic): once the relay has published a mail request, a dump of
 * auth's whole database holds no usable verification or reset token, and the links work.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class OneTimeLinksAtRestTest {

    @Inject
    Pool pool;

    @Test
    void aDatabaseDumpHoldsNoMailedToken() throws Exception {
        Accounts accounts = new Accounts(pool);
        String email = Accounts.newEmail();
        Accounts.register(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(202);
        String verify = accounts.latestToken(email, "verify-email");
        given().contentType(ContentType.JSON).header("X-Forwarded-For", Accounts.newIp())
                .body(Map.of("email", email)).post("/v1/auth/forgot-password").then().statusCode(202);
        String reset = accounts.latestToken(email, "password-reset");
        awaitPublished(email);

        String dump = pgDump();
        assertTrue(dump.contains(email), "the dump holds none of the data");
        assertFalse(dump.contains(verify), "a verification token is stored in plain text");
        assertFalse(dump.contains(reset), "a reset token is stored in plain text");

        // Only the plain copies are gone: both links still work.
        given().queryParam("token", verify).get("/v1/auth/verify-email").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("token", reset, "newPassword", "Another-Long-Passphrase-77"))
                .post("/v1/auth/reset-password").then().statusCode(200);
    }

    private void awaitPublished(String recipient) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long pending;
        do {
            pending = pool.preparedQuery("select count(*) from outbox where message_key = $1 and sent_at is null")
                    .execute(Tuple.of(recipient)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
            if (pending > 0) {
                Thread.sleep(50);
            }
        } while (pending > 0 && System.nanoTime() < deadline);
        assertEquals(0, pending, "the relay did not publish the mail requests");
    }

    private static String pgDump() throws IOException, InterruptedException {
        Process dump = new ProcessBuilder("pg_dump", "--data-only", "-h", "127.0.0.1", "-U", "postgres", "auth_test")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dump.waitFor(60, TimeUnit.SECONDS) && dump.exitValue() == 0, "pg_dump failed");
        return text;
    }
}
