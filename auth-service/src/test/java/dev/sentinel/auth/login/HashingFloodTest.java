package dev.sentinel.auth.login;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.Concurrently;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of sign-ins against a deliberately tiny hashing pool at production cost: the
 * excess is refused at once with 503 SYS_BUSY and Retry-After, nothing fails with 500, and
 * the accepted ones complete.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@TestProfile(HashingFloodTest.TinyPool.class)
class HashingFloodTest {

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    public static class TinyPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.argon2.iterations", "3", "auth.argon2.memory-kib", "65536",
                    "auth.argon2.parallelism", "2", "auth.argon2.pool-size", "1", "auth.argon2.queue-size", "2",
                    "auth.rate-limits.per-ip", "1000", "auth.rate-limits.login-per-account", "1000");
        }
    }

    @Test
    void excessLoginsAreRefusedWith503NotQueuedForever() {
        List<Response> responses = Concurrently.run(24, i -> Accounts.login(Accounts.newEmail(),
                "Wrong-Password-Entirely-1", Accounts.newIp()));
        Map<Integer, Long> byStatus = responses.stream()
                .collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));

        assertEquals(24L, byStatus.getOrDefault(401, 0L) + byStatus.getOrDefault(503, 0L), byStatus.toString());
        assertTrue(byStatus.getOrDefault(503, 0L) > 0, "some were refused: " + byStatus);
        assertTrue(byStatus.getOrDefault(401, 0L) > 0, "some were served: " + byStatus);
        responses.stream().filter(r -> r.statusCode() == 503).forEach(r -> {
            assertEquals("SYS_BUSY", r.jsonPath().getString("code"));
            assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1);
        });
    }

    @Test
    void refusedSignInsDoNotLockTheAccount() {
        String email = Accounts.newEmail();
        new Accounts(pool).verifiedUser(email);
        // More sign-ins with the right password at once than the pool (1 + 2 queued) and the
        // lockout limit (5) allow: some are refused, none of those may count as a failure.
        Map<Integer, Long> byStatus = Concurrently.run(12, i -> Accounts.login(email, Accounts.PASSWORD,
                Accounts.newIp())).stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
        assertTrue(byStatus.keySet().stream().allMatch(s -> s == 200 || s == 503 || s == 423), byStatus.toString());

        Accounts.login(email, Accounts.PASSWORD, Accounts.newIp()).then().statusCode(200);
    }
}
