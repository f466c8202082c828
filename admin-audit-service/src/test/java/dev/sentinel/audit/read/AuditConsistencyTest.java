package dev.sentinel.audit.read;

import dev.sentinel.audit.support.AuditDb;
import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.audit.support.Events;
import dev.sentinel.audit.support.Rfc6962;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static dev.sentinel.audit.support.Api.as;
import static dev.sentinel.audit.support.AuditDb.waitUntil;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint list pages through every signed checkpoint once, and the consistency proof
 * between two of them (or any two sizes) verifies with the independent RFC 9162 code in the
 * tests against the roots of the signed notes and the roots recomputed from the stored leaves.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class AuditConsistencyTest {

    private static final HexFormat HEX = HexFormat.of();

    @Inject
    AuditDb db;

    final Events events = new Events();

    @AfterEach
    void close() {
        events.close();
    }

    /** Two batches of events, each waited for until a checkpoint covers it: at least two checkpoints. */
    private void twoCheckpoints() {
        for (int batch = 0; batch < 2; batch++) {
            long seq = 0;
            for (int i = 0; i < 3; i++) {
                String subject = Events.newSubject();
                var event = Events.login(subject, "consistency-" + subject + "@example.test");
                events.publish(event);
                seq = Math.max(seq, db.seqOf(event.id()));
            }
            long needed = seq + 1;
            waitUntil(() -> db.count("select coalesce(max(tree_size), 0) from audit_checkpoint") >= needed);
        }
    }

    @Test
    void theListPagesThroughEveryCheckpointNewestFirst() {
        twoCheckpoints();
        long newest = db.count("select max(tree_size) from audit_checkpoint");
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(Roles.SUPPORT).queryParam("limit", 1);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/admin/audit-logs/checkpoints").then().statusCode(200).extract().jsonPath();
            List<Long> sizes = page.getList("items.treeSize", Long.class);
            assertTrue(sizes.size() <= 1);
            if (!sizes.isEmpty()) {
                String note = page.getString("items[0].note");
                assertTrue(note.contains("\n" + sizes.get(0) + "\n"), note);
                assertEquals(page.getString("items[0].rootHash"), HEX.formatHex(Base64.getDecoder().decode(note.split("\n")[2])));
            }
            seen.addAll(sizes);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10_000);
        // Checkpoints signed while paging are newer than the first page: the pages hold the list as it was, once each.
        List<Long> expected = new ArrayList<>();
        db.rows("select tree_size from audit_checkpoint where tree_size <= $1 order by tree_size desc", newest)
                .forEach(row -> expected.add(row.getLong(0)));
        assertEquals(expected, seen.stream().filter(size -> size <= newest).toList());
        assertEquals(seen.stream().distinct().toList(), seen, "no checkpoint twice");

        List<Long> bigPage = as(Roles.ADMIN).get("/v1/admin/audit-logs/checkpoints").then().statusCode(200)
                .extract().jsonPath().getList("items.treeSize", Long.class);
        assertTrue(bigPage.size() >= 2 && bigPage.get(0) >= newest, bigPage.toString());
    }

    @Test
    void consistencyBetweenTwoCheckpointsVerifiesIndependently() {
        twoCheckpoints();
        List<byte[]> leaves = new ArrayList<>();
        long newest = db.count("select max(tree_size) from audit_checkpoint");
        db.rows("select leaf_hash from audit_log where seq < $1 order by seq", newest)
                .forEach(row -> leaves.add(row.getBuffer(0).getBytes()));
        List<Checkpoint> checkpoints = new ArrayList<>();
        db.rows("select tree_size, note from audit_checkpoint where tree_size <= $1 order by tree_size", newest)
                .forEach(row -> checkpoints.add(new Checkpoint(row.getLong(0), Base64.getDecoder().decode(row.getString(1).split("\n")[2]))));
        assertTrue(checkpoints.size() >= 2);
        Checkpoint second = checkpoints.get(checkpoints.size() - 1);
        Checkpoint first = checkpoints.get(checkpoints.size() - 2);

        for (Checkpoint checkpoint : checkpoints) {
            assertArrayEquals(checkpoint.root(), Rfc6962.root(leaves.subList(0, (int) checkpoint.size())),
                    "the signed root of " + checkpoint.size() + " is the root of the stored leaves");
        }
        JsonPath proof = as(Roles.ADMIN).queryParam("from", first.size()).queryParam("to", second.size())
                .get("/v1/admin/audit-logs/consistency").then().statusCode(200).extract().jsonPath();
        assertEquals(first.size(), proof.getLong("from"));
        assertEquals(second.size(), proof.getLong("to"));
        assertEquals(HEX.formatHex(first.root()), proof.getString("fromRoot"));
        assertEquals(HEX.formatHex(second.root()), proof.getString("toRoot"));
        List<byte[]> path = proof.getList("proof", String.class).stream().map(HEX::parseHex).toList();
        assertEquals(Rfc6962.consistencyProof((int) first.size(), leaves.subList(0, (int) second.size()))
                .stream().map(HEX::formatHex).toList(), proof.getList("proof", String.class));
        assertTrue(Rfc6962.verifyConsistency(first.size(), second.size(), path, first.root(), second.root()));
        assertFalse(Rfc6962.verifyConsistency(first.size(), second.size(), path, Rfc6962.leaf(new byte[] {1}), second.root()));

        // Any two sizes, not only checkpoints; the same size needs no hash; to defaults to the newest checkpoint.
        for (long m = 1; m <= second.size(); m += Math.max(1, second.size() / 7)) {
            long n = second.size() - (second.size() - m) / 2;
            List<byte[]> any = as(Roles.SUPPORT).queryParam("from", m).queryParam("to", n)
                    .get("/v1/admin/audit-logs/consistency").then().statusCode(200)
                    .extract().jsonPath().getList("proof", String.class).stream().map(HEX::parseHex).toList();
            assertTrue(Rfc6962.verifyConsistency(m, n, any, Rfc6962.root(leaves.subList(0, (int) m)),
                    Rfc6962.root(leaves.subList(0, (int) n))), m + " -> " + n);
        }
        as(Roles.ADMIN).queryParam("from", second.size()).queryParam("to", second.size())
                .get("/v1/admin/audit-logs/consistency").then().statusCode(200).body("proof.size()", equalTo(0));
        JsonPath latest = as(Roles.ADMIN).queryParam("from", first.size()).get("/v1/admin/audit-logs/consistency")
                .then().statusCode(200).extract().jsonPath();
        assertTrue(latest.getLong("to") >= second.size());
    }

    @Test
    void badParametersAreProblemsAndTheRolesHold() {
        twoCheckpoints();
        long size = db.count("select coalesce(max(seq) + 1, 0) from audit_log");
        String consistency = "/v1/admin/audit-logs/consistency";
        for (String[] query : new String[][] {{"from", "0"}, {"from", "ten"}, {"from", "-1"}, {"from", "99999999999999999999"},
                {"from", "2", "to", "1"}, {"from", "1", "to", Long.toString(size + 1_000)}, {"to", "2"}, {"from", "1", "to", "x"}}) {
            var request = as(Roles.ADMIN);
            for (int i = 0; i < query.length; i += 2) {
                request.queryParam(query[i], query[i + 1]);
            }
            request.get(consistency).then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        String checkpoints = "/v1/admin/audit-logs/checkpoints";
        for (String[] query : new String[][] {{"limit", "0"}, {"limit", "501"}, {"limit", "many"}, {"cursor", "garbage!"},
                {"cursor", Base64.getUrlEncoder().encodeToString("cp1:-5".getBytes())}, {"cursor", "Y3AxOjA"}}) {
            as(Roles.ADMIN).queryParam(query[0], query[1]).get(checkpoints).then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("code", equalTo("VAL_INVALID_FIELDS"));
        }
        for (String path : List.of(checkpoints, consistency + "?from=1")) {
            as(Roles.USER).get(path).then().statusCode(403);
            as(Roles.SERVICE).get(path).then().statusCode(403);
            given().get(path).then().statusCode(401);
        }
        assertNull(as(Roles.ADMIN).queryParam("limit", 500).get(checkpoints).then().statusCode(200)
                .extract().jsonPath().getString("nextCursor"));
    }

    private record Checkpoint(long size, byte[] root) {
    }
}
