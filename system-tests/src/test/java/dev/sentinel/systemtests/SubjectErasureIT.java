package dev.sentinel.systemtests;

import dev.sentinel.contracts.events.EventType;
import dev.sentinel.systemtests.support.Databases;
import dev.sentinel.systemtests.support.Eventually;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.sentinel.systemtests.support.AdminConsole.console;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure of a data subject across the suite (issue 11): a user's real life leaves rows that
 * auth-service and account-service emitted (sign-up with the address, sign-in with ip and
 * user agent, a limits change); the console's ADMIN erases the subject. Every one of those rows
 * then reads as erased (no address, ip or user agent), a search by the user's ip no longer
 * finds them, and still each row's leaf hash and the whole log's {@code verify} are as before. The suite runs with one ADMIN, so the four-eyes gate lets the
 * erasure run at once (FourEyesApprovalIT covers the gate with two).
 */
@SystemTest
class SubjectErasureIT {

    private static final Duration INGEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG = "/v1/admin/audit-logs";
    private static final String AGENT = "ErasureIT-Browser/1.0";
    /** The user's network (auth believes X-Forwarded-For from loopback, as from the gateway). */
    private static final String USER_IP = "198.51.100.77";

    @Test
    void erasingAUserHidesTheirPersonalDataInAuthAndAccountRowsWhileProofsHold(Sentinel sentinel) {
        Credentials user = Users.registerAndVerify(sentinel, "erase");
        String bearer = sentinel.auth().header("User-Agent", AGENT).header("X-Forwarded-For", USER_IP)
                .body(Map.of("email", user.email(), "password", user.password()))
                .post("/v1/auth/login").then().statusCode(200).extract().path("accessToken");
        String userId = sentinel.auth().header("Authorization", "Bearer " + bearer).get("/v1/auth/me")
                .then().statusCode(200).extract().path("id");
        Eventually.await(INGEST_TIMEOUT, "account-service knows the user", () ->
                sentinel.account().header("Authorization", "Bearer " + bearer).get("/v1/account/limits").statusCode() == 200
                        ? Boolean.TRUE : null);
        sentinel.account().header("Authorization", "Bearer " + bearer)
                .body(Map.of("monthlyCapCents", 700, "warnThresholdPercent", 60))
                .post("/v1/account/limits").then().statusCode(200);

        // The rows both services' events made about the user, ingested from Kafka.
        Set<String> types = Set.of(EventType.USER_REGISTERED.wireName(), EventType.AUTH_LOGIN_SUCCEEDED.wireName(),
                EventType.LIMITS_CHANGED.wireName());
        List<Map<String, Object>> rows = Eventually.await(INGEST_TIMEOUT, "the user's auth and account rows", () -> {
            List<Map<String, Object>> found = Databases.query(Service.ADMIN_AUDIT,
                    "select seq, type, source from audit_log where subject = ? order by seq", userId);
            Set<String> seen = found.stream().map(r -> (String) r.get("type")).collect(Collectors.toSet());
            return seen.containsAll(types) ? found : null;
        });
        assertEquals(Set.of("auth-service", "account-service"),
                rows.stream().map(r -> (String) r.get("source")).collect(Collectors.toSet()));
        SignedIn admin = sentinel.signInAsAdmin();
        long login = seqOf(rows, EventType.AUTH_LOGIN_SUCCEEDED);
        long registered = seqOf(rows, EventType.USER_REGISTERED);
        long limits = seqOf(rows, EventType.LIMITS_CHANGED);

        // Before: the personal fields are there, and findable by ip.
        JsonPath shown = console(sentinel, admin).get(LOG + "/{seq}", login).then().statusCode(200)
                .body("personalDataErased", is(false)).body("userAgent", equalTo(AGENT)).extract().jsonPath();
        String ip = shown.getString("ip");
        assertEquals(USER_IP, ip, "the sign-in row keeps the client's ip");
        console(sentinel, admin).get(LOG + "/{seq}", registered).then().statusCode(200)
                .body("data.email", equalTo(user.email()));
        Map<Long, String> leaves = Map.of(login, leaf(sentinel, admin, login), registered, leaf(sentinel, admin, registered),
                limits, leaf(sentinel, admin, limits));
        // Which rows carry personal fields (account's may carry the caller's ip and user agent too).
        Set<Long> personal = leaves.keySet().stream().filter(seq -> {
            JsonPath row = console(sentinel, admin).get(LOG + "/{seq}", seq).then().statusCode(200).extract().jsonPath();
            return row.get("ip") != null || row.get("userAgent") != null || row.get("data.email") != null;
        }).collect(Collectors.toSet());
        assertTrue(personal.containsAll(Set.of(login, registered)), "personal rows: " + personal);
        assertTrue(console(sentinel, admin).queryParam("ip", ip).queryParam("subject", userId).get(LOG)
                .then().statusCode(200).extract().<Integer>path("items.size()") > 0, "a search by the user's ip finds them");

        console(sentinel, admin).header("User-Agent", "ErasureIT-Console/1.0")
                .post(LOG + "/subjects/{id}/erase", userId).then().statusCode(200)
                .body("subject", equalTo(userId));

        // After: every row of theirs, from either service, reads as erased.
        JsonPath after = console(sentinel, admin).queryParam("subject", userId).queryParam("limit", 500).get(LOG)
                .then().statusCode(200).extract().jsonPath();
        for (Long seq : leaves.keySet()) {
            Map<String, Object> item = after.getMap("items.find { it.seq == " + seq + " }");
            assertNotNull(item, "row " + seq + " is still listed");
            assertNull(item.get("ip"), "row " + seq + " ip");
            assertNull(item.get("userAgent"), "row " + seq + " user agent");
            if (personal.contains(seq)) {
                assertEquals(Boolean.TRUE, item.get("personalDataErased"), "row " + seq + ": " + item);
            }
        }
        console(sentinel, admin).get(LOG + "/{seq}", registered).then().statusCode(200)
                .body("personalDataErased", is(true)).body("data.email", equalTo(null));
        console(sentinel, admin).queryParam("ip", ip).queryParam("subject", userId).get(LOG)
                .then().statusCode(200).body("items.size()", is(0));
        assertEquals(0L, Databases.query(Service.ADMIN_AUDIT,
                "select count(*) as n from audit_log where subject = ? and seq <= ? and ip_index is not null",
                userId, Math.max(login, Math.max(registered, limits))).get(0).get("n"));

        // The proofs do not notice: the same leaves, and verify (every leaf and the root recomputed
        // against the newest signed checkpoint) still valid. (Inclusion proofs after an erasure:
        // admin-audit-service's SubjectErasureTest.)
        leaves.forEach((seq, hash) -> assertEquals(hash, leaf(sentinel, admin, seq), "leaf of row " + seq));
        console(sentinel, admin).get(LOG + "/verify").then().statusCode(200).body("valid", is(true));
    }

    private static long seqOf(List<Map<String, Object>> rows, EventType type) {
        return rows.stream().filter(r -> type.wireName().equals(r.get("type")))
                .map(r -> ((Number) r.get("seq")).longValue()).findFirst().orElseThrow();
    }

    /** The row's leaf hash as the log shows it (what its inclusion proofs and verify are built on). */
    private static String leaf(Sentinel sentinel, SignedIn admin, long seq) {
        return console(sentinel, admin).get(LOG + "/{seq}", seq).then().statusCode(200).extract().path("leafHash");
    }
}
